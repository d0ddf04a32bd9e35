/**
 * @module metrics-panel
 * Draws one metrics response: where it came from, whether its signature verified, and its blocks.
 * The verification badge comes first because every number below it is only as good as the badge.
 */
import type { MetricsResponse } from "../lib/api-types";
import { activitySections } from "./activity-sections";
import { countBars, factList } from "./data-blocks";
import { el } from "./element";
import { formatBytes, formatNumber, formatTime } from "./format-value";

function signatureBadge(verified: boolean, keyId: string): HTMLElement {
  return verified
    ? el("p", { className: "badge badge-ok", text: `Signature verified with key ${keyId}` })
    : el("p", { className: "badge badge-bad", text: "Signature INVALID: do not trust these numbers" });
}

function provenance(response: MetricsResponse): HTMLDListElement {
  const { data, meta } = response;
  const rows: Array<[string, string]> = [
    ["Scope", `${data.scope} ${data.id}`],
    ["Version", formatNumber(data.version)],
    ["Computed at", formatTime(data.computedAt)],
    ["Served from", `${meta?.cache ?? "—"} cache, ${formatNumber(meta?.ageMs, 0)} ms old${meta?.stale ? " (stale)" : ""}`],
  ];
  if (data.agentCount !== undefined) rows.push(["Agents", formatNumber(data.agentCount)]);
  return factList(rows);
}

function sourcesSection(response: MetricsResponse): HTMLElement {
  const sources = response.data.sources;
  const section = el("section", { className: "block" }, el("h3", { text: "Context sources" }));
  if (!sources || sources.count === 0) {
    section.append(el("p", { className: "empty", text: "No context sources yet." }));
    return section;
  }
  section.append(
    factList([
      ["Count", formatNumber(sources.count)],
      ["Total size", formatBytes(sources.totalBytes)],
      ["Total tokens", formatNumber(sources.totalTokens)],
      ["Last added", formatTime(sources.lastAddedAt)],
    ]),
    countBars("By type", sources.byType),
    countBars("By status", sources.byStatus),
  );
  return section;
}

/**
 * The panel for one response; `verified` is the outcome of `verifyMetricsSignature` on it.
 * @example output.replaceChildren(metricsPanel(response, await verifyMetricsSignature(response, keys)));
 */
export function metricsPanel(response: MetricsResponse, verified: boolean): HTMLElement {
  return el(
    "article",
    { className: "metrics" },
    signatureBadge(verified, response.signature?.keyId ?? "?"),
    provenance(response),
    sourcesSection(response),
    ...activitySections(response.data),
  );
}
