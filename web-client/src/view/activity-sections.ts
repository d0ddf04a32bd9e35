/**
 * @module activity-sections
 * The interaction blocks of a view (`interactions` and `windows`), drawn only when the server sent
 * them: a view without interaction metrics is valid and simply shows its sources.
 */
import type { InteractionsBlock, LatencySummary, MetricsData } from "../lib/api-types";
import { countBars, factList } from "./data-blocks";
import { el } from "./element";
import { formatNumber, formatTime, formatUsd } from "./format-value";

function interactionsSection(block: InteractionsBlock): HTMLElement {
  const latency: Partial<LatencySummary> = block.latencyMs ?? {};
  const modelCounts = Object.fromEntries(Object.entries(block.byModel ?? {}).map(([model, m]) => [model, m?.count]));
  return el(
    "section",
    { className: "block" },
    el("h3", { text: "Interactions" }),
    factList([
      ["Calls", formatNumber(block.count)],
      ["Errors", `${formatNumber(block.errorCount)} (${formatNumber((block.errorRate ?? NaN) * 100, 1)} %)`],
      ["Input tokens", formatNumber(block.inputTokens)],
      ["Output tokens", formatNumber(block.outputTokens)],
      ["Cache-read tokens", formatNumber(block.cacheReadTokens)],
      ["Cost", formatUsd(block.costUsd)],
      ["Latency p50 / p95 / p99", `${formatNumber(latency.p50, 0)} / ${formatNumber(latency.p95, 0)} / ${formatNumber(latency.p99, 0)} ms`],
      ["Latency avg / max", `${formatNumber(latency.avg, 0)} / ${formatNumber(latency.max, 0)} ms`],
      ["Last call", formatTime(block.lastAt)],
    ]),
    countBars("Calls by model", modelCounts),
  );
}

function windowsSection(windows: NonNullable<MetricsData["windows"]>): HTMLElement {
  const table = el("table", { className: "windows" }, el("caption", { text: "Recent windows" }));
  table.append(el("tr", {}, ...["Window", "Calls", "Errors", "Cost", "p95 ms"].map((h) => el("th", { text: h }))));
  for (const [name, w] of Object.entries(windows)) {
    const cells = [formatNumber(w?.count), formatNumber(w?.errorCount), formatUsd(w?.costUsd), formatNumber(w?.p95LatencyMs, 0)];
    table.append(el("tr", {}, el("th", { text: name }), ...cells.map((text) => el("td", { text }))));
  }
  return el("section", { className: "block" }, el("h3", { text: "Windows" }), table);
}

/**
 * The sections for whichever of `interactions` and `windows` the view holds; empty when neither.
 * @example panel.append(...activitySections(response.data));
 */
export function activitySections(data: MetricsData): HTMLElement[] {
  const sections: HTMLElement[] = [];
  if (data.interactions) sections.push(interactionsSection(data.interactions));
  if (data.windows) sections.push(windowsSection(data.windows));
  return sections;
}
