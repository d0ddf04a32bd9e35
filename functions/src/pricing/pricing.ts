/**
 * @module pricing
 * Model prices (`metrics_config/pricing`, USD per million tokens, possibly dated) and the exact cost of
 * one interaction at the rate in effect when it occurred.
 *
 * Costs are integers so that no sum ever drifts: each rate is converted once to integer nano-USD per
 * million tokens (rates are taken to 9 decimals; finer digits are rounded), which makes
 * `tokens × rate` an integer count of femto-USD (1e-15 USD), summed as BigInt without overflow. Only a
 * total is rounded, half away from zero, to the contract's 1e-6 USD.
 *
 * Dated rates: a model's price is a schedule of rates, each from its `effectiveFrom` (a rate without
 * one applies from the beginning). An interaction pays the rate with the latest `effectiveFrom` not
 * after its `occurredAt`. Before a configured model's first dated rate, the shipped default of that
 * model applies, or `UNKNOWN_MODEL_RATE` for a model the defaults do not name. A stored config
 * replaces the whole schedule of each model it names and keeps the defaults of the others. A model
 * without `cacheReadPerMTok` pays its input rate for cache reads: no discount nobody configured.
 *
 * Views store costs priced when their interactions are folded in, so a change of prices reaches a
 * view by re-pricing it from source; `pricingFingerprint` tells which views a change affects without
 * keeping the old prices anywhere. Rates live in Maps, so a model named `__proto__` is just a name.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

const usdPerMTok = z.number().nonnegative().max(1_000_000);

/** A time as Firestore or a client stores it: a Timestamp (anything with `toDate()`), a Date or ISO 8601 text. */
const effectiveFrom = z.preprocess(
  (value) => (value && typeof value === "object" && typeof (value as { toDate?: unknown }).toDate === "function" ? (value as { toDate(): Date }).toDate() : value),
  z.union([z.date(), z.iso.datetime({ offset: true }).transform((text) => new Date(text))]).refine((d) => !Number.isNaN(d.getTime()), "is not a valid time"),
);

/** The price of one model in USD per million tokens, as stored in `metrics_config/pricing`. */
const modelRateSchema = z.object({
  inputPerMTok: usdPerMTok,
  outputPerMTok: usdPerMTok,
  cacheReadPerMTok: usdPerMTok.optional(),
  effectiveFrom: effectiveFrom.optional(),
});
export type ModelRate = z.infer<typeof modelRateSchema>;

/** The most rates one model's schedule may hold, and the most models a config may name. */
const MAX_RATES_PER_MODEL = 100;
const MAX_PRICED_MODELS = 1_000;

/** The `metrics_config/pricing` document: one rate or a schedule of dated rates per model. */
export const pricingConfigSchema = z.object({
  models: z
    .record(z.string().min(1).max(500), z.union([modelRateSchema, z.array(modelRateSchema).min(1).max(MAX_RATES_PER_MODEL)]))
    .refine((models) => Object.keys(models).length <= MAX_PRICED_MODELS, `names at most ${MAX_PRICED_MODELS} models`),
});
export type PricingConfig = z.infer<typeof pricingConfigSchema>;

/** Token counts to be priced. */
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

/** One rate of a schedule, from `fromMs` (−Infinity: from the beginning). */
interface DatedRate extends IntegerRate {
  fromMs: number;
}

