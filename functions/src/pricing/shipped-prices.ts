/**
 * @module shipped-prices
 * The prices that apply when `metrics_config/pricing` does not name a model: the providers' published
 * list prices in USD per million tokens (standard processing, text input), as docs/PRICING.md records
 * them: the page or table each figure was checked against and the date it was checked (2026-12-08).
 * Keys ending in `*` are prefixes, for the dated snapshot names provider APIs report
 * (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`); the longest matching prefix wins, and an exact
 * key beats every prefix.
 *
 * None carries an `effectiveFrom`: each is the price current on 2026-12-08 and applies to every
 * interaction until a stored rate says otherwise. Where a provider changed a price (Claude Sonnet 5.5's
 * cache read on 2026-10-07) or has announced a change (Gemini 3.8 Flash on 2027-01-01), docs/PRICING.md
 * says so, and a dated entry in `metrics_config/pricing` prices the other side of the date.
 *
 * Cache writes: OpenAI (before GPT-6) and Google bill no write surcharge (the rate falls back to input);
 * Anthropic bills a 5-minute cache write at 1.25x input (the 1-hour write, 2x, is not modelled) and a
 * read at 0.1x on most models. Long-context tiers price every token of a call whose whole prompt
 * (input + cache read + cache write) is above the threshold.
 */
import type { ModelRate } from "./pricing";

type Rate = Omit<ModelRate, "effectiveFrom">;
type Tier = NonNullable<Rate["tiers"]>[number];

/** A rate without a cache-write surcharge, as OpenAI and Google bill (a cache read omitted pays input too). */
const rate = (input: number, output: number, cacheRead?: number, tiers?: Tier[]): Rate => ({
  inputPerMTok: input,
  outputPerMTok: output,
  ...(cacheRead === undefined ? {} : { cacheReadPerMTok: cacheRead }),
  ...(tiers ? { tiers } : {}),
});

/** Anthropic's rate from the input and output price: cache read 0.1x, 5-minute cache write 1.25x input, unless `extra` says otherwise. */
const anthropic = (input: number, output: number, extra: Partial<Rate> = {}): Rate => ({
  inputPerMTok: input,
  outputPerMTok: output,
  cacheReadPerMTok: input / 10,
  cacheWritePerMTok: input * 1.25,
  ...extra,
});

/** Above 200k prompt tokens (Claude Sonnet 4 and 4.5 with the 1M-token context beta): 2x input, 1.5x output. */
const sonnetLongContext = { tiers: [{ aboveInputTokens: 200_000, inputPerMTok: 6, outputPerMTok: 22.5, cacheReadPerMTok: 0.6, cacheWritePerMTok: 7.5 }] };

/** OpenAI's long-context price of GPT-5.4 and later: above 272k prompt tokens, 2x input and cached input, 1.5x output. */
const openAiLongContext = (input: number, output: number, cacheRead?: number): Tier[] => [
  { aboveInputTokens: 272_000, inputPerMTok: input * 2, outputPerMTok: output * 1.5, ...(cacheRead === undefined ? {} : { cacheReadPerMTok: cacheRead * 2 }) },
];

/** Google's Pro price above 200k prompt tokens. */
const googleLongContext = (input: number, output: number, cacheRead: number): Tier[] => [{ aboveInputTokens: 200_000, inputPerMTok: input, outputPerMTok: output, cacheReadPerMTok: cacheRead }];

