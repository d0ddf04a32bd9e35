/**
 * Property test of the pricing rules: for seeded random price tables (exact and prefix keys, dated
 * schedules, optional cache rates, tiers, odd names) and random histories, the cost of a history
 * summed from `costFemtoUsd` equals the sum of per-item costs computed by an oracle written here from
 * the contract's rules ("Token accounting and prices"), without calling the code under test: exact key
 * > longest prefix > shipped defaults (matched the same way) > fallback; the rate in effect at
 * occurredAt (before a stored entry's first date, what the defaults charge); the highest tier whose
 * aboveInputTokens the whole prompt (input + cache read + cache write) is strictly above; an omitted
 * cache rate is the input rate of the same rate or tier.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { UNKNOWN_MODEL_RATE, costFemtoUsd, femtoToUsd, pricingFromConfig, type PricingConfig } from "../../../functions/src/pricing/pricing";
import { SHIPPED_RATES } from "../../../functions/src/pricing/shipped-prices";
import { mulberry32 } from "../../support/seeded-random";

/** Prices in integer nano-USD per million tokens (= femto-USD per token), as the oracle keeps them. */
interface OraclePrices {
  input: bigint;
  output: bigint;
  cacheRead?: bigint;
  cacheWrite?: bigint;
}
interface OracleRate extends OraclePrices {
  tiers: Array<OraclePrices & { above: number }>;
  fromMs?: number;
}

/** A USD-per-million figure as exact nano-USD, read from its decimal text (9 decimals at most). */
function nanoOf(usd: number): bigint {
  const [whole, fraction = ""] = usd.toFixed(9).split(".");
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, "0"));
}

type PlainRate = { inputPerMTok: number; outputPerMTok: number; cacheReadPerMTok?: number; cacheWritePerMTok?: number };
const oraclePricesOf = (rate: PlainRate): OraclePrices => ({
  input: nanoOf(rate.inputPerMTok),
  output: nanoOf(rate.outputPerMTok),
  ...(rate.cacheReadPerMTok === undefined ? {} : { cacheRead: nanoOf(rate.cacheReadPerMTok) }),
  ...(rate.cacheWritePerMTok === undefined ? {} : { cacheWrite: nanoOf(rate.cacheWritePerMTok) }),
});

const SHIPPED: Map<string, OracleRate> = new Map(
  SHIPPED_RATES.map(([key, rate]) => [key, { ...oraclePricesOf(rate), tiers: (rate.tiers ?? []).map((t) => ({ ...oraclePricesOf(t), above: t.aboveInputTokens })) }]),
);
const FALLBACK: OracleRate = { ...oraclePricesOf(UNKNOWN_MODEL_RATE), tiers: [] };

