/**
 * @module pricing
 * Model prices (`metrics_config/pricing`, USD per million tokens, possibly dated, tiered by prompt
 * size) and the exact cost of one interaction at the rate in effect when it occurred.
 *
 * Costs are integers so that no sum ever drifts: each rate is converted once to integer nano-USD per
 * million tokens (rates are taken to 9 decimals; finer digits are rounded), which makes
 * `tokens × rate` an integer count of femto-USD (1e-15 USD), summed as BigInt without overflow. Only a
 * total is rounded, half away from zero, to the contract's 1e-6 USD.
 *
 * Which entry prices a model: its exact key in the config, else the config's longest matching prefix
 * (a key ending in `*`), else the shipped defaults matched the same way, else `UNKNOWN_MODEL_RATE`.
 * Dated rates: an entry is a schedule of rates, each from its `effectiveFrom` (a rate without one
 * applies from the beginning). An interaction pays the rate with the latest `effectiveFrom` not after
 * its `occurredAt`; before a config entry's first dated rate, what the defaults charge that model
 * applies. A rate without `cacheReadPerMTok` or `cacheWritePerMTok` pays its input rate for those
 * tokens: no discount or surcharge nobody configured. A tier (`aboveInputTokens`) prices every token of
 * an interaction whose whole prompt (input + cache read + cache write) is above it; the highest wins.
 *
 * Views store costs priced when their interactions are folded in, so a change of prices reaches a
 * view by re-pricing it from source; `pricingFingerprint` tells which views a change affects without
 * keeping the old prices anywhere. Rates live in Maps, so a model named `__proto__` is just a name.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { SHIPPED_RATES } from "./shipped-prices";

const usdPerMTok = z.number().nonnegative().max(1_000_000);

/** A time as Firestore or a client stores it: a Timestamp (anything with `toDate()`), a Date or ISO 8601 text. */
const effectiveFrom = z.preprocess(
  (value) => (value && typeof value === "object" && typeof (value as { toDate?: unknown }).toDate === "function" ? (value as { toDate(): Date }).toDate() : value),
  z.union([z.date(), z.iso.datetime({ offset: true }).transform((text) => new Date(text))]).refine((d) => !Number.isNaN(d.getTime()), "is not a valid time"),
);

/** A price above a prompt size: replaces the rate for every token of a larger interaction. */
const tierSchema = z.object({
  aboveInputTokens: z.number().int().nonnegative().max(1e12),
  inputPerMTok: usdPerMTok,
  outputPerMTok: usdPerMTok,
  cacheReadPerMTok: usdPerMTok.optional(),
  cacheWritePerMTok: usdPerMTok.optional(),
});

/** The most tiers one rate may hold. */
const MAX_TIERS = 10;

/** The price of one model in USD per million tokens, as stored in `metrics_config/pricing`. */
const modelRateSchema = z.object({
  inputPerMTok: usdPerMTok,
  outputPerMTok: usdPerMTok,
  cacheReadPerMTok: usdPerMTok.optional(),
  cacheWritePerMTok: usdPerMTok.optional(),
  tiers: z
    .array(tierSchema)
    .max(MAX_TIERS)
    .refine((tiers) => new Set(tiers.map((t) => t.aboveInputTokens)).size === tiers.length, "has two tiers above the same size")
    .optional(),
  effectiveFrom: effectiveFrom.optional(),
});
export type ModelRate = z.infer<typeof modelRateSchema>;

/** The most rates one model's schedule may hold, and the most models a config may name. */
const MAX_RATES_PER_MODEL = 100;
const MAX_PRICED_MODELS = 1_000;

/** The `metrics_config/pricing` document: one rate or a schedule of dated rates per model or `prefix*`. */
export const pricingConfigSchema = z.object({
  models: z
    .record(z.string().min(1).max(500), z.union([modelRateSchema, z.array(modelRateSchema).min(1).max(MAX_RATES_PER_MODEL)]))
    .refine((models) => Object.keys(models).length <= MAX_PRICED_MODELS, `names at most ${MAX_PRICED_MODELS} models`),
});
export type PricingConfig = z.infer<typeof pricingConfigSchema>;

/** Token counts to be priced; `cacheWriteTokens` is 0 when absent. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens?: number;
}

/** Per-token prices in integer nano-USD per million tokens, i.e. femto-USD per token. */
interface IntegerPrices {
  input: bigint;
  output: bigint;
  cacheRead: bigint;
  cacheWrite: bigint;
}

/** A rate ready for arithmetic: its base prices and its tiers, highest threshold first. */
interface IntegerRate extends IntegerPrices {
  tiers: ReadonlyArray<IntegerPrices & { above: number }>;
}

/** One rate of a schedule, from `fromMs` (−Infinity: from the beginning). */
interface DatedRate extends IntegerRate {
  fromMs: number;
}

