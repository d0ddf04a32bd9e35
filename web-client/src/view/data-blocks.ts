/**
 * @module data-blocks
 * The shapes every metrics block is drawn with: a list of labelled facts, and a chart of
 * proportional bars. Bars are plain styled elements with their value written beside them, so they
 * read without colour, scale to phone width and need no charting library.
 */
import { el } from "./element";
import { formatNumber } from "./format-value";

/**
 * A `<dl>` of label/value pairs, values already formatted.
 * @example factList([["Sources", "3"], ["Total size", "1.5 KB"]])
 */
export function factList(rows: ReadonlyArray<readonly [string, string]>): HTMLDListElement {
  const list = el("dl", { className: "facts" });
  for (const [label, value] of rows) list.append(el("dt", { text: label }), el("dd", { text: value }));
  return list;
}

export interface BarRow {
  label: string;
  value: number;
  /** The value as the reader sees it, e.g. "$0.12" or "812 ms". */
  text: string;
}

/**
 * A table with one bar per row, each as wide as its share of the largest value. Zero rows stay
 * visible so every type and status is accounted for.
 * @example barChart("Latency", [{ label: "p50", value: 420, text: "420 ms" }])
 */
export function barChart(caption: string, rows: readonly BarRow[]): HTMLTableElement {
  const table = el("table", { className: "bars" }, el("caption", { text: caption }));
  const largest = Math.max(0, ...rows.map((r) => (Number.isFinite(r.value) ? r.value : 0)));
  for (const row of rows) {
    const bar = el("span", { className: "bar" });
    bar.style.width = `${largest > 0 && row.value > 0 ? (row.value / largest) * 100 : 0}%`;
    table.append(el("tr", {}, el("th", { text: row.label }), el("td", { className: "bar-cell" }, bar), el("td", { className: "value", text: row.text })));
  }
  if (rows.length === 0) table.append(el("tr", {}, el("td", { className: "empty", text: "none yet" })));
  return table;
}

/**
 * `barChart` over a map of counts, e.g. sources by type.
 * @example countBars("Sources by type", { pdf: 2, text: 1 })
 */
export function countBars(caption: string, counts: Record<string, number> | undefined): HTMLTableElement {
  const rows = Object.entries(counts ?? {}).map(([label, value]) => ({ label, value, text: formatNumber(value) }));
  return barChart(caption, rows);
}
