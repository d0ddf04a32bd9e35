/**
 * @module data-blocks
 * The two shapes every metrics block is drawn with: a list of labelled facts, and a table of counts
 * with proportional bars. Bars are plain styled elements so they scale to phone width without a
 * charting library.
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

/**
 * A table with one row per key of `counts`: label, a bar as wide as its share of the largest count,
 * and the count. Zero rows stay visible so every type and status is accounted for.
 * @example countBars("Sources by type", { pdf: 2, text: 1 })
 */
export function countBars(caption: string, counts: unknown): HTMLTableElement {
  const table = el("table", { className: "count-bars" }, el("caption", { text: caption }));
  const entries = typeof counts === "object" && counts !== null ? Object.entries(counts as Record<string, unknown>) : [];
  const largest = Math.max(1, ...entries.map(([, n]) => (typeof n === "number" ? n : 0)));
  for (const [label, count] of entries) {
    const share = typeof count === "number" && count > 0 ? (count / largest) * 100 : 0;
    const bar = el("span", { className: "bar" });
    bar.style.width = `${share}%`;
    table.append(
      el("tr", {}, el("th", { text: label }), el("td", { className: "bar-cell" }, bar), el("td", { className: "count", text: formatNumber(count) })),
    );
  }
  if (entries.length === 0) table.append(el("tr", {}, el("td", { text: "none" })));
  return table;
}
