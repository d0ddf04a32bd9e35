/**
 * @module source-badge
 * Says where a block's numbers came from (the API's edge cache, its store, a fresh computation, or
 * this browser's verified localStorage), how old they are, and whether they are stale and why: a
 * reader deciding on a number needs to know how much to trust it.
 */
import type { MetricsResult } from "metrics-web-client";
import { el } from "./element";

const SOURCE_LABELS: Record<MetricsResult["source"], string> = {
  edge: "API edge cache",
  store: "API store",
  computed: "a fresh computation by the API",
  browser: "browser cache",
};

const STALE_LABELS: Record<NonNullable<MetricsResult["staleReason"]>, string> = {
  revalidating: "stale, refreshing",
  offline: "stale: offline",
  "rate-limited": "stale: rate limited",
  unavailable: "stale: API unavailable",
};

function age(ms: number): string {
  if (ms < 1000) return "just now";
  if (ms < 60_000) return `${Math.round(ms / 1000)} s old`;
  return `${Math.round(ms / 60_000)} min old`;
}

/**
 * A badge like "from browser cache · 12 s old · signature verified", with `data-source` for tests.
 * @example card.append(sourceBadge(result));
 */
export function sourceBadge(result: MetricsResult): HTMLElement {
  const parts = [`from ${SOURCE_LABELS[result.source]}`, age(result.ageMs), "signature verified"];
  if (result.stale) parts.push(STALE_LABELS[result.staleReason ?? "revalidating"]);
  const badge = el("p", { className: `badge ${result.stale ? "badge-stale" : "badge-ok"}`, text: parts.join(" · ") });
  badge.dataset.source = result.source;
  badge.dataset.stale = String(result.stale);
  return badge;
}