/** The key of `keys` that names `model`: the exact key, else the longest `prefix*` whose stem starts it. */
function keyFor(keys: Iterable<string>, model: string): string | undefined {
  let best: string | undefined;
  for (const key of keys) {
    if (key === model && !key.endsWith("*")) return key;
    if (key.endsWith("*") && model.startsWith(key.slice(0, -1)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best;
}

function oracleRate(config: Map<string, OracleRate[]>, model: string, atMs: number): OracleRate {
  const configKey = keyFor(config.keys(), model);
  if (configKey !== undefined) {
    let chosen: OracleRate | undefined;
    for (const rate of config.get(configKey)!) {
      const from = rate.fromMs ?? Number.NEGATIVE_INFINITY;
      if (from <= atMs && (chosen === undefined || from >= (chosen.fromMs ?? Number.NEGATIVE_INFINITY))) chosen = rate;
    }
    if (chosen) return chosen;
  }
  const shippedKey = keyFor(SHIPPED.keys(), model);
  return shippedKey !== undefined ? SHIPPED.get(shippedKey)! : FALLBACK;
}

interface Tokens {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens?: number;
}

function oracleCost(config: Map<string, OracleRate[]>, model: string, tokens: Tokens, atMs: number): bigint {
  const rate = oracleRate(config, model, atMs);
  const writes = tokens.cacheWriteTokens ?? 0;
  const prompt = tokens.inputTokens + tokens.cacheReadTokens + writes;
  let prices: OraclePrices = rate;
  let highest = -1;
  for (const tier of rate.tiers) {
    if (prompt > tier.above && tier.above > highest) {
      highest = tier.above;
      prices = tier;
    }
  }
  return (
    BigInt(tokens.inputTokens) * prices.input +
    BigInt(tokens.outputTokens) * prices.output +
    BigInt(tokens.cacheReadTokens) * (prices.cacheRead ?? prices.input) +
    BigInt(writes) * (prices.cacheWrite ?? prices.input)
  );
}

const T0 = Date.parse("2026-01-01T00:00:00Z");
const DAY = 86_400_000;
/** Names the shipped table prices by exact key or prefix, and names it does not. */
const SHIPPED_NAMES = ["gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "gpt-4.1-mini-2025-04-14", "o3", "gpt-5.4-2026-03-05", "claude-sonnet-4-5-20250929", "claude-haiku-5-5", "gemini-2.5-pro", "gemini-1.5-flash"];
const ODD_NAMES = ["__proto__", "constructor", "toString", "*", "gpt-4o*", "a*b", "", "hasOwnProperty"];

function generate(seed: number) {
  const random = mulberry32(seed);
  const int = (max: number) => Math.floor(random() * (max + 1));
  const pick = <T>(items: readonly T[]): T => items[int(items.length - 1)];
  /** A price with 0 to 9 decimals, as exact nano-USD and as the number a config holds. */
  const price = (): number => {
    const decimals = int(9);
    const scaled = int(decimals >= 6 ? 100_000 : 200_000);
    return Number((scaled / 10 ** decimals).toFixed(decimals));
  };
  const prices = (): PlainRate => ({
    inputPerMTok: price(),
    outputPerMTok: price(),
    ...(random() < 0.6 ? { cacheReadPerMTok: price() } : {}),
    ...(random() < 0.4 ? { cacheWritePerMTok: price() } : {}),
  });

  const stems = ["acme-", "acme-1", "acme-1-large", "gpt-4o", "gpt-4o-mini-2024", "claude-sonnet-4", "gemini-2.5", "x", "__proto__", "a*"];
  const keys = new Set<string>();
  for (let i = int(8); i >= 0; i--) {
    const roll = random();
    if (roll < 0.4) keys.add(`${pick(stems)}*`);
    else if (roll < 0.55) keys.add(pick(SHIPPED_NAMES));
    else if (roll < 0.65) keys.add(pick(ODD_NAMES.filter((name) => name !== "")));
    else keys.add(`${pick(stems)}${int(20)}`);
  }

  const models: Record<string, PlainRate & { tiers?: Array<PlainRate & { aboveInputTokens: number }>; effectiveFrom?: Date } | Array<PlainRate & { effectiveFrom?: Date }>> = {};
  const oracle = new Map<string, OracleRate[]>();
  for (const key of keys) {
    const count = 1 + int(3);
    const days = new Set<number>();
    while (days.size < count) days.add(int(360));
    const undatedFirst = random() < 0.5;
    const rates = [...days].map((day, index) => {
      const base = prices();
      const tierCount = random() < 0.5 ? 0 : 1 + int(2);
      const thresholds = new Set<number>();
      while (thresholds.size < tierCount) thresholds.add(pick([0, 1_000, 128_000, 200_000, 272_000]) + int(3));
      const tiers = [...thresholds].map((aboveInputTokens) => ({ aboveInputTokens, ...prices() }));
      const dated = !(undatedFirst && index === 0);
      return { ...base, ...(tiers.length ? { tiers } : {}), ...(dated ? { effectiveFrom: new Date(T0 + day * DAY) } : {}) };
    });
    // Own properties even for "__proto__"; the config goes to pricingFromConfig as stored, around the schema.
    Object.defineProperty(models, key, { value: rates.length === 1 && random() < 0.5 ? rates[0] : rates, enumerable: true, writable: true, configurable: true });
    oracle.set(
      key,
      rates.map((r) => ({
        ...oraclePricesOf(r),
        tiers: (r.tiers ?? []).map((t) => ({ ...oraclePricesOf(t), above: t.aboveInputTokens })),
        ...(r.effectiveFrom ? { fromMs: r.effectiveFrom.getTime() } : {}),
      })),
    );
  }

  const names = [...keys].flatMap((key) => (key.endsWith("*") ? [key.slice(0, -1), `${key.slice(0, -1)}${int(99)}`, key] : [key, `${key}-x`]));
  const pool = [...names, ...SHIPPED_NAMES, ...ODD_NAMES, "unknown-model", "gpt-5.5-pro-2026-04-23"];
  const count = (scale: number) => (random() < 0.2 ? 0 : int(scale));
  const history = Array.from({ length: 40 }, () => {
    const big = random() < 0.3;
    const tokens: Tokens = {
      inputTokens: count(big ? 300_000 : 5_000),
      outputTokens: count(big ? 2_000_000 : 3_000),
      cacheReadTokens: count(big ? 200_000 : 5_000),
      ...(random() < 0.7 ? { cacheWriteTokens: count(big ? 100_000 : 2_000) } : {}),
    };
    // Some at the very instant a dated rate may start, or the millisecond before.
    const roll = random();
    const at = roll < 0.2 ? T0 + int(360) * DAY : roll < 0.3 ? T0 + int(360) * DAY - 1 : T0 + int(400) * DAY - DAY * 20 + int(DAY);
    return { model: pick(pool), tokens, at: new Date(at) };
  });
  return { config: { models } as unknown as PricingConfig, oracle, history };
}

test("property: a history's cost is the sum of its items' costs priced by the contract's rules", () => {
  let interactions = 0;
  let priced = 0n;
  for (let seed = 1; seed <= 300; seed++) {
    const { config, oracle, history } = generate(seed);
    const pricing = pricingFromConfig(config);
    let total = 0n;
    let expected = 0n;
    for (const { model, tokens, at } of history) {
      const cost = costFemtoUsd(pricing, model, tokens, at);
      const want = oracleCost(oracle, model, tokens, at.getTime());
      assert.equal(cost, want, `seed ${seed}: ${JSON.stringify(model)} at ${at.toISOString()} ${JSON.stringify(tokens)}`);
      total += cost;
      expected += want;
      interactions++;
    }
    const usd = femtoToUsd(total);
    assert.ok(Math.abs(usd - Number(expected) / 1e15) <= 1e-6, `seed ${seed}: ${usd} vs ${Number(expected) / 1e15}`);
    priced += expected;
  }
  assert.equal(interactions, 300 * 40);
  assert.ok(priced > 0n, "the generator prices something");
});

test("the oracle is not vacuous: it tells a tier, a date, a prefix and a cache rate apart", () => {
  const oracle = new Map<string, OracleRate[]>([
    ["m*", [{ input: 1n, output: 2n, tiers: [{ above: 10, input: 5n, output: 6n, cacheRead: 7n }] }, { input: 100n, output: 0n, tiers: [], fromMs: 1_000 }]],
    ["m", [{ input: 3n, output: 0n, cacheWrite: 9n, tiers: [] }]],
  ]);
  const tokens = (inputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({ inputTokens, outputTokens: 1, cacheReadTokens, cacheWriteTokens });
  assert.equal(oracleCost(oracle, "m-1", tokens(10), 0), 10n * 1n + 2n, "exactly at the threshold: the base rate");
  assert.equal(oracleCost(oracle, "m-1", tokens(10, 1), 0), 10n * 5n + 6n + 7n, "one above: the tier, its own cache-read rate");
  assert.equal(oracleCost(oracle, "m-1", tokens(1, 0, 10), 0), 5n + 6n + 10n * 5n, "a tier without a cache-write rate charges its input");
  assert.equal(oracleCost(oracle, "m-1", tokens(1), 1_000), 100n, "the dated rate from its date");
  assert.equal(oracleCost(oracle, "m", tokens(1, 1, 1), 0), 3n + 3n + 9n, "the exact key, cache read at input");
  // A shipped prefix with a tier: Claude Haiku 5.5, $0.125 / $0.625 per million cache writes up to / above 100k, $0.50 / $2.50 output.
  assert.equal(oracleCost(new Map(), "claude-haiku-5-5-20261007", tokens(0, 0, 100_000), 0), 100_000n * 125_000_000n + 500_000_000n, "a shipped prefix");
  assert.equal(oracleCost(new Map(), "claude-haiku-5-5-20261007", tokens(0, 0, 100_001), 0), 100_001n * 625_000_000n + 2_500_000_000n, "and its tier");
});
