import { test } from "node:test";
import assert from "node:assert/strict";
import type { InteractionContribution, InteractionStatus } from "../../../functions/src/domain/interaction-metrics";
import { pricingFromConfig } from "../../../functions/src/domain/pricing";
import {
  applyWindowChange,
  emptyWindowsState,
  mergeWindowsStates,
  pruneWindows,
  renderWindows,
  summarizeWindows,
  type WindowsState,
} from "../../../functions/src/domain/window-buckets";
import { mulberry32 } from "../../support/seeded-random";


const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const now = new Date("2026-03-10T12:34:56Z");
const pricing = pricingFromConfig(null);
const ago = (ms: number) => new Date(now.getTime() - ms);

function at(occurredAt: Date, overrides: Partial<InteractionContribution> = {}): InteractionContribution {
  // 1e6 input tokens of gpt-4o-mini: 0.15 USD each, so costs are easy to read.
  return { model: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 0, latencyMs: 1000, status: "success", occurredAt, ...overrides };
}

function build(list: InteractionContribution[], when = now): WindowsState {
  return list.reduce((state, i) => applyWindowChange(state, null, i, when), emptyWindowsState());
}

test("interactions well inside a window are counted, well outside are not", () => {
  const state = build([
    at(ago(10 * MINUTE), { latencyMs: 200 }),
    at(ago(59 * MINUTE), { status: "error", latencyMs: 400 }),
    at(ago(2 * HOUR + MINUTE)),
    at(ago(23 * HOUR)),
    at(ago(25 * HOUR + MINUTE)),
    at(ago(3 * DAY), { status: "timeout" }),
    at(ago(7 * DAY - HOUR)),
    at(ago(7 * DAY + HOUR + MINUTE)),
    at(ago(7 * DAY + 3 * HOUR)),
    at(ago(30 * DAY)),
  ]);
  const windows = renderWindows(state, pricing, now);
  assert.deepEqual(windows["1h"], { count: 2, errorCount: 1, costUsd: 0.3, p95LatencyMs: windows["1h"].p95LatencyMs });
  assert.ok(Math.abs(windows["1h"].p95LatencyMs - 400) <= 8);
  assert.equal(windows["24h"].count, 4);
  assert.deepEqual({ ...windows["7d"], p95LatencyMs: 0 }, { count: 7, errorCount: 2, costUsd: 1.05, p95LatencyMs: 0 });
  assert.ok(Math.abs(windows["7d"].p95LatencyMs - 1000) <= 20);
  // Seven rendered hours and the spare one before the 7 d edge; the two older ones never entered.
  assert.equal(state.buckets.length, 8);
});

test("the edge is hour-granular: a window reaches back to the start of the hour containing now − W", () => {
  const start = new Date("2026-03-10T11:00:00Z");
  const state = build([at(start), at(new Date(start.getTime() - 1))]);
  assert.equal(renderWindows(state, pricing, now)["1h"].count, 1);
  assert.equal(renderWindows(state, pricing, new Date("2026-03-10T11:59:59Z"))["1h"].count, 2);
  assert.equal(renderWindows(state, pricing, new Date("2026-03-10T13:00:00Z"))["1h"].count, 0);
});

test("interactions ahead of now (client clock skew) count in every window", () => {
  const windows = renderWindows(build([at(new Date(now.getTime() + 90 * MINUTE))]), pricing, now);
  assert.deepEqual([windows["1h"].count, windows["24h"].count, windows["7d"].count], [1, 1, 1]);
});

test("as time passes interactions leave windows, and pruning drops buckets no window needs", () => {
  const state = build([at(ago(30 * MINUTE)), at(ago(6 * DAY))]);
  const later = new Date(now.getTime() + 2 * DAY);
  assert.equal(renderWindows(state, pricing, later)["1h"].count, 0);
  assert.equal(renderWindows(state, pricing, later)["7d"].count, 1);
  const pruned = pruneWindows(state, later);
  assert.equal(pruned.buckets.length, 1);
  assert.deepEqual(renderWindows(pruned, pricing, later), renderWindows(state, pricing, later));
  // A change at a later time prunes as well, and a change to a pruned hour is ignored.
  const changed = applyWindowChange(state, at(ago(6 * DAY)), null, later);
  assert.deepEqual(changed, summarizeWindows([at(ago(30 * MINUTE))], later));
  assert.deepEqual(applyWindowChange(emptyWindowsState(), null, at(ago(9 * DAY)), now), emptyWindowsState());
});

test("deltas applied once each in any order equal a full recompute (random histories, replayable seeds)", () => {
  const statuses: InteractionStatus[] = ["success", "success", "error", "cancelled"];
  for (let seed = 1; seed <= 100; seed++) {
    const rand = mulberry32(seed);
    const random = (): InteractionContribution =>
      at(ago(Math.floor(rand() * 9 * DAY) - HOUR), {
        model: ["gpt-4o", "gpt-4o-mini", "x/y"][Math.floor(rand() * 3)],
        inputTokens: Math.floor(rand() * 10_000),
        outputTokens: Math.floor(rand() * 1000),
        latencyMs: rand() * 5000,
        status: statuses[Math.floor(rand() * statuses.length)],
      });
    const live = new Map<number, InteractionContribution>();
    const deltas: Array<[InteractionContribution | null, InteractionContribution | null]> = [];
    for (let step = 0; step < 150; step++) {
      const id = Math.floor(rand() * 25);
      const current = live.get(id) ?? null;
      const next = rand() < 0.25 ? null : random();
      if (!current && !next) continue;
      deltas.push([current, next]);
      if (next) live.set(id, next);
      else live.delete(id);
    }
    for (let i = deltas.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [deltas[i], deltas[j]] = [deltas[j], deltas[i]];
    }
    const list = [...live.values()];
    const incremental = deltas.reduce((state, [removed, added]) => applyWindowChange(state, removed, added, now), emptyWindowsState());
    assert.deepEqual(incremental, summarizeWindows(list, now), `seed ${seed}`);
    const windows = renderWindows(incremental, pricing, now);
    for (const [name, span] of [["1h", HOUR], ["24h", DAY], ["7d", 7 * DAY]] as const) {
      const edge = Math.floor((now.getTime() - span) / HOUR) * HOUR;
      const inside = list.filter((i) => i.occurredAt.getTime() >= edge);
      assert.equal(windows[name].count, inside.length, `seed ${seed} ${name}`);
      assert.equal(windows[name].errorCount, inside.filter((i) => i.status !== "success").length, `seed ${seed} ${name}`);
    }
    assert.ok(incremental.buckets.length <= 170, `seed ${seed}: ${incremental.buckets.length} buckets`);
  }
});

test("merging two scopes' windows equals the windows of all their interactions", () => {
  const a = [at(ago(5 * MINUTE)), at(ago(3 * HOUR), { model: "a.b" }), at(ago(2 * DAY))];
  const b = [at(ago(7 * MINUTE), { status: "error" }), at(ago(2 * DAY)), at(ago(5 * DAY), { latencyMs: 0 })];
  assert.deepEqual(mergeWindowsStates(summarizeWindows(a, now), summarizeWindows(b, now)), summarizeWindows([...a, ...b], now));
  assert.deepEqual(mergeWindowsStates(build(a), emptyWindowsState()), build(a));
});
