/**
 * @module pricing
 * Model prices (`metrics_config/pricing`, USD per million tokens) and the exact cost of token counts.
 *
 * Costs are computed in integers so that no sum ever drifts: each rate is converted once to integer
 * nano-USD per million tokens (rates are taken to 9 decimals; finer digits are rounded), which makes
 * `tokens × rate` an integer count of femto-USD (1e-15 USD). Those products are summed as BigInt, so
 * there is no overflow bound on a cost at all; the bounds that remain are a rate of at most 1e6 USD per
 * million tokens (1e15 nano-USD, under Number.MAX_SAFE_INTEGER) and token sums that are safe integers.
 * Only the final total is rounded, half away from zero, to the contract's 1e-6 USD.
 *
 * The views keep token sums per model and price them when rendering (see interaction-metrics), so
 * this module is only ever asked for the cost of a sum, never for a stored cost.
 *
 * A stored config is merged over the shipped defaults (a config naming one model keeps the others);
 * a model found in neither is priced at `UNKNOWN_MODEL_RATE`. A model without `cacheReadPerMTok` pays
 * its input rate for cache reads: no discount is assumed that nobody configured. Rates live in a Map,
 * so a model named `__proto__` or `constructor` is just a name.
 */
import { z } from "zod";

const usdPerMTok = z.number().nonnegative().max(1_000_000);

/** The price of one model in USD per million tokens, as stored in `metrics_config/pricing`. */
const modelRateSchema = z.object({
  inputPerMTok: usdPerMTok,
  outputPerMTok: usdPerMTok,
  cacheReadPerMTok: usdPerMTok.optional(),
});
export type ModelRate = z.infer<typeof modelRateSchema>;

/** The `metrics_config/pricing` document. */
export const pricingConfigSchema = z.object({ models: z.record(z.string().min(1).max(500), modelRateSchema) });
export type PricingConfig = z.infer<typeof pricingConfigSchema>;

/** Token counts to be priced (sums over any number of interactions of one model). */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
}

/** A rate in integer nano-USD per million tokens, i.e. femto-USD per token. */
interface IntegerRate {
  input: bigint;
  output: bigint;
  cacheRead: bigint;
}

/** Prices ready for exact arithmetic; build with `pricingFromConfig`. */
export interface Pricing {
  readonly rates: ReadonlyMap<string, IntegerRate>;
  readonly fallback: IntegerRate;
}

/** The price of a model that neither the config nor the defaults name: a mid-tier rate, neither free nor extreme. */
export const UNKNOWN_MODEL_RATE: ModelRate = { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3 };

const SHIPPED_RATES: ReadonlyArray<readonly [string, ModelRate]> = [
  ["gpt-4o", { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 }],
  ["gpt-4o-mini", { inputPerMTok: 0.15, outputPerMTok: 0.6, cacheReadPerMTok: 0.075 }],
  ["gpt-4.1", { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 }],
  ["gpt-4.1-mini", { inputPerMTok: 0.4, outputPerMTok: 1.6, cacheReadPerMTok: 0.1 }],
  ["claude-sonnet-4", { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3 }],
  ["claude-3-5-haiku", { inputPerMTok: 0.8, outputPerMTok: 4, cacheReadPerMTok: 0.08 }],
  ["claude-opus-4", { inputPerMTok: 15, outputPerMTok: 75, cacheReadPerMTok: 1.5 }],
  ["gemini-2.0-flash", { inputPerMTok: 0.1, outputPerMTok: 0.4, cacheReadPerMTok: 0.025 }],
  ["gemini-1.5-flash", { inputPerMTok: 0.075, outputPerMTok: 0.3, cacheReadPerMTok: 0.01875 }],
];

function nanoUsd(usd: number): bigint {
  return BigInt(Math.round(usd * 1e9));
}

function toInteger(rate: ModelRate): IntegerRate {
  return {
    input: nanoUsd(rate.inputPerMTok),
    output: nanoUsd(rate.outputPerMTok),
    cacheRead: nanoUsd(rate.cacheReadPerMTok ?? rate.inputPerMTok),
  };
}

/**
 * The prices to use: the shipped defaults, overridden and extended by `config` when there is one.
 * @example pricingFromConfig(pricingConfigSchema.parse(snapshot.data()))
 */
export function pricingFromConfig(config: PricingConfig | null): Pricing {
  const rates = new Map<string, IntegerRate>();
  for (const [model, rate] of SHIPPED_RATES) rates.set(model, toInteger(rate));
  for (const [model, rate] of Object.entries(config?.models ?? {})) rates.set(model, toInteger(rate));
  return { rates, fallback: toInteger(UNKNOWN_MODEL_RATE) };
}

/**
 * The exact cost of `tokens` of `model`, in femto-USD (1e-15 USD).
 * @throws RangeError when a token count is not an integer.
 */
export function costFemtoUsd(pricing: Pricing, model: string, tokens: TokenCounts): bigint {
  const rate = pricing.rates.get(model) ?? pricing.fallback;
  return BigInt(tokens.inputTokens) * rate.input + BigInt(tokens.outputTokens) * rate.output + BigInt(tokens.cacheReadTokens) * rate.cacheRead;
}

const FEMTO_PER_MICRO = 1_000_000_000n;

/**
 * A femto-USD amount in USD, rounded half away from zero to 1e-6.
 * @example femtoToUsd(1_500_000_000n) // 0.000002
 */
export function femtoToUsd(femto: bigint): number {
  const magnitude = femto < 0n ? -femto : femto;
  const micro = (magnitude + FEMTO_PER_MICRO / 2n) / FEMTO_PER_MICRO;
  if (micro === 0n) return 0;
  return (femto < 0n ? -Number(micro) : Number(micro)) / 1e6;
}
