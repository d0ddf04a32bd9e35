/**
 * @module series-table
 * The text alternative of a series chart: a table with one row per bucket and one column per line,
 * the same numbers the chart plots, formatted as the rest of the page formats them.
 */
import type { SeriesGranularity } from "metrics-functions/contract";
import { el } from "./element";
import { bucketLabel, shownValue, type SeriesFigure } from "./series-figures";

/**
 * The figure's numbers as a table; each row's header carries the bucket's ISO start in `data-start`.
 * @example details.append(seriesTable(figure, times, "hour"));
 */
export function seriesTable(figure: SeriesFigure, times: readonly number[], granularity: SeriesGranularity): HTMLTableElement {
  const heading = (text: string) => Object.assign(el("th", { text }), { scope: "col" });
  const head = el("tr", {}, heading(granularity === "day" ? "Day (UTC)" : "Hour"), ...figure.columns.map((c) => heading(c.label)));
  const rows = times.map((time, i) => {
    const label = Object.assign(el("th", { text: bucketLabel(time, granularity) }), { scope: "row" });
    label.dataset.start = new Date(time).toISOString();
    return el("tr", {}, label, ...figure.columns.map((c) => el("td", { text: shownValue(c, i) })));
  });
  const table = el("table", { className: "series-numbers" }, el("caption", { text: `${figure.title}, per ${granularity}` }), el("thead", {}, head), el("tbody", {}, ...rows));
  table.dataset.figure = figure.id;
  return table;
}