export const SHIPPED_RATES: ReadonlyArray<readonly [string, Rate]> = [
  // OpenAI (https://developers.openai.com/api/docs/pricing; see docs/PRICING.md for what each was checked against).
  ["gpt-4o", rate(2.5, 10, 1.25)],
  ["gpt-4o-2024*", rate(2.5, 10, 1.25)],
  ["gpt-4o-2024-05-13", rate(5, 15)],
  ["gpt-4o-mini", rate(0.15, 0.6, 0.075)],
  ["gpt-4o-mini-2024*", rate(0.15, 0.6, 0.075)],
  ["gpt-4.1*", rate(2, 8, 0.5)],
  ["gpt-4.1-mini*", rate(0.4, 1.6, 0.1)],
  ["gpt-4.1-nano*", rate(0.1, 0.4, 0.025)],
  ["o3", rate(2, 8, 0.5)],
  ["o3-2025*", rate(2, 8, 0.5)],
  ["o3-mini*", rate(1.1, 4.4, 0.55)],
  ["o3-pro*", rate(20, 80)],
  ["o4-mini*", rate(1.1, 4.4, 0.275)],
  ["gpt-5", rate(1.25, 10, 0.125)],
  ["gpt-5-2025*", rate(1.25, 10, 0.125)],
  ["gpt-5-chat*", rate(1.25, 10, 0.125)],
  ["gpt-5-codex*", rate(1.25, 10, 0.125)],
  ["gpt-5-mini*", rate(0.25, 2, 0.025)],
  ["gpt-5-nano*", rate(0.05, 0.4, 0.005)],
  ["gpt-5-pro*", rate(15, 120)],
  ["gpt-5.1*", rate(1.25, 10, 0.125)],
  ["gpt-5.1-codex-mini*", rate(0.25, 2, 0.025)],
  ["gpt-5.2*", rate(1.75, 14, 0.175)],
  ["gpt-5.2-pro*", rate(21, 168)],
  ["gpt-5.3*", rate(1.75, 14, 0.175)],
  ["gpt-5.4*", rate(2.5, 15, 0.25, openAiLongContext(2.5, 15, 0.25))],
  ["gpt-5.4-mini*", rate(0.75, 4.5, 0.075)],
  ["gpt-5.4-nano*", rate(0.2, 1.25, 0.02)],
  ["gpt-5.4-pro*", rate(30, 180, undefined, openAiLongContext(30, 180))],
  ["gpt-5.5*", rate(5, 30, 0.5, openAiLongContext(5, 30, 0.5))],
  ["gpt-5.5-pro*", rate(30, 180, undefined, openAiLongContext(30, 180))],
  // GPT-6 bills cache writes (2.50 on Sol, 0.125 on Luna); its >272k tariff is not shipped (see docs/PRICING.md).
  ["gpt-6-sol*", { ...rate(2, 10, 0.2), cacheWritePerMTok: 2.5 }],
  ["gpt-6-luna*", { ...rate(0.1, 0.5, 0.01), cacheWritePerMTok: 0.125 }],
  ["gpt-6.1-sol*", { ...rate(2, 10, 0.1), cacheWritePerMTok: 2.5 }],
  // Anthropic (https://platform.claude.com/docs/en/about-claude/pricing): dated names such as claude-opus-4-1-20250805.
  ["claude-opus-4*", anthropic(15, 75)],
  ["claude-opus-4-5*", anthropic(5, 25)],
  ["claude-opus-4-6*", anthropic(5, 25)],
  ["claude-opus-4-7*", anthropic(5, 25)],
  ["claude-opus-4-8*", anthropic(5, 25)],
  ["claude-opus-5*", anthropic(5, 25)],
  ["claude-opus-5-5*", anthropic(4, 20, { cacheReadPerMTok: 0.2 })],
  ["claude-sonnet-4*", anthropic(3, 15, sonnetLongContext)],
  ["claude-sonnet-4-6*", anthropic(3, 15)],
  ["claude-sonnet-5*", anthropic(2, 10)],
  ["claude-sonnet-5-5*", anthropic(2, 10, { cacheReadPerMTok: 0.1 })],
  ["claude-3-7-sonnet*", anthropic(3, 15)],
  ["claude-haiku-4-5*", anthropic(1, 5)],
  ["claude-3-5-haiku*", anthropic(0.8, 4)],
  ["claude-haiku-5-5*", anthropic(0.1, 0.5, { tiers: [{ aboveInputTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5, cacheReadPerMTok: 0.05, cacheWritePerMTok: 0.625 }] })],
  ["claude-fable-5*", anthropic(10, 50)],
  ["claude-fable-5-1*", anthropic(10, 50, { cacheReadPerMTok: 0.25 })],
  ["claude-fable-5-2*", anthropic(8, 40, { cacheReadPerMTok: 0.2 })],
  ["claude-mythos-5*", anthropic(10, 50)],
  ["claude-mythos-5-1*", anthropic(10, 50, { cacheReadPerMTok: 0.25 })],
  ["claude-mythos-5-2*", anthropic(8, 40, { cacheReadPerMTok: 0.2 })],
  // Google (https://ai.google.dev/gemini-api/docs/pricing): text input; cache storage per hour is not priced.
  ["gemini-2.5-pro*", rate(1.25, 10, 0.125, googleLongContext(2.5, 15, 0.25))],
  ["gemini-2.5-flash*", rate(0.3, 2.5, 0.03)],
  ["gemini-2.5-flash-lite*", rate(0.1, 0.4, 0.01)],
  ["gemini-2.0-flash*", rate(0.1, 0.4, 0.025)],
  ["gemini-2.0-flash-lite*", rate(0.075, 0.3)],
  ["gemini-1.5-flash", rate(0.075, 0.3, 0.01875, [{ aboveInputTokens: 128_000, inputPerMTok: 0.15, outputPerMTok: 0.6, cacheReadPerMTok: 0.0375 }])],
  ["gemini-3-pro*", rate(2, 12, 0.2, googleLongContext(4, 18, 0.4))],
  ["gemini-3.1-pro*", rate(2, 12, 0.2, googleLongContext(4, 18, 0.4))],
  ["gemini-3-flash*", rate(0.5, 3, 0.05)],
  ["gemini-3.1-flash-lite*", rate(0.25, 1.5, 0.025)],
  ["gemini-3.5-flash*", rate(1.5, 9, 0.15)],
  ["gemini-3.5-flash-lite*", rate(0.3, 2.5, 0.03)],
  ["gemini-3.8-flash*", rate(0.75, 3.75)],
];
