/**
 * @module dashboard.browser.test
 * The dashboard as a user meets it, in Chromium against the emulators through Hosting: sign in and
 * see an agent's signed metrics (the page makes its own key: see series.browser.test); add a source through the Firestore web SDK and watch the count
 * change without reloading; reload and get every number from localStorage with no metrics request;
 * tamper with a stored entry and see it refused and refetched; run out of rate limit and keep the
 * last verified numbers, marked stale.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { forwardPageErrors, hostingUrl, launchChromium, screenshot, seedWorld, signIn, type SeededWorld } from "../support/browser";

/** A read of a metrics view (single or batch); the charts' series reads are polled and counted apart. */
const isMetricsRequest = (url: string) => /\/api\/v1\/(agents|users|orgs)\/[^?]*metrics/.test(url) && !url.includes("/metrics/series");
const card = (scope: string, id: string) => `article.metrics[data-scope="${scope}"][data-id="${id}"]`;

describe("dashboard", () => {
  let browser: Browser;
  let page: Page;
  let origin: string;
  let world: SeededWorld;
  let agent: SeededWorld["agents"][number];
  const requests: string[] = [];

  before(async () => {
    [browser, origin, world] = await Promise.all([launchChromium(), hostingUrl(), seedWorld()]);
    agent = world.agents[0];
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    forwardPageErrors(page);
    page.on("request", (request) => requests.push(request.url()));
  });

  after(async () => {
    await browser?.close();
  });

  const sourcesShown = (id: string) => page.getAttribute(card("agent", id), "data-sources");
  const badgeOf = (scope: string, id: string) => page.getAttribute(`${card(scope, id)} .badge`, "data-source");

  it("signs in and, with no key step, shows each agent's signed metrics and the totals", async () => {
    await signIn(page, origin, world.email);
    for (const seeded of world.agents) {
      await page.waitForSelector(card("agent", seeded.id), { timeout: 30_000 });
      assert.equal(await sourcesShown(seeded.id), String(seeded.sources));
      assert.match((await badgeOf("agent", seeded.id)) ?? "", /^(edge|store|computed)$/);
    }
    const text = await page.textContent(card("agent", agent.id));
    assert.match(text ?? "", /signature verified/);
    assert.match(text ?? "", /Cost by model/);
    assert.match(text ?? "", /Latency percentiles/);
    assert.match(text ?? "", /1h \/ 24h \/ 7d/);
    await page.waitForSelector(card("user", world.uid));
    await page.waitForSelector(card("org", world.orgId));
    assert.equal(await page.getAttribute(card("user", world.uid), "data-sources"), String(world.agents.reduce((n, a) => n + a.sources, 0)));
    await page.waitForSelector('#series-charts figure[data-figure="tokens"] canvas', { timeout: 30_000 });
    await screenshot(page, "dashboard");
  });

  it("adds a source through the Firestore SDK and shows the new count without reloading, in other tabs too", async () => {
    // A second tab of the same visit, sharing this browser's dashboard key.
    const [otherTab] = await Promise.all([page.waitForEvent("popup"), page.evaluate(() => window.open(location.href))]);
    await otherTab.waitForSelector(`${card("agent", agent.id)}[data-sources="${agent.sources}"]`);
    const otherTabRequests: string[] = [];
    otherTab.on("request", (request) => otherTabRequests.push(request.url()));
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    await page.selectOption("#upload-agent", agent.id);
    await page.selectOption("#upload-type", "csv");
    await page.click("#upload-form button[type=submit]");
    await page.waitForSelector(`${card("agent", agent.id)}[data-sources="${agent.sources + 1}"]`, { timeout: 30_000 });
    assert.match((await page.textContent("#upload-status")) ?? "", new RegExp(`now has ${agent.sources + 1} sources`));
    assert.equal(navigations, 0, "the page was not reloaded");
    // The other tab hears the new entry through the storage event, verifies it and redraws.
    await otherTab.waitForSelector(`${card("agent", agent.id)}[data-sources="${agent.sources + 1}"]`, { timeout: 10_000 });
    assert.deepEqual(otherTabRequests.filter(isMetricsRequest), [], "the other tab did not fetch it itself");
    await otherTab.close();
    agent.sources += 1;
    // The totals follow the agent (rollups are folded again within seconds).
    const total = world.agents.reduce((n, a) => n + a.sources, 0);
    await page.waitForSelector(`${card("user", world.uid)}[data-sources="${total}"]`, { timeout: 30_000 });
    await page.waitForSelector(`${card("org", world.orgId)}[data-sources="${total}"]`, { timeout: 30_000 });
  });

  it("after a reload, serves every number from localStorage without a metrics request", async () => {
    requests.length = 0;
    await page.reload();
    await page.waitForSelector(`${card("agent", agent.id)}[data-sources="${agent.sources}"]`);
    await page.waitForSelector(card("org", world.orgId));
    for (const seeded of world.agents) assert.equal(await badgeOf("agent", seeded.id), "browser");
    assert.equal(await badgeOf("user", world.uid), "browser");
    assert.deepEqual(requests.filter(isMetricsRequest), []);
  });

  it("Refresh rereads every card from the API", async () => {
    requests.length = 0;
    await page.click("#refresh-metrics");
    await page.waitForSelector(`${card("agent", agent.id)} .badge:not([data-source="browser"])`);
    assert.ok(requests.some(isMetricsRequest));
    assert.equal(await sourcesShown(agent.id), String(agent.sources));
  });

  it("refuses a tampered localStorage entry and refetches the signed value", async () => {
    const tampered = await page.evaluate((agentId) => {
      const key = Object.keys(localStorage).find((k) => k.endsWith(`:agent:${agentId}`));
      if (!key) return null;
      const entry = JSON.parse(localStorage.getItem(key)!);
      entry.response.data.sources.count = 999;
      localStorage.setItem(key, JSON.stringify(entry));
      return key;
    }, agent.id);
    assert.ok(tampered, "the agent's entry is in localStorage");
    requests.length = 0;
    await page.reload();
    await page.waitForSelector(card("agent", agent.id));
    assert.equal(await sourcesShown(agent.id), String(agent.sources));
    assert.notEqual(await badgeOf("agent", agent.id), "browser");
    assert.ok(requests.some((url) => isMetricsRequest(url)), "the view was fetched again");
    const restored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!).response.data.sources.count, tampered);
    assert.equal(restored, agent.sources);
  });

  it("when the key's rate limit runs out, shows the last verified numbers marked rate limited", async () => {
    await page.goto(`${origin}/#/keys`);
    await page.fill("#create-key-form input[name=name]", "tight");
    await page.fill("#create-key-form input[name=rateLimitPerMinute]", "1");
    await page.click("#create-key-form button[type=submit]");
    await page.click("#use-key");
    await page.goto(`${origin}/#/dashboard`);
    await page.waitForSelector(card("agent", agent.id));
    // Several function instances each admit requests until their counters sync (about a second; the
    // overshoot bound in docs/SECURITY.md), so refresh until the limit shows rather than exactly once.
    let limited = null;
    for (let attempt = 0; !limited && attempt < 15; attempt++) {
      await page.click("#refresh-metrics");
      limited = await page.waitForSelector('.badge[data-stale="true"]', { timeout: 2_000 }).catch(() => null);
    }
    assert.ok(limited, "a stale, rate-limited badge appeared");
    assert.match((await limited.textContent()) ?? "", /stale: rate limited/);
    assert.equal(await sourcesShown(agent.id), String(agent.sources), "the verified numbers stay on screen");
  });

  it("reads at phone width", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForSelector(card("agent", agent.id));
    const { overflow, widest } = await page.evaluate(() => {
      // The innermost elements reaching past the viewport, so a failure names what widened the page.
      const past = Array.from(document.body.querySelectorAll("*")).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5);
      const innermost = past.filter((e) => !past.some((other) => other !== e && e.contains(other)));
      // No named functions in here: the test's transpiler would wrap them in a helper the page lacks.
      const widest = innermost.slice(0, 5).map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">${(e.textContent ?? "").trim().slice(0, 80)}`);
      return { overflow: document.documentElement.scrollWidth - window.innerWidth, widest };
    });
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone: ${widest.join(" | ")}`);
    await screenshot(page, "dashboard-phone");
  });

  it("signing out drops the user's cached metrics", async () => {
    assert.ok(await page.evaluate((uid) => Object.keys(localStorage).some((k) => k.includes(`:${uid}:`)), world.uid));
    await page.click("#sign-out");
    await page.waitForSelector("#sign-in-view:not([hidden])");
    assert.equal(await page.evaluate((uid) => Object.keys(localStorage).some((k) => k.includes(`:${uid}:`)), world.uid), false);
  });
});
