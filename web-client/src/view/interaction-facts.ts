/**
 * @module interaction-facts
 * The token and latency figures of a view's interactions block, as the card writes them: the
 * headline rows (tokens in and out, cache reads and writes, the share of output spent reasoning)
 * and the time-to-first-token percentiles. Kept apart from the card's DOM so the arithmetic and the
 * wording are unit-tested; a view stored before a field existed lacks it, and reads as a dash.
 */
import type { InteractionsBlock } from "metrics-functions/contract";
import type { BarRow } from "./data-blocks";
import { formatNumber } from "./format-value";

/**
 * The part of the output tokens spent reasoning, 0..1; `null` when there is no output to take a
 * share of (or the view predates the field), since 0 % of nothing would claim a fact.
 * @example reasoningShare({ outputTokens: 400, reasoningTokens: 100 }) // 0.25
 */
export function reasoningShare(block: Pick<InteractionsBlock, "outputTokens" | "reasoningTokens">): number | null {
  const { outputTokens, reasoningTokens } = block;
  if (typeof reasoningTokens !== "number" || typeof outputTokens !== "number" || !(outputTokens > 0)) return null;
  return Math.min(1, reasoningTokens / outputTokens);
}

/**
 * How the reasoning share reads: "25 % of output (100 tokens)", or why there is none.
 * @example reasoningText({ outputTokens: 0, reasoningTokens: 0 }) // "— (no output tokens yet)"
 */
export function reasoningText(block: Pick<InteractionsBlock, "outputTokens" | "reasoningTokens">): string {
  const share = reasoningShare(block);
  if (share === null) return typeof block.reasoningTokens === "number" ? "— (no output tokens yet)" : "—";
  return `${formatNumber(share * 100, 1)} % of output (${formatNumber(block.reasoningTokens)} tokens)`;
}

/**
 * The headline rows of the interactions block, label then value.
 * @example factList(interactionFacts(data.interactions))
 */
export function interactionFacts(block: InteractionsBlock): Array<[string, string]> {
  return [
    ["Calls", `${formatNumber(block.count)} (${formatNumber((block.errorRate ?? NaN) * 100, 1)} % errors)`],
    ["Tokens in / out", `${formatNumber(block.inputTokens)} / ${formatNumber(block.outputTokens)}`],
    ["Cache-read tokens", formatNumber(block.cacheReadTokens)],
    ["Cache-write tokens", formatNumber(block.cacheWriteTokens)],
    ["Reasoning share", reasoningText(block)],
  ];
}

/**
 * The bars of the time-to-first-token chart, or `null` when no call reported one (a chart of
 * zeros would read as "instant").
 * @example ttftRows(block)?.map((r) => r.text) // ["180 ms", "420 ms"]
 */
export function ttftRows(block: Pick<InteractionsBlock, "timeToFirstTokenMs">): BarRow[] | null {
  const ttft = block.timeToFirstTokenMs;
  if (!ttft || !(ttft.count > 0)) return null;
  return (["p50", "p95"] as const).map((p) => ({ label: p, value: ttft[p], text: `${formatNumber(ttft[p], 0)} ms` }));
}
