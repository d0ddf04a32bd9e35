/**
 * @module state-codec
 * How a view's state (accumulators, hourly and daily buckets, model registry) is stored: compact JSON,
 * deflated, in one Bytes field. A map per counter would make every histogram key and bucket a
 * Firestore field, and a busy agent's buckets alone would pass the 20,000-field limit of a document;
 * as one value the state costs no index entries and is read and written whole, which is how it is
 * used. Costs (BigInt femto-USD) and latency sums travel as decimal strings, times as milliseconds.
 *
 * The layout is versioned (`v`); a state of another version, or one that does not inflate, decodes to null, which the fold treats
 * like a view without state: it recomputes from source.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { AgentState } from "../metrics/agent-view";
import type { InteractionsState } from "../metrics/interaction-metrics";
import type { LatencyHistogram } from "../metrics/latency-histogram";
import type { ModelTotals } from "../metrics/model-breakdown";
import type { TimeBuckets } from "../metrics/time-buckets";

const VERSION = 3;

// Fields added later are appended and optional, so a state stored before them decodes with zeros:
// no interaction it counted could carry them (the rules and schemas refused unknown fields).
type Model = [name: string, count: number, input: number, output: number, cacheRead: number, costFemto: string, cacheWrite?: number, reasoning?: number];
interface Interactions {
  m: Model[];
  e: number;
  l: string;
  h: Histogram;
  /** Time to first token; absent when empty. */
  t?: Histogram;
}

/**
 * A histogram as its zero bucket's count, the lowest bucket index, and the counts of every bucket
 * from there to the highest, zeros included: about a byte per bucket once deflated, where keyed
 * entries would take four, which keeps the largest state any client can cause far below 1 MiB.
 */
type Histogram = [zero: number, first: number, ...counts: number[]];

function encodeHistogram(histogram: LatencyHistogram): Histogram {
  const entries = Object.entries(histogram).filter(([key]) => key !== "z").map(([key, count]) => [key[0] === "n" ? -Number(key.slice(1)) : Number(key.slice(1)), count] as const);
  if (entries.length === 0) return [histogram.z ?? 0, 0];
  const first = Math.min(...entries.map(([index]) => index));
  const counts: number[] = new Array(Math.max(...entries.map(([index]) => index)) - first + 1).fill(0);
  for (const [index, count] of entries) counts[index - first] = count;
  return [histogram.z ?? 0, first, ...counts];
}

function decodeHistogram([zero, first, ...counts]: Histogram): LatencyHistogram {
  const histogram: LatencyHistogram = {};
  if (zero !== 0) histogram.z = zero;
  counts.forEach((count, i) => {
    if (count === 0) return;
    const index = first + i;
    histogram[index >= 0 ? `p${index}` : `n${-index}`] = count;
  });
  return histogram;
}

function encodeModel(t: ModelTotals): Model {
  const cost = t.costFemto.toString();
  if (t.cacheWriteTokens === 0 && t.reasoningTokens === 0) return [t.model, t.count, t.inputTokens, t.outputTokens, t.cacheReadTokens, cost];
  return [t.model, t.count, t.inputTokens, t.outputTokens, t.cacheReadTokens, cost, t.cacheWriteTokens, t.reasoningTokens];
}
const decodeModel = ([model, count, inputTokens, outputTokens, cacheReadTokens, cost, cacheWriteTokens = 0, reasoningTokens = 0]: Model): ModelTotals => ({
  model,
  count,
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
  reasoningTokens,
  costFemto: BigInt(cost),
});

const encodeInteractions = (s: InteractionsState): Interactions => ({
  m: s.models.map(encodeModel),
  e: s.errorCount,
  l: s.latencySumMicros.toString(),
  h: encodeHistogram(s.latency),
  ...(Object.keys(s.firstToken).length > 0 && { t: encodeHistogram(s.firstToken) }),
});
const decodeInteractions = (s: Interactions): InteractionsState => ({
  models: s.m.map(decodeModel),
  errorCount: s.e,
  latencySumMicros: BigInt(s.l),
  latency: decodeHistogram(s.h),
  firstToken: s.t ? decodeHistogram(s.t) : {},
});

const encodeBuckets = (b: TimeBuckets): Array<[number, Interactions]> => b.buckets.map((x) => [x.startMs, encodeInteractions(x.interactions)]);
const decodeBuckets = (b: Array<[number, Interactions]>): TimeBuckets => ({ buckets: b.map(([startMs, i]) => ({ startMs, interactions: decodeInteractions(i) })) });

/** The stored form of a state. */
export function encodeState(state: AgentState): Buffer {
  const json = {
    v: VERSION,
    sources: state.sources,
    interactions: encodeInteractions(state.interactions),
    hours: encodeBuckets(state.hours),
    days: encodeBuckets(state.days),
    lastAt: state.extremes.lastAt?.getTime() ?? null,
    maxLatencyMs: state.extremes.maxLatencyMs,
    models: state.models,
  };
  return deflateRawSync(Buffer.from(JSON.stringify(json)));
}

/** The state a stored value holds, or null when there is none or it is of another layout. */
export function decodeState(stored: unknown): AgentState | null {
  if (!(stored instanceof Uint8Array)) return null;
  let json;
  try {
    json = JSON.parse(inflateRawSync(stored).toString("utf8"));
  } catch {
    return null;
  }
  if (json?.v !== VERSION) return null;
  return {
    sources: json.sources,
    interactions: decodeInteractions(json.interactions),
    hours: decodeBuckets(json.hours),
    days: decodeBuckets(json.days),
    extremes: { lastAt: json.lastAt === null ? null : new Date(json.lastAt), maxLatencyMs: json.maxLatencyMs },
    models: json.models,
  };
}
