/**
 * @module security-headers.browser.test
 * The pages run under the Hosting headers of firebase.json (issue #26, finding 8), in Chromium
 * through the Hosting emulator: the served page carries a Content-Security-Policy without inline
 * scripts and with `frame-ancestors 'none'`, `X-Frame-Options`, `X-Content-Type-Options` and
 * `Referrer-Policy`; every page (sign-in, the dashboard with its series panel, the keys page) loads
 * and works with no CSP violation, whether reported as a `securitypolicyviolation` event or on the
 * console; and a page that frames the keys page gets nothing of it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { eventually } from "../support/emulators";
import { forwardPageErrors, hostingUrl, launchChromium, seedWorld, signIn, type SeededWorld } from "../support/browser";

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...values]) => [name.toLowerCase(), values]));
}

const isCspMessage = (text: string) => /Content Security Policy|Content-Security-Policy|frame-ancestors/i.test(text);

describe("Hosting security headers", () => {
  let browser: Browser;
  let origin: string;
  let world: SeededWorld;

  before(async () => {
    [browser, origin, world] = await Promise.all([launchChromium(), hostingUrl(), seedWorld()]);
  });

  after(async () => {
    await browser?.close();
  });

  it("the served page and its scripts carry the CSP, framing, sniffing and referrer headers", async () => {
    const res = await fetch(`${origin}/`);
    assert.equal(res.status, 200);
    const policy = directives(res.headers.get("content-security-policy") ?? "");
    assert.deepEqual(policy.get("script-src"), ["'self'"], "scripts from the page's origin only: no 'unsafe-inline', no eval");
    assert.deepEqual(policy.get("style-src"), ["'self'"], "no inline styles either");
    assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
    assert.deepEqual(policy.get("object-src"), ["'none'"]);
    assert.deepEqual(policy.get("base-uri"), ["'none'"]);
    assert.ok(policy.get("connect-src")?.includes("http://127.0.0.1:9099") && policy.get("connect-src")?.includes("http://127.0.0.1:8080"), "the local Auth and Firestore emulators");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(await res.text())?.[1];
    assert.ok(script, "the page loads its script from a file, not inline");
    const asset = await fetch(`${origin}${script}`);
    assert.equal(asset.headers.get("x-content-type-options"), "nosniff");
    assert.match(asset.headers.get("content-type") ?? "", /javascript/);
  });

  it("loads sign-in, the dashboard with its series panel, and the keys page with no CSP violation", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    forwardPageErrors(page);
    const consoleViolations: string[] = [];
    page.on("console", (message) => {
      if (isCspMessage(message.text())) consoleViolations.push(message.text());
    });
    // Registered before any script of the page runs, in every document the page loads.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));
    });
    const violations = async (p: Page) => p.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

    await page.goto(origin);
    await page.waitForSelector("#sign-in-form");
    assert.deepEqual(await violations(page), [], "sign-in page");

    await signIn(page, origin, world.email);
    const agent = world.agents[0];
    await page.waitForSelector(`article.metrics[data-scope="agent"][data-id="${agent.id}"] .badge`, { timeout: 30_000 });
    await page.waitForSelector('#series-charts figure[data-figure="calls"] canvas', { timeout: 30_000 });
    await page.waitForSelector("#series-status .badge-ok", { timeout: 30_000 });
    assert.deepEqual(await violations(page), [], "dashboard with its series panel");

    await page.goto(`${origin}/#/keys`);
    await page.waitForSelector("#key-list tbody tr", { timeout: 30_000 });
    // A reload of the keys page: the whole document again, under the same policy.
    await page.reload();
    await page.waitForSelector("#key-list tbody tr", { timeout: 30_000 });
    assert.deepEqual(await violations(page), [], "keys page");
    assert.deepEqual(consoleViolations, [], "nothing about the policy on the console");
    await page.close();
  });

  it("a page that frames the keys page gets nothing of it", async () => {
    const page = await browser.newPage();
    const messages: string[] = [];
    page.on("console", (message) => messages.push(message.text()));
    await page.setContent(`<iframe id="framed" src="${origin}/#/keys" width="800" height="600"></iframe>`);
    await page.waitForSelector("#framed");
    await eventually(async () => messages.some((text) => /frame-ancestors|X-Frame-Options/i.test(text)), (refused) => refused, 10_000);
    const framed = page.frames().find((frame) => frame !== page.mainFrame());
    const content = framed ? await framed.evaluate(() => document.querySelector("#key-list, #sign-in-form") !== null).catch(() => false) : false;
    assert.equal(content, false, "no part of the page renders inside another page's frame");
    await page.close();
  });
});
