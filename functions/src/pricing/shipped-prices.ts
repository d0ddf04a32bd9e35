/**
 * @module shipped-prices
 * The prices that apply when `metrics_config/pricing` does not name a model: the providers' published
 * list prices in USD per million tokens, as docs/PRICING.md records them (the date they were written
 * down and the page each comes from). Keys ending in `*` are prefixes, for the dated snapshot names
 * provider APIs report (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`); the longest matching
 * prefix wins, and an exact key beats every prefix.
 *
 * Cache writes: OpenAI and Google bill no write surcharge (the rate falls back to input); Anthropic
 * bills a 5-minute cache write at 1.25x input and a read at 0.1x. Long-context tiers price every
 * token of a call whose whole prompt is above the threshold.
 */
import type { ModelRate } from "./pricing";

type Rate = Omit<ModelRate, "effectiveFrom">;

/** Anthropic's rate from the input and output price: cache read 0.1x, 5-minute cache write 1.25x input. */
const anthropic = (input: number, output: number, extra: Partial<Rate> = {}): Rate => ({
  inputPerMTok: input,
  outputPerMTok: output,
  cacheReadPerMTok: input / 10,
  cacheWritePerMTok: input * 1.25,
  ...extra,
});

/** Above 200k prompt tokens (Claude Sonnet 4 and 4.5 with the 1M-token context): 2x input, 1.5x output. */
const sonnetLongContext = { tiers: [{ aboveInputTokens: 200_000, inputPerMTok: 6, outputPerMTok: 22.5, cacheReadPerMTok: 0.6, cacheWritePerMTok: 7.5 }] };

export const SHIPPED_RATES: ReadonlyArray<readonly [string, Rate]> = [
  // OpenAI (https://openai.com/api/pricing/): cached input at the listed rate, no cache-write surcharge.
  ["gpt-4o", { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 }],
  ["gpt-4o-2024*", { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 }],
  ["gpt-4o-2024-05-13", { inputPerMTok: 5, outputPerMTok: 15 }],
  ["gpt-4o-mini", { inputPerMTok: 0.15, outputPerMTok: 0.6, cacheReadPerMTok: 0.075 }],
  ["gpt-4o-mini-2024*", { inputPerMTok: 0.15, outputPerMTok: 0.6, cacheReadPerMTok: 0.075 }],
  ["gpt-4.1*", { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 }],
  ["gpt-4.1-mini*", { inputPerMTok: 0.4, outputPerMTok: 1.6, cacheReadPerMTok: 0.1 }],
  ["gpt-4.1-nano*", { inputPerMTok: 0.1, outputPerMTok: 0.4, cacheReadPerMTok: 0.025 }],
  ["o3", { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 }],
  ["o3-2025*", { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 }],
  ["o4-mini*", { inputPerMTok: 1.1, outputPerMTok: 4.4, cacheReadPerMTok: 0.275 }],
  ["gpt-5", { inputPerMTok: 1.25, outputPerMTok: 10, cacheReadPerMTok: 0.125 }],
  ["gpt-5-2025*", { inputPerMTok: 1.25, outputPerMTok: 10, cacheReadPerMTok: 0.125 }],
  ["gpt-5-mini*", { inputPerMTok: 0.25, outputPerMTok: 2, cacheReadPerMTok: 0.025 }],
  ["gpt-5-nano*", { inputPerMTok: 0.05, outputPerMTok: 0.4, cacheReadPerMTok: 0.005 }],
  // Anthropic (https://www.anthropic.com/pricing#api): dated names such as claude-opus-4-1-20250805.
  ["claude-opus-4*", anthropic(15, 75)],
  ["claude-opus-4-5*", anthropic(5, 25)],
  ["claude-sonnet-4*", anthropic(3, 15, sonnetLongContext)],
  ["claude-3-7-sonnet*", anthropic(3, 15)],
  ["claude-haiku-4-5*", anthropic(1, 5)],
  ["claude-3-5-haiku*", anthropic(0.8, 4)],
  // Google (https://ai.google.dev/gemini-api/docs/pricing): text input; cache storage per hour is not priced.
  ["gemini-2.5-pro*", { inputPerMTok: 1.25, outputPerMTok: 10, cacheReadPerMTok: 0.125, tiers: [{ aboveInputTokens: 200_000, inputPerMTok: 2.5, outputPerMTok: 15, cacheReadPerMTok: 0.25 }] }],
  ["gemini-2.5-flash*", { inputPerMTok: 0.3, outputPerMTok: 2.5, cacheReadPerMTok: 0.03 }],
  ["gemini-2.5-flash-lite*", { inputPerMTok: 0.1, outputPerMTok: 0.4, cacheReadPerMTok: 0.01 }],
  ["gemini-2.0-flash*", { inputPerMTok: 0.1, outputPerMTok: 0.4, cacheReadPerMTok: 0.025 }],
  ["gemini-2.0-flash-lite*", { inputPerMTok: 0.075, outputPerMTok: 0.3 }],
  ["gemini-1.5-flash", { inputPerMTok: 0.075, outputPerMTok: 0.3, cacheReadPerMTok: 0.01875, tiers: [{ aboveInputTokens: 128_000, inputPerMTok: 0.15, outputPerMTok: 0.6, cacheReadPerMTok: 0.0375 }] }],
];