/** Prices ready for exact arithmetic; build with `pricingFromConfig`. */
export interface Pricing {
  /** Per model, its rates by ascending `fromMs`; the first one starts at −Infinity. */
  readonly schedules: ReadonlyMap<string, readonly DatedRate[]>;
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

const nanoUsd = (usd: number): bigint => BigInt(Math.round(usd * 1e9));

function toInteger(rate: ModelRate): IntegerRate {
  return { input: nanoUsd(rate.inputPerMTok), output: nanoUsd(rate.outputPerMTok), cacheRead: nanoUsd(rate.cacheReadPerMTok ?? rate.inputPerMTok) };
}

const FALLBACK = toInteger(UNKNOWN_MODEL_RATE);

/** A model's schedule: its rates by date, starting from `before` (what applied before its first dated rate). */
function scheduleOf(rates: readonly ModelRate[], before: IntegerRate): DatedRate[] {
  const dated = rates
    .map((rate) => ({ ...toInteger(rate), fromMs: rate.effectiveFrom ? rate.effectiveFrom.getTime() : Number.NEGATIVE_INFINITY }))
    .sort((a, b) => a.fromMs - b.fromMs);
  return dated[0].fromMs === Number.NEGATIVE_INFINITY ? dated : [{ ...before, fromMs: Number.NEGATIVE_INFINITY }, ...dated];
}

/**
 * The prices to use: the shipped defaults, overridden and extended by `config` when there is one.
 * @example pricingFromConfig(pricingConfigSchema.parse(snapshot.data()))
 */
export function pricingFromConfig(config: PricingConfig | null): Pricing {
  const defaults = new Map(SHIPPED_RATES.map(([model, rate]) => [model, toInteger(rate)]));
  const schedules = new Map<string, DatedRate[]>();
  for (const [model, rate] of defaults) schedules.set(model, [{ ...rate, fromMs: Number.NEGATIVE_INFINITY }]);
  for (const [model, rates] of Object.entries(config?.models ?? {})) {
    schedules.set(model, scheduleOf(Array.isArray(rates) ? rates : [rates], defaults.get(model) ?? FALLBACK));
  }
  return { schedules, fallback: FALLBACK };
}

/** The rate of `model` in effect at `atMs`. */
function rateAt(pricing: Pricing, model: string, atMs: number): IntegerRate {
  const schedule = pricing.schedules.get(model);
  if (!schedule) return pricing.fallback;
  let found = schedule[0];
  for (const rate of schedule) {
    if (rate.fromMs > atMs) break;
    found = rate;
  }
  return found;
}

/**
 * The exact cost, in femto-USD (1e-15 USD), of `tokens` of `model` used at `at`.
 * @throws RangeError when a token count is not an integer.
 */
export function costFemtoUsd(pricing: Pricing, model: string, tokens: TokenCounts, at: Date): bigint {
  const rate = rateAt(pricing, model, at.getTime());
  return BigInt(tokens.inputTokens) * rate.input + BigInt(tokens.outputTokens) * rate.output + BigInt(tokens.cacheReadTokens) * rate.cacheRead;
}

/**
 * A short digest of the prices that apply to `models` (every model, with `everyModel`): equal
 * digests mean every interaction of those models costs the same under both prices. A view stores the
 * digest it was priced with; a fold that computes another one re-prices the view from source.
 */
export function pricingFingerprint(pricing: Pricing, models: Iterable<string>, everyModel = false): string {
  const hash = createHash("sha256");
  const names = everyModel ? [...pricing.schedules.keys()] : [...new Set(models)];
  const rateText = (r: IntegerRate) => `${r.input}/${r.output}/${r.cacheRead}`;
  hash.update(`fallback ${rateText(pricing.fallback)}\n`);
  for (const model of names.sort()) {
    const schedule = pricing.schedules.get(model);
    hash.update(`${JSON.stringify(model)} ${schedule ? schedule.map((r) => `${r.fromMs}:${rateText(r)}`).join(",") : "fallback"}\n`);
  }
  return hash.digest("base64url").slice(0, 22);
}

/** The models whose schedules differ between two prices (including models only one of them names), sorted. */
export function changedModels(before: Pricing, after: Pricing): string[] {
  const names = new Set([...before.schedules.keys(), ...after.schedules.keys()]);
  return [...names].filter((model) => pricingFingerprint(before, [model]) !== pricingFingerprint(after, [model])).sort();
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