/** The entries of one source of prices: exact names, and prefixes longest first. */
interface Entries {
  readonly exact: ReadonlyMap<string, readonly DatedRate[]>;
  readonly prefixes: ReadonlyArray<readonly [stem: string, schedule: readonly DatedRate[]]>;
}

/** Prices ready for exact arithmetic; build with `pricingFromConfig`. */
export interface Pricing {
  /** The stored config's entries (their schedules may start with a dated rate). */
  readonly configured: Entries;
  /** The shipped defaults; every schedule starts at −Infinity. */
  readonly defaults: Entries;
  readonly fallback: IntegerRate;
}

/** The price of a model that neither the config nor the defaults name: a mid-tier rate, neither free nor extreme. */
export const UNKNOWN_MODEL_RATE: ModelRate = { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3 };

const nanoUsd = (usd: number): bigint => BigInt(Math.round(usd * 1e9));

function pricesOf(rate: { inputPerMTok: number; outputPerMTok: number; cacheReadPerMTok?: number; cacheWritePerMTok?: number }): IntegerPrices {
  const input = nanoUsd(rate.inputPerMTok);
  return { input, output: nanoUsd(rate.outputPerMTok), cacheRead: nanoUsd(rate.cacheReadPerMTok ?? rate.inputPerMTok), cacheWrite: nanoUsd(rate.cacheWritePerMTok ?? rate.inputPerMTok) };
}

function toInteger(rate: Omit<ModelRate, "effectiveFrom">): IntegerRate {
  const tiers = (rate.tiers ?? []).map((tier) => ({ ...pricesOf(tier), above: tier.aboveInputTokens })).sort((a, b) => b.above - a.above);
  return { ...pricesOf(rate), tiers };
}

const FALLBACK = toInteger(UNKNOWN_MODEL_RATE);

const isPrefix = (key: string) => key.endsWith("*");

/** A key's rates by ascending `fromMs`. */
function scheduleOf(rates: readonly ModelRate[]): DatedRate[] {
  return rates.map((rate) => ({ ...toInteger(rate), fromMs: rate.effectiveFrom ? rate.effectiveFrom.getTime() : Number.NEGATIVE_INFINITY })).sort((a, b) => a.fromMs - b.fromMs);
}

function entriesOf(keyed: Iterable<readonly [string, DatedRate[]]>): Entries {
  const exact = new Map<string, DatedRate[]>();
  const prefixes: Array<[string, DatedRate[]]> = [];
  for (const [key, schedule] of keyed) {
    if (isPrefix(key)) prefixes.push([key.slice(0, -1), schedule]);
    else exact.set(key, schedule);
  }
  return { exact, prefixes: prefixes.sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1)) };
}

const DEFAULTS = entriesOf(SHIPPED_RATES.map(([key, rate]) => [key, scheduleOf([rate])] as const));

/**
 * The prices to use: the shipped defaults, overridden and extended by `config` when there is one.
 * @example pricingFromConfig(pricingConfigSchema.parse(snapshot.data()))
 */
export function pricingFromConfig(config: PricingConfig | null): Pricing {
  const configured = entriesOf(Object.entries(config?.models ?? {}).map(([key, rates]) => [key, scheduleOf(Array.isArray(rates) ? rates : [rates])] as const));
  return { configured, defaults: DEFAULTS, fallback: FALLBACK };
}

/** The entry of `entries` that prices `model` (exact, else longest prefix), as its key and schedule. */
function entryFor(entries: Entries, model: string): { key: string; schedule: readonly DatedRate[] } | null {
  const exact = entries.exact.get(model);
  if (exact) return { key: model, schedule: exact };
  const prefix = entries.prefixes.find(([stem]) => model.startsWith(stem));
  return prefix ? { key: `${prefix[0]}*`, schedule: prefix[1] } : null;
}

/** Schedules already resolved, per prices and model name (at most `MEMO_LIMIT` names each): a fold prices many interactions of few models. */
const memo = new WeakMap<Pricing, Map<string, readonly DatedRate[] | null>>();
const MEMO_LIMIT = 10_000;

/** The schedule `model` pays by (null: the fallback): its config entry, preceded by its defaults until the entry's first date. */
function scheduleFor(pricing: Pricing, model: string): readonly DatedRate[] | null {
  let known = memo.get(pricing);
  if (!known) memo.set(pricing, (known = new Map()));
  const found = known.get(model);
  if (found !== undefined) return found;
  const schedule = resolveSchedule(pricing, model);
  if (known.size < MEMO_LIMIT) known.set(model, schedule);
  return schedule;
}

