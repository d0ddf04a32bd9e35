/**
 * The shipped price table: well-formed, and the figures docs/PRICING.md records (checked 2026-12-08)
 * reach the names the providers' APIs report, through the longest matching prefix.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { costFemtoUsd, pricingConfigSchema, pricingFromConfig } from "../../../functions/src/pricing/pricing";
import { SHIPPED_RATES } from "../../../functions/src/pricing/shipped-prices";

const defaults = pricingFromConfig(null);
const AT = new Date("2026-12-08T00:00:00Z");
const M = 1_000_000;
const usd = (model: string, inputTokens: number, outputTokens: number, cacheReadTokens: number, cacheWriteTokens: number) =>
  Number(costFemtoUsd(defaults, model, { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens }, AT)) / 1e15;
/** USD per million tokens of one prompt kind, measured on a prompt of `promptTokens` of that kind alone. */
const perToken = (model: string, kind: "input" | "cacheRead" | "cacheWrite", promptTokens: number) => {
  const tokens = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  tokens[`${kind}Tokens`] = promptTokens;
  return Number(costFemtoUsd(defaults, model, tokens, AT)) / promptTokens / 1e9;
};

test("every shipped rate is one the stored config would accept, under a distinct key", () => {
  const keys = SHIPPED_RATES.map(([key]) => key);
  assert.equal(new Set(keys).size, keys.length);
  const parsed = pricingConfigSchema.safeParse({ models: Object.fromEntries(SHIPPED_RATES) });
  assert.equal(parsed.success, true, JSON.stringify(parsed.error?.issues));
});

test("the shipped figures reach dated snapshot names, the longest prefix winning", () => {
  // [model, input, output, cache read, cache write] in USD per million tokens, on prompts under every tier.
  const expected: Array<[string, number, number, number, number]> = [
    ["gpt-4o-2024-08-06", 2.5, 10, 1.25, 2.5],
    ["gpt-4o-2024-05-13", 5, 15, 5, 5],
    ["gpt-5-2025-08-07", 1.25, 10, 0.125, 1.25],
    ["gpt-5.1-codex-mini", 0.25, 2, 0.025, 0.25],
    ["gpt-5.1-2025-11-13", 1.25, 10, 0.125, 1.25],
    ["gpt-5.2-pro-2025-12-11", 21, 168, 21, 21],
    ["gpt-5.4-mini-2026-03-17", 0.75, 4.5, 0.075, 0.75],
    ["gpt-5.4-nano-2026-03-17", 0.2, 1.25, 0.02, 0.2],
    ["o3-mini-2025-01-31", 1.1, 4.4, 0.55, 1.1],
    ["gpt-6-sol", 2, 10, 0.2, 2.5],
    ["gpt-6.1-sol", 2, 10, 0.1, 2.5],
    ["claude-opus-4-20250514", 15, 75, 1.5, 18.75],
    ["claude-opus-4-5-20251101", 5, 25, 0.5, 6.25],
    ["claude-opus-4-7", 5, 25, 0.5, 6.25],
    ["claude-opus-5", 5, 25, 0.5, 6.25],
    ["claude-opus-5-5", 4, 20, 0.2, 5],
    ["claude-sonnet-5", 2, 10, 0.2, 2.5],
    ["claude-sonnet-5-5", 2, 10, 0.1, 2.5],
    ["claude-3-5-haiku-20241022", 0.8, 4, 0.08, 1],
    ["claude-fable-5-1", 10, 50, 0.25, 12.5],
    ["gemini-2.5-flash-lite-preview-09-2025", 0.1, 0.4, 0.01, 0.1],
    ["gemini-3.1-pro-preview", 2, 12, 0.2, 2],
    ["gemini-3.5-flash-lite", 0.3, 2.5, 0.03, 0.3],
  ];
  for (const [model, ...rates] of expected) {
    // Output alone is no prompt, so a million output tokens pay the base rate.
    const measured = [perToken(model, "input", 1_000), usd(model, 0, M, 0, 0), perToken(model, "cacheRead", 1_000), perToken(model, "cacheWrite", 1_000)];
    assert.deepEqual(measured, rates, model);
  }
});

test("shipped long-context tiers start one token above their threshold", () => {
  // Claude Haiku 5.5: $0.10 input up to 100,000 prompt tokens, $0.50 above; cache writes $0.125 / $0.625, reads $0.01 / $0.05.
  assert.equal(perToken("claude-haiku-5-5", "input", 100_000), 0.1);
  assert.equal(perToken("claude-haiku-5-5", "input", 100_001), 0.5);
  assert.equal(perToken("claude-haiku-5-5", "cacheWrite", 100_001), 0.625);
  assert.equal(perToken("claude-haiku-5-5", "cacheRead", 100_001), 0.05);
  assert.equal(usd("claude-haiku-5-5", 50_000, 1_000, 30_000, 20_001), (50_000 * 0.5 + 1_000 * 2.5 + 30_000 * 0.05 + 20_001 * 0.625) / M, "the whole prompt counts");
  // GPT-5.4 and 5.5 above 272,000 prompt tokens: 2x input and cached input, 1.5x output.
  assert.equal(perToken("gpt-5.4-2026-03-05", "input", 272_000), 2.5);
  assert.equal(perToken("gpt-5.4-2026-03-05", "input", 272_001), 5);
  assert.equal(perToken("gpt-5.5", "cacheRead", 272_001), 1);
  assert.equal(perToken("gpt-5.4-mini", "input", 272_001), 0.75, "the mini has no tier");
  // Gemini 3.1 Pro above 200,000: $4 input, $0.40 cache read. Claude Sonnet 4.5 keeps its 1M-context premium; Sonnet 4.6 has none.
  assert.equal(perToken("gemini-3.1-pro-preview", "input", 200_001), 4);
  assert.equal(perToken("gemini-3.1-pro-preview", "cacheRead", 200_001), 0.4);
  assert.equal(perToken("claude-sonnet-4-5-20250929", "input", 200_001), 6);
  assert.equal(perToken("claude-sonnet-4-6", "input", 200_001), 3);
});
