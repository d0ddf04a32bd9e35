/**
 * @module keys.browser.test
 * The key page in Chromium against the emulators: create a key with a name, permission, expiry and
 * rate limit, see its plaintext once and the key listed, use it, revoke it, and see requests with
 * it refused by the API.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { eventually } from "../support/emulators";
import { forwardPageErrors, hostingUrl, idTokenFor, launchChromium, screenshot, seedWorld, signIn, type SeededWorld } from "../support/browser";

describe("API key page", () => {
  let browser: Browser;
  let page: Page;
  let origin: string;
  let world: SeededWorld;
  let plaintext: string;

  before(async () => {
    [browser, origin, world] = await Promise.all([launchChromium(), hostingUrl(), seedWorld()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    forwardPageErrors(page);
    await signIn(page, origin, world.email);
  });

  after(async () => {
    await browser?.close();
  });

  const readWithKey = async (key: string) => {
    const res = await fetch(`${origin}/api/v1/agents/${world.agents[0].id}/metrics`, {
      headers: { Authorization: `Bearer ${await idTokenFor(world.email)}`, "X-API-Key": key },
    });
    return res.status;
  };
  const row = (name: string) => page.locator("#key-list tbody tr", { has: page.locator("th", { hasText: name }) });

  it("creates a key, shows its plaintext once, and lists it without the plaintext", async () => {
    await page.goto(`${origin}/#/keys`);
    await page.fill("#create-key-form input[name=name]", "ci reader");
    await page.fill("#create-key-form input[name=expiresInDays]", "30");
    await page.fill("#create-key-form input[name=rateLimitPerMinute]", "120");
    await page.click("#create-key-form button[type=submit]");
    await page.waitForSelector("#new-key:not([hidden])");
    plaintext = (await page.textContent("#new-key-value")) ?? "";
    assert.match(plaintext, /^mk_test_/);

    await row("ci reader").waitFor();
    assert.equal(await row("ci reader").getAttribute("data-status"), "active");
    const listed = (await row("ci reader").textContent()) ?? "";
    assert.match(listed, /read:agent-metrics/);
    assert.match(listed, /120\/min/);
    assert.ok(!listed.includes(plaintext), "the list never shows the plaintext");
    assert.equal(await readWithKey(plaintext), 200);
  });

  it("shows the key's usage once the server has recorded it", async () => {
    // Usage is written off the response path, in batches: reload the list until the read shows up.
    const usage = await eventually(
      async () => {
        await page.reload();
        await row("ci reader").waitFor();
        return (await row("ci reader").locator("td.usage").textContent()) ?? "";
      },
      (text) => /^[1-9]\d* requests? in 7 d/.test(text),
      20_000,
    );
    assert.match(usage, /last /);
    await screenshot(page, "keys");
  });

  it("revokes the key, and the API then refuses it", async () => {
    await row("ci reader").getByRole("button", { name: "Revoke ci reader" }).click();
    await page.waitForSelector('#key-list tr[data-status="revoked"]');
    assert.equal(await row("ci reader").getAttribute("data-status"), "revoked");
    await eventually(() => readWithKey(plaintext), (status) => status === 401, 10_000);
  });
});
