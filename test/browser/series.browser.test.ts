/**
 * @module series.browser.test
 * The dashboard's charts and its own key, in Chromium against the emulators through Hosting: signing
 * in is the only step before the charts show, and each chart's text alternative lists the numbers a
 * direct API read of the same series gives; "Download CSV" saves the shown range, row for row the
 * API's JSON points and the page's tables; the cards show cache writes, the reasoning share and time
 * to first token as the API's views have them; the range and scope switches; an ingest through the
 * API shows in the chart (and its card) without a reload; the page's key is listed on the keys page,
 * reused across reloads, replaced when revoked, and revoked on sign-out.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { apiBaseUrl, eventually, unique } from "../support/emulators";
import { SERIES_CSV_COLUMNS, type InteractionsBlock, type SeriesData, type SeriesPoint } from "metrics-functions/contract";
import { createKey, forwardPageErrors, hostingUrl, idTokenFor, launchChromium, screenshot, SCREENSHOT_DIR, seedWorld, signIn, type SeededWorld } from "../support/browser";

// The page's own types of the series answer: the test reads the API as the page does.
type ApiPoint = SeriesPoint;
type ApiSeries = SeriesData;
interface ShownTable {
  headers: string[];
  rows: Array<{ start: string; cells: string[] }>;
}
interface ListedKey {
  id: string;
  prefix: string;
  name: string;
  permissions: string[];
  status: string;
  expiresAt: string | null;
}

const DASHBOARD_KEY = "Dashboard (this browser)";
const STORED_KEY = (uid: string) => `agent-metrics.dashboard-key.${uid}`;
const card = (scope: string, id: string) => `article.metrics[data-scope="${scope}"][data-id="${id}"]`;

/** "$0.001234", "1,234", "812.5 ms" → the number it shows. */
const shownNumber = (text: string) => Number(text.replace(/[$,]|\s*ms$/g, ""));
/** The time to first token of a point where no call streamed: the table shows a gap, not 0 ms. */
const NO_VALUE = "—";

/** The columns of each figure's table, as the API's point fields, with half the shown precision (the model figure is checked apart). */
const COLUMNS: Record<string, Array<[string, keyof ApiPoint, number]>> = {
  calls: [["Calls", "count", 0], ["Errors", "errorCount", 0]],
  cost: [["Cost", "costUsd", 5e-7]],
  latency: [["p50", "p50LatencyMs", 0.05], ["p95", "p95LatencyMs", 0.05]],
  ttft: [["p50", "p50TimeToFirstTokenMs", 0.05]],
  tokens: [["Input", "inputTokens", 0], ["Output", "outputTokens", 0], ["Cache read", "cacheReadTokens", 0], ["Cache write", "cacheWriteTokens", 0], ["Reasoning", "reasoningTokens", 0]],
};
/** Fields whose 0 means "none reported" and shows as a gap. */
const GAP_WHEN_ZERO = new Set<keyof ApiPoint>(["p50TimeToFirstTokenMs"]);

/** A CSV text (RFC 4180 as the API writes it: CRLF, unquoted numbers and times) as header and rows. */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  assert.ok(text.endsWith("\r\n"), "every line, the last one too, ends with CRLF");
  assert.doesNotMatch(text.replaceAll("\r\n", ""), /[\r\n]/, "no bare line break");
  const [header, ...rows] = text.slice(0, -2).split("\r\n").map((line) => line.split(","));
  return { header, rows };
}

