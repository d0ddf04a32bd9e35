/**
 * The read benchmark's verdicts: what makes a target PASS or FAIL, on figures made up for the case
 * (no timing is measured here), and how per-request read counts are summarized.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AbuseFigures } from "../../load/phases/read-abuse";
import type { BatchGetFigures } from "../../load/phases/read-batch-get";
import type { CacheHeap } from "../../load/phases/read-cache-heap";
import type { ReadFigure } from "../../load/read-figure";
import { summarizeReads } from "../../load/read-counter";
import { checkTargets, layersOf, type TargetInputs } from "../../load/read-targets";
import { parseOptions } from "../../load/bench-options";

function figure(id: string, p50: number, rps: number, layers: Record<string, number>, reads: Map<number, number> = new Map([[0, 100]]), concurrency = 4): ReadFigure {
  const latency = { n: 100, p50, p95: p50 * 2, p99: p50 * 3, mean: p50, min: p50 / 2, max: p50 * 4 };
  return { id, label: id, how: id, load: { requests: 100, concurrency, latency, requestsPerSecond: rps, statuses: { 200: 100 }, cacheLayers: layers, firstBody: "" }, reads: summarizeReads(reads) };
}

const heap = (deltaMB: number, layers: Record<string, number>, cachedEntries = 10_000): CacheHeap => ({ agents: 10_000, heapBeforeMB: 40, heapAfterMB: 40 + deltaMB, deltaMB, rereadLayers: layers, rereadSample: 1000, cachedEntries });
const batch = (available: boolean, p95: number): BatchGetFigures => {
  const f = figure("batch-store", p95 / 2, 10, { store: 10_000 }, new Map([[1, 100]]));
  return { available, fromStore: f, repeated: f };
};

const abuse = (forbiddenReads = 30, first429 = { index: 20, afterMs: 210 } as { index: number; afterMs: number } | null, forgedReads = 21): AbuseFigures => ({
  forbiddenBatch: { requests: 100, ids: 100, reads: forbiddenReads, readsPerRequest: forbiddenReads / 100, served: 0, statuses: { 200: 100 } },
  forgedKeys: { requests: 300, perSecond: 100, first429, statusesBySecond: [{ 401: 20, 429: 80 }, { 429: 100 }, { 429: 100 }], reads: forgedReads },
  userBudget: { keys: 50, seconds: 60, requests: 100_000, statuses: { 200: 1000, 429: 99_000 }, requestReads: 1500, backgroundReads: 3000, errors: {} },
  refreshes: { documents: 1000, instances: 2, seconds: 60, requests: 5000, scans: 1, byCache: { computed: 1, store: 4999 }, statuses: { 200: 5000 }, reads: 6000 },
});

function inputs(overrides: Partial<TargetInputs> = {}): TargetInputs {
  return {
    repeated: figure("repeated", 0.5, 9000, { edge: 100 }),
    repeatedLight: figure("repeated-light", 0.4, 2000, { edge: 100 }),
    floor: figure("floor", 0.4, 12_000, {}),
    store: figure("store", 3, 800, { store: 100 }, new Map([[1, 100]])),
    seriesRepeated: figure("series-repeated", 0.7, 8000, { edge: 100 }),
    seriesStore: figure("series-store", 3, 800, { store: 100 }, new Map([[1, 100]])),
    naive: [figure("naive-1000", 200, 5, {}, new Map([[1000, 5]])), figure("naive-10000", 900, 1, {}, new Map([[10_000, 5]]))],
    batchGet: batch(true, 60),
    heap: heap(30, { edge: 1000 }),
    abuse: abuse(),
    ...overrides,
  };
}

test("every target passes on figures that meet them all", () => {
  const checks = checkTargets(inputs());
  assert.equal(checks.length, 14);
  assert.deepEqual(checks.filter((c) => !c.pass), []);
});

test("a repeated read served from the store fails every edge target, whatever its speed", () => {
  const checks = checkTargets(inputs({ repeated: figure("repeated", 0.5, 9000, { store: 100 }), repeatedLight: figure("repeated-light", 0.4, 2000, { store: 100 }) }));
  const failed = checks.filter((c) => !c.pass).map((c) => c.target);
  assert.equal(failed.length, 5);
  assert.ok(failed.every((t) => t.includes("edge")));
  assert.match(checks[0].detail, /store 100%/);
});

test("each numeric bound is checked on its own figure", () => {
  const verdict = (overrides: Partial<TargetInputs>, target: RegExp) => checkTargets(inputs(overrides)).find((c) => target.test(c.target))?.pass;
  assert.equal(verdict({ repeated: figure("repeated", 0.9, 9000, { edge: 100 }) }, /within 2×/), false);
  assert.equal(verdict({ repeated: figure("repeated", 0.5, 5000, { edge: 100 }) }, /half the floor/), false);
  assert.equal(verdict({ repeatedLight: figure("repeated-light", 2.1, 900, { edge: 100 }) }, /naive read at 1,000/), false);
  assert.equal(verdict({ repeated: figure("repeated", 2.1, 9000, { edge: 100 }) }, /naive read at 1,000/), true, "the naive read is compared under its own load");
  assert.equal(verdict({ repeatedLight: figure("repeated-light", 0.4, 2000, { edge: 100 }, undefined, 16) }, /naive read at 1,000/), false, "not under another load");
  assert.equal(verdict({ repeated: figure("repeated", 0.5, 9000, { edge: 100 }, new Map([[0, 90], [1, 10]])) }, /0 Firestore reads/), false);
  assert.equal(verdict({ store: figure("store", 3, 800, { store: 100 }, new Map([[3, 100]])) }, /per store hit/), false);
  assert.equal(verdict({ batchGet: batch(true, 100) }, /batchGet/), false);
  assert.equal(verdict({ batchGet: batch(false, 10) }, /batchGet/), false);
  assert.equal(verdict({ heap: heap(65, { edge: 1000 }) }, /heap/), false);
  assert.equal(verdict({ heap: heap(1, { store: 1000 }, 0) }, /heap/), false, "nothing cached is not a cache that fits");
  assert.equal(verdict({ heap: heap(20, { store: 1000 }, 4_000) }, /heap/), false, "a cache holding part of them does not show they fit");
});

test("reads per request: mean, median, max and requests without reads", () => {
  assert.deepEqual(summarizeReads(new Map([[0, 98], [1, 1], [3, 1]])), { requests: 100, mean: 0.04, p50: 0, max: 3, withoutReads: 98 });
  assert.equal(layersOf({ edge: 99, store: 1 }), "edge 99.0%, store 1.0%");
});

test("options: --only picks one benchmark; unknown or malformed flags are refused with a sentence", () => {
  assert.equal(parseOptions(["--only", "read", "--requests", "100"]).only, "read");
  assert.equal(parseOptions(["--requests", "100"]).read.requests, 100);
  assert.throws(() => parseOptions(["--only", "both"]), /--only needs read, write, hot or reconcile/);
  assert.throws(() => parseOptions(["--concurrency", "0"]), /whole number from 1/);
  assert.throws(() => parseOptions(["--fast"]), /unknown option --fast/);
  assert.deepEqual(parseOptions(["--only", "hot", "--clients", "1,16", "--seconds", "5"]).hot, { clients: [1, 16], seconds: 5, sdkDocuments: 2000 });
});

test("series targets fail on a series edge hit slower than twice the metrics edge hit, or a series store hit of two reads", () => {
  const slow = checkTargets(inputs({ seriesRepeated: figure("series-repeated", 1.2, 4000, { edge: 100 }) })).find((c) => c.target.startsWith("series edge hit"));
  assert.equal(slow?.pass, false);
  const twoReads = checkTargets(inputs({ seriesStore: figure("series-store", 3, 800, { store: 100 }, new Map([[2, 100]])) })).find((c) => c.target.startsWith("≤ 1 Firestore read per series"));
  assert.equal(twoReads?.pass, false);
  const notEdge = checkTargets(inputs({ seriesRepeated: figure("series-repeated", 0.5, 9000, { store: 100 }) })).find((c) => c.target.startsWith("series edge hit"));
  assert.equal(notEdge?.pass, false);
});

test("an attacker's figures fail their targets past one read per forbidden batchGet, without a 429 in the first second, or past the refused-key budget", () => {
  const verdict = (figures: AbuseFigures, target: RegExp) => checkTargets(inputs({ abuse: figures })).find((c) => target.test(c.target))?.pass;
  assert.equal(verdict(abuse(101), /forbidden ids/), false);
  assert.equal(verdict(abuse(100), /forbidden ids/), true);
  const leaking = abuse();
  leaking.forbiddenBatch.served = 1;
  assert.equal(verdict(leaking, /forbidden ids/), false, "an answer that served an agent");
  assert.equal(verdict(abuse(30, null), /forged/), false, "never limited");
  assert.equal(verdict(abuse(30, { index: 150, afterMs: 1_500 }), /forged/), false, "limited only after the first second");
  assert.equal(verdict(abuse(30, undefined, 40), /forged/), false, "more reads than the budget");
});
