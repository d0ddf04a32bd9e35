import { test } from "node:test";
import assert from "node:assert/strict";
import {
  emptyHistogram,
  histogramOf,
  histogramQuantile,
  mergeHistograms,
  shiftHistogram,
  type LatencyHistogram,
} from "../../../functions/src/metrics/latency-histogram";
import { mulberry32 } from "../../support/seeded-random";


/** Nearest rank, the definition the histogram promises to approximate. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

type Distribution = (rand: () => number) => number;
const DISTRIBUTIONS: Record<string, Distribution> = {
  uniform: (rand) => rand() * 1000,
  "log-uniform 1 ms – 10 min": (rand) => Math.exp(Math.log(1) + rand() * Math.log(600_000)),
  exponential: (rand) => -Math.log(1 - rand()) * 800,
  "bimodal fast/slow": (rand) => (rand() < 0.9 ? 40 + rand() * 20 : 20_000 + rand() * 40_000),
  "sub-millisecond": (rand) => rand() * 0.5,
  "integers with zeros": (rand) => (rand() < 0.2 ? 0 : Math.floor(rand() * 5000)),
  "all zero": () => 0,
  "single value": () => 1234.5,
};
const QUANTILES = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

/** Within 2 %, or within about 1 µs: latencies under 1 µs share one bucket (so a histogram's size is bounded). */
function assertClose(actual: number | null, expected: number, message: string): void {
  assert.notEqual(actual, null, message);
  if (expected === 0) assert.equal(actual, 0, message);
  else {
    const error = Math.abs((actual as number) - expected);
    assert.ok(error / expected <= 0.02 || error <= 0.0011, `${message}: got ${actual}, exact ${expected}`);
  }
}

test("quantiles are within 2 % of the exact nearest-rank quantile (random data sets, replayable seeds)", () => {
  for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
    for (let seed = 1; seed <= 30; seed++) {
      const rand = mulberry32(seed);
      const values = Array.from({ length: 1 + Math.floor(rand() * 3000) }, () => draw(rand));
      const histogram = histogramOf(values);
      for (const q of QUANTILES) {
        assertClose(histogramQuantile(histogram, q), exactQuantile(values, q), `${name}, seed ${seed}, q ${q}`);
      }
    }
  }
});

test("a single latency is reported within 2 % for every magnitude", () => {
  for (let exponent = -3; exponent <= 7; exponent += 0.01) {
    const value = 10 ** exponent;
    assertClose(histogramQuantile(histogramOf([value]), 0.5), value, `value ${value}`);
  }
});

test("an empty histogram has no quantile, and invalid latencies are refused", () => {
  assert.equal(histogramQuantile(emptyHistogram(), 0.5), null);
  assert.throws(() => shiftHistogram(emptyHistogram(), -1, 1), RangeError);
  assert.throws(() => shiftHistogram(emptyHistogram(), Number.NaN, 1), RangeError);
  assert.throws(() => histogramOf([Number.POSITIVE_INFINITY]), RangeError);
});

test("stored keys are plain identifiers (safe Firestore field names)", () => {
  const histogram = histogramOf([0, 0.001, 0.5, 1, 1.5, 999, 1e7]);
  for (const key of Object.keys(histogram)) assert.match(key, /^(z|[pn]\d+)$/);
  assert.equal(Object.values(histogram).reduce((a, b) => a + b, 0), 7);
});

test("adds then removes in any order return to empty, even when a remove comes first", () => {
  for (let seed = 1; seed <= 100; seed++) {
    const rand = mulberry32(seed);
    const values = Array.from({ length: 200 }, () => (rand() < 0.1 ? 0 : rand() * 10_000));
    const ops: Array<[number, 1 | -1]> = [...values.map((v): [number, 1] => [v, 1]), ...values.map((v): [number, -1] => [v, -1])];
    for (let i = ops.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [ops[i], ops[j]] = [ops[j], ops[i]];
    }
    const end = ops.reduce<LatencyHistogram>((h, [v, sign]) => shiftHistogram(h, v, sign), emptyHistogram());
    assert.deepEqual(end, emptyHistogram(), `seed ${seed}`);
  }
});

test("incremental adds equal a bulk build, and a merge equals the histogram of the combined data", () => {
  for (let seed = 1; seed <= 50; seed++) {
    const rand = mulberry32(seed);
    const a = Array.from({ length: Math.floor(rand() * 500) }, () => rand() * 3000);
    const b = Array.from({ length: Math.floor(rand() * 500) }, () => (rand() < 0.3 ? 0 : rand() * 60_000));
    const incremental = a.reduce<LatencyHistogram>((h, v) => shiftHistogram(h, v, 1), emptyHistogram());
    assert.deepEqual(incremental, histogramOf(a), `seed ${seed}`);
    const merged = mergeHistograms(histogramOf(a), histogramOf(b));
    assert.deepEqual(merged, histogramOf([...a, ...b]), `seed ${seed}`);
    if (a.length + b.length > 0) assertClose(histogramQuantile(merged, 0.95), exactQuantile([...a, ...b], 0.95), `seed ${seed}`);
  }
});

test("no latencies, however spread, make a histogram of more than about 850 keys", () => {
  const values = [0, Number.MIN_VALUE, 1e-300, 1e-9, 0.0005];
  for (let i = 0; i < 100_000; i++) values.push(Math.exp(Math.log(1e-12) + (i / 100_000) * (Math.log(86_400_000) - Math.log(1e-12))));
  const keys = Object.keys(histogramOf(values)).length;
  assert.ok(keys <= 860, `${keys} keys`);
  assert.ok(keys > 800, "the range up to a day is still resolved finely");
});