describe("dashboard charts and the page's own key", () => {
  let browser: Browser;
  let page: Page;
  let origin: string;
  let world: SeededWorld;
  let reader: string;
  let writer: string;
  let navigations = 0;

  before(async () => {
    [browser, origin, world] = await Promise.all([launchChromium(), hostingUrl(), seedWorld()]);
    const [base, token] = await Promise.all([apiBaseUrl(), idTokenFor(world.email)]);
    // The test's own reads compare again and again until the page and the API agree: a roomy limit.
    const res = await fetch(`${base}/v1/api-keys`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "test reader", permissions: ["read:agent-metrics", "read:user-metrics", "read:org-metrics"], rateLimitPerMinute: 10_000 }),
    });
    assert.equal(res.status, 201);
    reader = ((await res.json()) as { key: string }).key;
    writer = await createKey(base, token, ["write:interactions"]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: "en-US" });
    forwardPageErrors(page);
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
  });

  after(async () => {
    await browser?.close();
  });

  const session = async () => ({ Authorization: `Bearer ${await idTokenFor(world.email)}` });
  const apiSeries = async (scope: string, id: string, granularity: string): Promise<ApiSeries> => {
    const res = await fetch(`${origin}/api/v1/${scope}s/${id}/metrics/series?granularity=${granularity}`, { headers: { ...(await session()), "X-API-Key": reader } });
    assert.equal(res.status, 200, `the series read answered ${res.status}`);
    return ((await res.json()) as { data: ApiSeries }).data;
  };
  const listKeys = async (): Promise<ListedKey[]> => {
    const res = await fetch(`${origin}/api/v1/api-keys`, { headers: await session() });
    return ((await res.json()) as { apiKeys: ListedKey[] }).apiKeys;
  };
  const statusWith = async (key: string) =>
    (await fetch(`${origin}/api/v1/users/${world.uid}/metrics`, { headers: { ...(await session()), "X-API-Key": key } })).status;
  const dashboardKeys = async () => (await listKeys()).filter((k) => k.name === DASHBOARD_KEY);
  const storedKey = () => page.evaluate((name) => localStorage.getItem(name), STORED_KEY(world.uid));

  const shown = (figure: string): Promise<ShownTable> =>
    page.$eval(`#series-charts figure[data-figure="${figure}"] table.series-numbers`, (table) => ({
      headers: Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent ?? ""),
      rows: Array.from(table.querySelectorAll("tbody tr")).map((tr) => ({
        start: (tr.querySelector("th") as HTMLElement).dataset.start ?? "",
        cells: Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? ""),
      })),
    }));
  const showing = (scope: string, id: string, granularity: string) =>
    page.waitForSelector(`#series-charts[data-scope="${scope}"][data-id="${id}"][data-granularity="${granularity}"] figure[data-figure="calls"] table.series-numbers`, { state: "attached", timeout: 30_000 });

  /** Differences between the tables on the page and the API's points (empty when they agree). */
  async function mismatches(api: ApiSeries): Promise<string[]> {
    const problems: string[] = [];
    const from = await page.getAttribute("#series-charts", "data-from");
    if (from !== api.from) return [`the page shows from ${from}, the API ${api.from}`];
    for (const [figure, columns] of Object.entries(COLUMNS)) {
      const table = await shown(figure);
      if (table.rows.length !== api.points.length) problems.push(`${figure}: ${table.rows.length} rows for ${api.points.length} points`);
      api.points.forEach((point, i) => {
        const row = table.rows[i];
        if (row?.start !== new Date(point.start).toISOString()) return problems.push(`${figure} row ${i} starts ${row?.start}, the point ${point.start}`);
        for (const [label, field, tolerance] of columns) {
          const cell = row.cells[table.headers.indexOf(label) - 1] ?? "";
          if (GAP_WHEN_ZERO.has(field) && (point[field] === 0 || cell === NO_VALUE)) {
            if (!(point[field] === 0 && cell === NO_VALUE)) problems.push(`${figure} ${label} at ${point.start}: shown ${cell}, API ${point[field]} (a gap exactly where it is 0)`);
            continue;
          }
          const value = shownNumber(cell);
          // A value shown rounded is off by at most half its last digit (plus float noise).
          if (!(Math.abs(value - (point[field] as number)) <= tolerance + 1e-9)) problems.push(`${figure} ${label} at ${point.start}: shown ${value}, API ${point[field]}`);
        }
      });
    }
    return problems;
  }

  /** Compares until the page and the API agree (a rollup may be folded between the two reads). */
  async function assertMatchesApi(scope: string, id: string, granularity: string): Promise<ApiSeries> {
    let api: ApiSeries | null = null;
    let problems: string[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 1000))) {
      api = await apiSeries(scope, id, granularity);
      problems = await mismatches(api);
      if (problems.length === 0) break;
    }
    assert.deepEqual(problems, [], "the text alternative lists the API's numbers");
    return api!;
  }

  it("signing in shows the charts, with numbers matching the API, and no key step", async () => {
    await signIn(page, origin, world.email);
    await showing("user", world.uid, "hour");
    assert.equal(await page.$("#create-dashboard-key, #retry-dashboard-key"), null, "no key button on the way");
    assert.match((await page.textContent("#dashboard-key-note")) ?? "", /this browser's read-only dashboard key mk_test_/);
    await page.waitForSelector(card("user", world.uid));
    const api = await assertMatchesApi("user", world.uid, "hour");
    assert.equal(api.points.length, 24);
    assert.ok(api.points.some((p) => p.count > 0), "the seeded interactions show in the last 24 hours");
    const chart = await page.$eval('#series-charts figure[data-figure="calls"] [role="img"]', (node) => ({ label: node.getAttribute("aria-label") ?? "", canvas: node.querySelector("canvas") !== null }));
    assert.ok(chart.canvas, "uPlot drew the chart");
    const total = api.points.reduce((sum, p) => sum + p.count, 0);
    assert.match(chart.label, new RegExp(`^Calls and errors per hour, 24 points: Calls ${total.toLocaleString("en-US")} in all`));
    assert.match((await page.textContent('#series-charts figure[data-figure="models"]')) ?? "", /no split by model/);
    await page.click('#series-charts figure[data-figure="calls"] summary');
    await screenshot(page, "dashboard-charts-hourly");
  });

  it("Download CSV saves the shown range, row for row the API's JSON points and the page's tables", async () => {
    await showing("user", world.uid, "hour");
    await assertMatchesApi("user", world.uid, "hour");
    const range = await page.$eval("#series-charts", (node) => ({ ...(node as HTMLElement).dataset }));
    const query = new URLSearchParams({ granularity: "hour", from: range.from!, to: range.to! });
    const jsonOfRange = async () => {
      const res = await fetch(`${origin}/api/v1/users/${world.uid}/metrics/series?${query}`, { headers: { ...(await session()), "X-API-Key": reader } });
      assert.equal(res.status, 200);
      return { etag: res.headers.get("ETag"), data: ((await res.json()) as { data: ApiSeries }).data };
    };

    // The CSV and the JSON are compared when they are one revision (same ETag): an ingest may land between two reads.
    let saved: { name: string; text: string; etag: string | null } | null = null;
    let json: Awaited<ReturnType<typeof jsonOfRange>> | null = null;
    for (let attempt = 0; attempt < 3 && !(saved && saved.etag === json?.etag); attempt++) {
      const isCsvRead = (url: string) => url.includes(`/api/v1/users/${world.uid}/metrics/series?`) && url.includes("format=csv");
      const [download, response] = await Promise.all([page.waitForEvent("download"), page.waitForResponse((r) => isCsvRead(r.url())), page.click("#series-download")]);
      assert.ok(new URL(response.url()).searchParams.get("from") === range.from && new URL(response.url()).searchParams.get("to") === range.to, "the CSV read asks for the range on screen");
      saved = { name: download.suggestedFilename(), text: await readFile((await download.path())!, "utf8"), etag: await response.headerValue("etag") };
      json = await jsonOfRange();
    }
    assert.ok(saved && json && saved.etag === json.etag, `the CSV (${saved?.etag}) and the JSON (${json?.etag}) are one revision`);
    assert.match(saved.name, new RegExp(`^user-${world.uid}_hourly_\\d{4}-\\d{2}-\\d{2}T\\d{4}Z_\\d{4}-\\d{2}-\\d{2}T\\d{4}Z\\.csv$`));
    await page.waitForSelector('#series-download-status [data-state="ok"]');
    assert.equal(await page.textContent("#series-download-status"), `Saved ${saved.name} (${json.data.points.length} rows).`);
    assert.equal(await page.isEnabled("#series-download"), true, "the button is back once the file is saved");

    const { header, rows } = parseCsv(saved.text);
    assert.deepEqual(header, [...SERIES_CSV_COLUMNS]);
    assert.equal(rows.length, json.data.points.length);
    json.data.points.forEach((point, i) => {
      const expected = SERIES_CSV_COLUMNS.map((column) => (column === "start" ? point.start : point[column]));
      const got = rows[i].map((cell, c) => (c === 0 ? cell : Number(cell)));
      assert.deepEqual(got, expected, `row ${i} is the JSON's point ${point.start}`);
    });
    // The rows against the page: the tables of every figure list the file's numbers (as shown, rounded).
    const fromCsv: ApiPoint[] = rows.map((row) => {
      const entries = header.map((column, c) => [column, column === "start" ? row[c] : Number(row[c])]);
      return Object.fromEntries(entries) as ApiPoint;
    });
    assert.deepEqual(await mismatches({ ...json.data, points: fromCsv }), [], "the page's tables list the CSV's numbers");
    assert.ok(json.data.points.some((p) => p.cacheWriteTokens > 0 && p.p50TimeToFirstTokenMs > 0), "the seeded calls of the last 24 hours write caches and stream");
  });

  it("the cards show cache writes, the reasoning share and time to first token as the API's views have them", async () => {
    const agent = world.agents[0];
    for (const [scope, id] of [["user", world.uid], ["agent", agent.id]] as const) {
      const selector = card(scope, id);
      // The card may hold an older revision than the API (entries stay fresh for 2 minutes): refresh until both agree.
      const view = await eventually(
        async () => {
          const res = await fetch(`${origin}/api/v1/${scope}s/${id}/metrics`, { headers: { ...(await session()), "X-API-Key": reader } });
          const { data } = (await res.json()) as { data: { version: number; interactions: InteractionsBlock } };
          const shown = await page.getAttribute(selector, "data-version");
          if (shown !== String(data.version)) {
            await page.click("#refresh-metrics");
            await page.waitForTimeout(2000);
          }
          return { data, shown };
        },
        (found) => found.shown === String(found.data.version),
        60_000,
      );
      const block = view.data.interactions;
      assert.ok(block.cacheWriteTokens > 0 && block.reasoningTokens > 0 && block.timeToFirstTokenMs.count > 0, `the seeded ${scope} has cache writes, reasoning and streamed calls`);
      const facts = await page.$eval(`${selector} dl.facts`, (list) =>
        Object.fromEntries(Array.from(list.querySelectorAll("dt")).map((dt) => [dt.textContent ?? "", dt.nextElementSibling?.textContent ?? ""])),
      );
      assert.equal(shownNumber(facts["Cache-write tokens"]), block.cacheWriteTokens);
      const share = /^([\d.]+) % of output \(([\d,]+) tokens\)$/.exec(facts["Reasoning share"]);
      assert.ok(share, `the reasoning share reads "${facts["Reasoning share"]}"`);
      assert.ok(Math.abs(Number(share[1]) - (100 * block.reasoningTokens) / block.outputTokens) <= 0.05 + 1e-9, `${share[1]} % of output`);
      assert.equal(shownNumber(share[2]), block.reasoningTokens);
      const ttft = await page.$eval(`${selector} table.bars[data-chart="ttft"]`, (table) => ({
        caption: table.querySelector("caption")?.textContent ?? "",
        rows: Array.from(table.querySelectorAll("tr")).map((tr) => [tr.querySelector("th")?.textContent ?? "", tr.querySelector("td.value")?.textContent ?? ""]),
      }));
      assert.equal(ttft.caption, `Time to first token (${block.timeToFirstTokenMs.count.toLocaleString("en-US")} streamed calls)`);
      assert.deepEqual(ttft.rows.map(([label]) => label), ["p50", "p95"]);
      for (const [label, text] of ttft.rows) {
        const expected = block.timeToFirstTokenMs[label as "p50" | "p95"];
        assert.ok(Math.abs(shownNumber(text) - expected) <= 0.5, `TTFT ${label}: shown ${text}, API ${expected}`);
      }
    }
    await page.locator(card("agent", agent.id)).screenshot({ path: join(SCREENSHOT_DIR, "dashboard-card-tokens.png") });
  });

  it("the range switch shows 30 days of daily points with cost by model, as the API has them", async () => {
    await page.check('input[name="range"][value="day"]');
    await showing("user", world.uid, "day");
    assert.equal(await page.textContent("#series-download-status"), "", "the hourly file's message is gone with the hourly series");
    const api = await assertMatchesApi("user", world.uid, "day");
    assert.equal(api.points.length, 30);
    const models = await shown("models");
    const shownTotal = models.rows.reduce((sum, row) => sum + row.cells.reduce((s, cell) => s + shownNumber(cell), 0), 0);
    const apiTotal = api.points.reduce((sum, p) => sum + Object.values(p.byModel ?? {}).reduce((s, m) => s + m.costUsd, 0), 0);
    assert.ok(apiTotal > 0, "the seeded interactions carry costs");
    assert.ok(Math.abs(shownTotal - apiTotal) <= 5e-7 * models.rows.length * models.headers.length, `cost by model: shown ${shownTotal}, API ${apiTotal}`);
    await screenshot(page, "dashboard-charts-daily");
  });

  it("the scope switch shows an agent's series", async () => {
    const agent = world.agents[0];
    await page.selectOption("#series-scope", { label: `Agent: ${agent.name}` });
    await showing("agent", agent.id, "day");
    await assertMatchesApi("agent", agent.id, "day");
    await page.check('input[name="range"][value="hour"]');
    await showing("agent", agent.id, "hour");
    await assertMatchesApi("agent", agent.id, "hour");
  });

  it("an ingest through the API shows in the chart and its card without a reload", async () => {
    const agent = world.agents[0];
    const before = await assertMatchesApi("agent", agent.id, "hour");
    const versionBefore = await page.getAttribute(card("agent", agent.id), "data-version");
    const navigated = navigations;
    const now = new Date().toISOString();
    // The row of the hour the interactions fall in, as it was before (none yet when the hour has just begun):
    // a run that crosses an hour boundary must not wait for the previous hour's row.
    const hour = new Date(Math.floor(Date.parse(now) / 3_600_000) * 3_600_000).toISOString();
    const last = before.points.find((p) => new Date(p.start).toISOString() === hour) ?? { count: 0, errorCount: 0 };
    const interactions = ["success", "success", "error"].map((status, i) => ({
      id: unique(`chart-${i}`),
      model: "claude-haiku-4",
      inputTokens: 1000 + i,
      outputTokens: 100,
      latencyMs: 400,
      status,
      occurredAt: now,
    }));
    const res = await fetch(`${origin}/api/v1/agents/${agent.id}/interactions`, {
      method: "POST",
      headers: { ...(await session()), "X-API-Key": writer, "content-type": "application/json" },
      body: JSON.stringify({ interactions }),
    });
    assert.equal(res.status, 202);
    // The feed polls every 10 s and the server's copies live up to 35 s.
    const hourRow = () => shown("calls").then((table) => table.rows.find((r) => r.start === hour) ?? null);
    const row = (await eventually(hourRow, (r) => r !== null && shownNumber(r.cells[0]) >= last.count + 3, 90_000))!;
    assert.equal(shownNumber(row.cells[0]), last.count + 3);
    assert.equal(shownNumber(row.cells[1]), last.errorCount + 1);
    await assertMatchesApi("agent", agent.id, "hour");
    await page.waitForSelector(`${card("agent", agent.id)}:not([data-version="${versionBefore}"])`, { timeout: 30_000 });
    assert.equal(navigations, navigated, "the page was not reloaded");
  });

  it("the page's key is listed on the keys page, read-only for a day, and reused after a reload", async () => {
    const [key] = await dashboardKeys();
    assert.ok(key, "the dashboard's key is listed");
    assert.equal(key.status, "active");
    assert.deepEqual([...key.permissions].sort(), ["read:agent-metrics", "read:org-metrics", "read:user-metrics"]);
    const lifetime = Date.parse(key.expiresAt ?? "") - Date.now();
    assert.ok(lifetime > 0 && lifetime <= 86_400_000, `expires in ${lifetime} ms`);
    await page.goto(`${origin}/#/keys`);
    const row = page.locator("#key-list tbody tr", { has: page.locator("th[data-dashboard-key]", { hasText: DASHBOARD_KEY }) });
    await row.waitFor();
    assert.equal(await row.getAttribute("data-status"), "active");
    assert.match((await row.textContent()) ?? "", /this browser's dashboard reads with it/);
    await screenshot(page, "keys-with-dashboard-key");
    await page.goto(`${origin}/#/dashboard`);
    await page.reload();
    await showing("user", world.uid, "hour");
    assert.equal((await dashboardKeys()).length, 1, "a reload makes no new key");
  });

  it("a revoked dashboard key is replaced by a new one at the next read", async () => {
    const [old] = await dashboardKeys();
    const plaintext = JSON.parse((await storedKey()) ?? "null")?.key as string;
    assert.ok(plaintext?.startsWith(old.prefix), "the stored key is the listed one");
    const res = await fetch(`${origin}/api/v1/api-keys/${old.id}`, { method: "DELETE", headers: await session() });
    assert.equal(res.status, 200);
    await eventually(() => statusWith(plaintext), (status) => status === 401, 15_000);
    await page.click("#refresh-metrics");
    // The refused reads are sent again with the new key (a 304 for what the browser already holds).
    const renewed = await eventually(async () => JSON.parse((await storedKey()) ?? "null")?.key as string | undefined, (key) => key !== undefined && key !== plaintext, 30_000);
    await page.waitForSelector(`${card("user", world.uid)} .badge`, { timeout: 30_000 });
    await page.waitForSelector(`${card("org", world.orgId)} .badge`, { timeout: 30_000 });
    assert.equal(await page.$("#totals [data-state=error], #agents [data-state=error]"), null, "no card shows the refusal");
    const keys = await dashboardKeys();
    assert.deepEqual(keys.map((k) => k.status).sort(), ["active", "revoked"]);
    assert.equal(await statusWith(renewed!), 200);
  });

  it("signing out revokes the page's key and forgets it", async () => {
    const plaintext = JSON.parse((await storedKey()) ?? "null")?.key as string;
    const active = (await dashboardKeys()).find((k) => k.status === "active")!;
    await page.click("#sign-out");
    await page.waitForSelector("#sign-in-view:not([hidden])");
    assert.equal(await storedKey(), null);
    assert.equal((await listKeys()).find((k) => k.id === active.id)?.status, "revoked");
    await eventually(() => statusWith(plaintext), (status) => status === 401, 15_000);
  });
});
