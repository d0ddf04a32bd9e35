/**
 * @module latency-histogram
 * A sparse, mergeable log-bucket histogram of latencies, so that percentiles can be kept
 * incrementally: a sorted list of every latency cannot be stored in a document, and a streaming
 * sketch such as t-digest cannot un-apply a value, which updates and deletes need.
 *
 * Bucket i holds the latencies in [γ^i, γ^(i+1)) with γ = 1.03; a quantile reports its bucket's
 * geometric midpoint γ^(i+½), at most √γ − 1 ≈ 1.49 % from any value in it. That leaves room under
 * the contract's 2 % for float rounding at bucket edges, and 1.03 rather than 1.02 makes a full
 * histogram a third smaller: latencies between 0.1 s and 120 s fill at most 240 buckets (about 3 KB
 * stored), whatever the number of interactions. Exactly 0 ms, which has no logarithm, has its own
 * bucket, and latencies under 1 µs share the bucket of 1 µs (reported as about 1 µs rather than within 1.5 %), so
 * a histogram never has more than about 850 keys for latencies up to the schema's one day, whatever
 * values clients send. Counts are integers, so add, remove and merge are exact in any order; a count may go
 * negative while a remove overtakes its add, and such buckets still cancel to nothing.
 *
 * Stored keys are "z" (0 ms), "p<i>" (bucket i >= 0) and "n<i>" (bucket −i): plain identifiers, so
 * they are valid Firestore field names and need no quoting in a field path.
 */

/** Bucket key → count; buckets with count 0 are absent. JSON-able as is. */
export type LatencyHistogram = Record<string, number>;

const GAMMA = 1.03;
const LOG_GAMMA = Math.log(GAMMA);
const ZERO_KEY = "z";

/** The index of the bucket holding 1 µs: no latency gets a lower one, which bounds a histogram's size. */
const MIN_INDEX = Math.floor(Math.log(0.001) / LOG_GAMMA);

function indexOf(latencyMs: number): number {
  return Math.max(MIN_INDEX, Math.floor(Math.log(latencyMs) / LOG_GAMMA));
}

function keyOf(latencyMs: number): string {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latency must be a finite number >= 0, got ${latencyMs}`);
  if (latencyMs === 0) return ZERO_KEY;
  const index = indexOf(latencyMs);
  return index >= 0 ? `p${index}` : `n${-index}`;
}

/** The bucket's position in value order; the zero bucket sorts first. */
function orderOf(key: string): number {
  if (key === ZERO_KEY) return -Infinity;
  const magnitude = Number(key.slice(1));
  return key[0] === "n" ? -magnitude : magnitude;
}

function representative(order: number): number {
  return order === -Infinity ? 0 : Math.pow(GAMMA, order + 0.5);
}

function bump(target: LatencyHistogram, key: string, delta: number): void {
  const next = (target[key] ?? 0) + delta;
  if (next === 0) delete target[key];
  else target[key] = next;
}

/** A histogram with nothing in it. */
export function emptyHistogram(): LatencyHistogram {
  return {};
}

/**
 * The histogram with one latency added (`sign` 1) or removed (`sign` −1); the input is not changed.
 * @throws RangeError for a negative or non-finite latency.
 */
export function shiftHistogram(histogram: LatencyHistogram, latencyMs: number, sign: 1 | -1): LatencyHistogram {
  const next = { ...histogram };
  bump(next, keyOf(latencyMs), sign);
  return next;
}

/** The histogram of many latencies at once, in one pass (for full recomputes). */
export function histogramOf(latenciesMs: Iterable<number>): LatencyHistogram {
  const result: LatencyHistogram = {};
  for (const latency of latenciesMs) bump(result, keyOf(latency), 1);
  return result;
}

/** The histogram of the union of both inputs' latencies. */
export function mergeHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  const result = { ...a };
  for (const [key, count] of Object.entries(b)) bump(result, key, count);
  return result;
}

/** True when the histogram holds no latency (and no pending negative count). */
export function isEmptyHistogram(histogram: LatencyHistogram): boolean {
  return Object.keys(histogram).length === 0;
}

/**
 * The q-quantile by nearest rank: the ⌈q·n⌉-th smallest latency (the smallest for q = 0), reported
 * as its bucket's midpoint to 6 significant digits; null when the histogram holds nothing.
 * @example histogramQuantile(histogramOf([100, 200, 300]), 0.5) // ≈ 200, within 1.5 %
 */
export function histogramQuantile(histogram: LatencyHistogram, q: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([key, count]) => ({ order: orderOf(key), count }))
    .sort((x, y) => (x.order < y.order ? -1 : x.order > y.order ? 1 : 0));
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  let lastPositive = buckets[0].order;
  for (const bucket of buckets) {
    if (bucket.count > 0) lastPositive = bucket.order;
    seen += bucket.count;
    if (seen >= rank) return Number(representative(bucket.order).toPrecision(6));
  }
  // Reached only while negative counts are pending (a remove ahead of its add).
  return Number(representative(lastPositive).toPrecision(6));
}