function resolveSchedule(pricing: Pricing, model: string): readonly DatedRate[] | null {
  const configured = entryFor(pricing.configured, model)?.schedule;
  const shipped = entryFor(pricing.defaults, model)?.schedule ?? null;
  if (!configured) return shipped;
  if (configured[0].fromMs === Number.NEGATIVE_INFINITY) return configured;
  const before = shipped ?? [{ ...pricing.fallback, fromMs: Number.NEGATIVE_INFINITY }];
  return [...before.filter((rate) => rate.fromMs < configured[0].fromMs), ...configured];
}

/** The prices of `model` in effect at `atMs` for a prompt of `promptTokens`. */
function pricesAt(pricing: Pricing, model: string, atMs: number, promptTokens: number): IntegerPrices {
  const schedule = scheduleFor(pricing, model);
  let rate: IntegerRate = pricing.fallback;
  if (schedule) {
    rate = schedule[0];
    for (const dated of schedule) {
      if (dated.fromMs > atMs) break;
      rate = dated;
    }
  }
  return rate.tiers.find((tier) => promptTokens > tier.above) ?? rate;
}

/**
 * The exact cost, in femto-USD (1e-15 USD), of `tokens` of `model` used at `at`.
 * @throws RangeError when a token count is not an integer.
 */
export function costFemtoUsd(pricing: Pricing, model: string, tokens: TokenCounts, at: Date): bigint {
  const cacheWriteTokens = tokens.cacheWriteTokens ?? 0;
  const rate = pricesAt(pricing, model, at.getTime(), tokens.inputTokens + tokens.cacheReadTokens + cacheWriteTokens);
  return BigInt(tokens.inputTokens) * rate.input + BigInt(tokens.outputTokens) * rate.output + BigInt(tokens.cacheReadTokens) * rate.cacheRead + BigInt(cacheWriteTokens) * rate.cacheWrite;
}

/** A rate as fingerprint text; a rate without cache-write surcharge or tiers reads as it did before they existed. */
function rateText(rate: IntegerRate): string {
  const prices = (p: IntegerPrices) => `${p.input}/${p.output}/${p.cacheRead}${p.cacheWrite === p.input ? "" : `/w${p.cacheWrite}`}`;
  return prices(rate) + rate.tiers.map((tier) => `>${tier.above}:${prices(tier)}`).join("");
}

const scheduleText = (schedule: readonly DatedRate[] | null) => (schedule ? schedule.map((r) => `${r.fromMs}:${rateText(r)}`).join(",") : "fallback");

/** Every key of `entries`, as written in a config (`prefix*` for prefixes), with its schedule. */
function keyedSchedules(entries: Entries): Array<[string, readonly DatedRate[]]> {
  return [...entries.exact, ...entries.prefixes.map(([stem, schedule]) => [`${stem}*`, schedule] as [string, readonly DatedRate[]])];
}

/**
 * A short digest of the prices that apply to `models` (every model, with `everyModel`): equal
 * digests mean every interaction of those models costs the same under both prices. A view stores the
 * digest it was priced with; a fold that computes another one re-prices the view from source. Each
 * name contributes the schedule it pays by, whichever entry (exact, prefix, default) that comes from.
 */
export function pricingFingerprint(pricing: Pricing, models: Iterable<string>, everyModel = false): string {
  const hash = createHash("sha256");
  hash.update(`fallback ${rateText(pricing.fallback)}\n`);
  if (everyModel) {
    for (const [source, entries] of [["", pricing.defaults], ["config ", pricing.configured]] as const) {
      for (const [key, schedule] of keyedSchedules(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${source}${JSON.stringify(key)} ${scheduleText(schedule)}\n`);
    }
  } else {
    for (const model of [...new Set(models)].sort()) hash.update(`${JSON.stringify(model)} ${scheduleText(scheduleFor(pricing, model))}\n`);
  }
  return hash.digest("base64url").slice(0, 22);
}

/**
 * The config keys (model names, or `prefix*`) whose schedules differ between two prices, including
 * keys only one of them names, sorted. A changed exact key re-prices that name at most; a changed
 * prefix, any name it matches before or after.
 */
export function changedModels(before: Pricing, after: Pricing): string[] {
  const schedulesOf = (pricing: Pricing) => new Map(keyedSchedules(pricing.configured).map(([key, schedule]) => [key, scheduleText(schedule)]));
  const [was, is] = [schedulesOf(before), schedulesOf(after)];
  return [...new Set([...was.keys(), ...is.keys()])].filter((key) => was.get(key) !== is.get(key)).sort();
}

/**
 * Whether `model` costs differently under `after` than under `before`: the test the pricing trigger
 * applies to each model a view holds. Answers are remembered, since many views share names.
 */
export function repricedBy(before: Pricing, after: Pricing): (model: string) => boolean {
  const known = new Map<string, boolean>();
  return (model) => {
    let answer = known.get(model);
    if (answer === undefined) known.set(model, (answer = scheduleText(scheduleFor(before, model)) !== scheduleText(scheduleFor(after, model))));
    return answer;
  };
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
