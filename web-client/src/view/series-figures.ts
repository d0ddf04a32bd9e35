/**
 * @module series-figures
 * What each chart of a series shows, as plain columns of numbers: calls and errors, cost, latency,
 * time to first token, tokens (cache writes and reasoning among them) and (daily points only) cost
 * by model. The chart and its text alternative are both drawn from these columns, so the table a
 * screen reader reads holds exactly the numbers the lines plot.
 *
 * A point's `p50TimeToFirstTokenMs` is 0 when none of its calls streamed: that is "no value", not
 * "instant", so the column holds `null` there and the chart leaves a gap where the table says "—".
 */
import type { SeriesData, SeriesPoint } from "metrics-functions/contract";
import { formatNumber, formatUsd } from "./format-value";

export interface FigureColumn {
  label: string;
  /** One per point; `null` where the point has no such value (a gap in the line). */
  values: Array<number | null>;
  /** How one value reads, e.g. "$0.001234" or "812 ms". */
  format: (value: number) => string;
}

export interface SeriesFigure {
  id: "calls" | "cost" | "latency" | "ttft" | "tokens" | "models";
  title: string;
  /** Counts, costs and tokens add up over the range; percentiles do not. */
  additive: boolean;
  columns: FigureColumn[];
  /** A line under the heading, for a figure whose gaps need saying why. */
  note?: string;
}

/** A chart keeps this many models apart; the rest (with the server's own "other") are summed. */
export const MODELS_SHOWN = 5;
const OTHER = "other";

const count = (value: number) => formatNumber(value, 0);
const usd = (value: number) => formatUsd(value, 6);
const ms = (value: number) => `${formatNumber(value, 1)} ms`;
const column = (label: string, points: readonly SeriesPoint[], pick: (p: SeriesPoint) => number | null, format: FigureColumn["format"]): FigureColumn => ({
  label,
  values: points.map(pick),
  format,
});

/** Cost per model and bucket: the models with the highest cost by name, the rest as "other". */
function modelColumns(points: readonly SeriesPoint[]): FigureColumn[] {
  const totals = new Map<string, number>();
  for (const point of points) for (const [model, usage] of Object.entries(point.byModel ?? {})) totals.set(model, (totals.get(model) ?? 0) + usage.costUsd);
  const ranked = [...totals.keys()].filter((m) => m !== OTHER).sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const named = ranked.length > MODELS_SHOWN ? ranked.slice(0, MODELS_SHOWN - 1) : ranked;
  const columns = named.map((model) => column(model, points, (p) => p.byModel?.[model]?.costUsd ?? 0, usd));
  if (named.length < totals.size) {
    const rest = (p: SeriesPoint) => Object.entries(p.byModel ?? {}).reduce((sum, [model, usage]) => (named.includes(model) ? sum : sum + usage.costUsd), 0);
    columns.push(column(OTHER, points, rest, usd));
  }
  return columns;
}

/**
 * The figures of one series, in page order (time to first token right after latency, so the two
 * sit side by side in the two-column grid); the model figure only for daily points.
 * @example seriesFigures(response.data).map((f) => f.title) // ["Calls and errors", "Cost", ...]
 */
export function seriesFigures(data: SeriesData): SeriesFigure[] {
  const { points } = data;
  const figures: SeriesFigure[] = [
    { id: "calls", title: "Calls and errors", additive: true, columns: [column("Calls", points, (p) => p.count, count), column("Errors", points, (p) => p.errorCount, count)] },
    { id: "cost", title: "Cost (USD)", additive: true, columns: [column("Cost", points, (p) => p.costUsd, usd)] },
    {
      id: "latency",
      title: "Latency",
      additive: false,
      columns: [column("p50", points, (p) => p.p50LatencyMs, ms), column("p95", points, (p) => p.p95LatencyMs, ms)],
    },
    // Beside latency: how long a streamed answer kept the user waiting before its first token.
    {
      id: "ttft",
      title: "Time to first token",
      additive: false,
      columns: [column("p50", points, (p) => p.p50TimeToFirstTokenMs || null, ms)],
      note: "Over the calls that stream; a gap (— in the numbers) where none did.",
    },
    {
      id: "tokens",
      title: "Tokens",
      additive: true,
      columns: [
        column("Input", points, (p) => p.inputTokens, count),
        column("Output", points, (p) => p.outputTokens, count),
        column("Cache read", points, (p) => p.cacheReadTokens, count),
        column("Cache write", points, (p) => p.cacheWriteTokens, count),
        // Part of Output, drawn as its own line so the share spent reasoning shows.
        column("Reasoning", points, (p) => p.reasoningTokens, count),
      ],
    },
  ];
  if (data.granularity === "day") figures.push({ id: "models", title: "Cost by model", additive: true, columns: modelColumns(points) });
  return figures;
}

/** How the value of `column` at point `i` reads: a dash where the point has none. */
export const shownValue = (column: FigureColumn, i: number): string => {
  const value = column.values[i];
  return value === null || value === undefined ? "—" : column.format(value);
};

/** The start of every point, epoch ms. */
export const pointTimes = (data: SeriesData): number[] => data.points.map((p) => Date.parse(p.start));

/**
 * How a bucket's start reads: hours in the reader's time zone, days as the UTC days they are.
 * @example bucketLabel(Date.parse("2026-01-02T00:00:00Z"), "day") // "Jan 2" in English
 */
export function bucketLabel(startMs: number, granularity: SeriesData["granularity"]): string {
  const time = new Date(startMs);
  return granularity === "day"
    ? time.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" })
    : time.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/**
 * One sentence with the figure's gist, for the chart's accessible name: totals (or the highest
 * value, for percentiles) and when each peaked.
 * @example "Calls and errors per hour, 24 points: Calls 42 in all, most 9 at Jan 2, 14:00; ..."
 */
export function figureSummary(figure: SeriesFigure, times: readonly number[], granularity: SeriesData["granularity"]): string {
  const parts = figure.columns.map((c) => {
    const peak = c.values.reduce<number>((best, v, i) => (v !== null && (best < 0 || v > c.values[best]!) ? i : best), -1);
    if (peak < 0) return `${c.label}: none`;
    const highest = c.values[peak]!;
    const at = `at ${bucketLabel(times[peak], granularity)}`;
    if (!figure.additive) return `${c.label} highest ${c.format(highest)} ${at}`;
    const total = c.values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
    return `${c.label} ${c.format(total)} in all, most ${c.format(highest)} ${at}`;
  });
  return `${figure.title} per ${granularity}, ${times.length} points: ${parts.join("; ")}.`;
}
