/**
 * @module metrics-card
 * One metrics view drawn as a card: its provenance badge first (every number below is only as good
 * as it), the headline facts (tokens with cache reads and writes and the reasoning share among
 * them), then charts of sources by type and status, cost by model, latency percentiles, time to
 * first token (when some call streamed) and the 1h/24h/7d windows. Blocks a view does not carry are
 * left out.
 */
import type { InteractionsBlock, MetricsData } from "metrics-functions/contract";
import type { MetricsResult } from "metrics-web-client";
import { barChart, countBars, factList } from "./data-blocks";
import { el } from "./element";
import { formatBytes, formatNumber, formatTime, formatUsd } from "./format-value";
import { interactionFacts, ttftRows } from "./interaction-facts";
import { sourceBadge } from "./source-badge";

const WINDOWS = ["1h", "24h", "7d"] as const;

function headline(data: MetricsData): HTMLDListElement {
  const { sources, interactions } = data;
  const rows: Array<[string, string]> = [];
  if (data.agentCount !== undefined) rows.push(["Agents", formatNumber(data.agentCount)]);
  rows.push(
    ["Sources", formatNumber(sources?.count)],
    ["Source size", formatBytes(sources?.totalBytes)],
    ["Source tokens", formatNumber(sources?.totalTokens)],
  );
  if (interactions) {
    rows.push(...interactionFacts(interactions), ["Cost", formatUsd(interactions.costUsd)]);
  }
  rows.push(["Version", `${formatNumber(data.version)}, computed ${formatTime(data.computedAt)}`]);
  return factList(rows);
}

function interactionCharts(block: InteractionsBlock): HTMLElement[] {
  const latency = block.latencyMs ?? { avg: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const models = Object.entries(block.byModel ?? {}).sort(([, a], [, b]) => b.costUsd - a.costUsd);
  const charts = [
    barChart("Cost by model", models.map(([label, m]) => ({ label, value: m.costUsd, text: `${formatUsd(m.costUsd, 4)} · ${formatNumber(m.count)} calls` }))),
    barChart(
      "Latency percentiles",
      (["p50", "p95", "p99", "max"] as const).map((p) => ({ label: p, value: latency[p], text: `${formatNumber(latency[p], 0)} ms` })),
    ),
  ];
  const ttft = ttftRows(block);
  if (ttft) {
    const chart = barChart(`Time to first token (${formatNumber(block.timeToFirstTokenMs.count)} streamed calls)`, ttft);
    chart.dataset.chart = "ttft";
    charts.push(chart);
  }
  return charts;
}

function windowChart(windows: NonNullable<MetricsData["windows"]>): HTMLElement {
  return barChart(
    "Calls in the last 1h / 24h / 7d",
    WINDOWS.map((name) => {
      const w = windows[name];
      return { label: name, value: w?.count ?? 0, text: `${formatNumber(w?.count ?? 0)} calls · ${formatUsd(w?.costUsd ?? 0, 2)} · p95 ${formatNumber(w?.p95LatencyMs ?? 0, 0)} ms` };
    }),
  );
}

/**
 * The card for one read; `title` names the agent, user or organization.
 * @example list.append(metricsCard("Support bot", result));
 */
export function metricsCard(title: string, result: MetricsResult): HTMLElement {
  const { data } = result.response;
  const card = el("article", { className: "card metrics" }, el("h3", { text: title }), sourceBadge(result), headline(data));
  card.dataset.scope = data.scope;
  card.dataset.id = data.id;
  card.dataset.sources = String(data.sources?.count ?? "");
  card.dataset.version = String(data.version);
  const charts = el("div", { className: "charts" }, countBars("Sources by type", data.sources?.byType), countBars("Sources by status", data.sources?.byStatus));
  if (data.interactions) charts.append(...interactionCharts(data.interactions));
  if (data.windows) charts.append(windowChart(data.windows));
  card.append(charts);
  return card;
}
