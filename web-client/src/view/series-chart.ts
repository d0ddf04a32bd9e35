/**
 * @module series-chart
 * Draws one series figure with uPlot, on canvas. This module (and uPlot with its stylesheet) is
 * loaded with a dynamic `import()`, so it lands in its own chunk and the main script stays lean:
 * the page shows its numbers (cards and the charts' tables) before the chart code has arrived.
 * Series are told apart by dash pattern as well as colour, so the lines read without colour vision.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { SeriesGranularity } from "metrics-functions/contract";
import type { SeriesFigure } from "./series-figures";

/** Colour-blind-safe hues (Okabe–Ito), each with its own dash. */
const STROKES = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];
const DASHES: number[][] = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 5], [12, 6]];
const HEIGHT = 190;

export interface DrawnChart {
  /** Replaces the plotted numbers (same columns) without rebuilding the chart. */
  update(figure: SeriesFigure, times: readonly number[]): void;
  destroy(): void;
}

const alignedData = (figure: SeriesFigure, times: readonly number[]): uPlot.AlignedData => [times.map((t) => t / 1000), ...figure.columns.map((c) => c.values)];

/**
 * Draws `figure` into `holder`, as wide as the holder, following its width.
 * @example const chart = drawChart(holder, figure, times, "hour"); chart.update(next, nextTimes);
 */
export function drawChart(holder: HTMLElement, figure: SeriesFigure, times: readonly number[], granularity: SeriesGranularity): DrawnChart {
  const format = figure.columns[0]?.format ?? String;
  const options: uPlot.Options = {
    width: Math.max(200, holder.clientWidth),
    height: HEIGHT,
    // Daily buckets are UTC days: label them as such whatever the reader's zone.
    ...(granularity === "day" && { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC") }),
    cursor: { drag: { x: false, y: false } },
    scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [{}, { size: 70, values: (_u, ticks) => ticks.map((v) => format(v)) }],
    series: [
      { label: granularity === "day" ? "Day (UTC)" : "Hour" },
      ...figure.columns.map((c, i) => ({
        label: c.label,
        stroke: STROKES[i % STROKES.length],
        dash: DASHES[i % DASHES.length],
        width: 2,
        points: { show: times.length <= 31 },
        value: (_u: uPlot, v: number | null) => (v === null ? "—" : c.format(v)),
      })),
    ],
  };
  const plot = new uPlot(options, alignedData(figure, times), holder);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, holder.clientWidth), height: HEIGHT }));
  resize.observe(holder);
  return {
    update: (next, nextTimes) => plot.setData(alignedData(next, nextTimes)),
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
