/**
 * @module stats
 * Summaries of timing samples. Percentiles are nearest-rank (the smallest sample with at least p % of
 * the samples at or below it), so every figure printed is one that was actually observed.
 */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

const ascending = (samples: readonly number[]) => {
  if (samples.length === 0) throw new Error("no samples");
  return [...samples].sort((a, b) => a - b);
};
const nearestRank = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

/** The nearest-rank percentile `p` (0-100) of `samples`. */
export const percentile = (samples: readonly number[], p: number): number => nearestRank(ascending(samples), p);

/** The median as nearest-rank p50 (an observed sample, the lower middle one for an even count). */
export const median = (samples: readonly number[]) => percentile(samples, 50);

export function summarize(samples: readonly number[]): Summary {
  const sorted = ascending(samples);
  const at = (p: number) => nearestRank(sorted, p);
  return {
    n: samples.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    mean: samples.reduce((sum, x) => sum + x, 0) / samples.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** Milliseconds rounded for a table: two decimals below 1 ms, one below 10 ms, whole numbers above. */
export const ms = (value: number) => `${value < 1 ? value.toFixed(2) : value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en-US")} ms`;

/** A ratio such as `0.012×` or `35×`, with enough digits to stay readable at both ends. */
export function times(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  const digits = value >= 10 ? 0 : value >= 1 ? 1 : Math.min(5, 1 - Math.floor(Math.log10(value)));
  return `${value.toFixed(digits)}×`;
}

/** One Markdown table row. */
export const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
