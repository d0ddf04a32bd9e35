import { test } from "node:test";
import assert from "node:assert/strict";
import {
  UNKNOWN_MODEL_RATE,
  changedModels,
  costFemtoUsd,
  pricingFingerprint,
  femtoToUsd,
  pricingConfigSchema,
  pricingFromConfig,
  repricedBy,
  type PricingConfig,
} from "../../../functions/src/pricing/pricing";

const defaults = pricingFromConfig(null);
const AT = new Date("2026-06-01T00:00:00Z");
const tokens = (inputTokens: number, outputTokens = 0, cacheReadTokens = 0) => ({ inputTokens, outputTokens, cacheReadTokens });

test("a known model's cost is exact, and rounded once to 1e-6 USD", () => {
  // gpt-4o-mini: 0.15 in, 0.6 out, 0.075 cache read (USD per million tokens).
  const femto = costFemtoUsd(defaults, "gpt-4o-mini", tokens(1_234_567, 89_012, 500_000), AT);
  assert.equal(femto, 276_092_250_000_000n); // 0.18518505 + 0.0534072 + 0.0375 = 0.27609225 USD
  assert.equal(femtoToUsd(femto), 0.276092);
});

test("femto-USD rounds half away from zero and never yields -0", () => {
  assert.equal(femtoToUsd(500_000_000n), 0.000001);
  assert.equal(femtoToUsd(499_999_999n), 0);
  assert.equal(femtoToUsd(-500_000_000n), -0.000001);
  assert.ok(Object.is(femtoToUsd(-1n), 0));
  assert.equal(femtoToUsd(123_456_789_012_345_678_901n), 123_456.789012);
});

test("integer sums do not drift where float sums would", () => {
  let femto = 0n;
  let float = 0;
  for (let i = 0; i < 10_000; i++) {
    femto += costFemtoUsd(defaults, "gemini-1.5-flash", tokens(1, 1, 1), AT); // 0.075 + 0.3 + 0.01875 per million
    float += (0.075 + 0.3 + 0.01875) / 1e6;
  }
  assert.equal(femto, 3_937_500_000_000n);
  assert.equal(femtoToUsd(femto), 0.003938);
  assert.notEqual(float, 0.0039375); // the float sum has already drifted off the exact value
});

test("an unknown model is priced at the default rate, whatever its name", () => {
  const expected =
    BigInt(UNKNOWN_MODEL_RATE.inputPerMTok * 1e9) * 2_000_000n +
    BigInt(UNKNOWN_MODEL_RATE.outputPerMTok * 1e9) * 3n +
    BigInt((UNKNOWN_MODEL_RATE.cacheReadPerMTok ?? 0) * 1e9) * 7n;
  for (const model of ["no-such-model", "constructor", "toString", "__proto__", "hasOwnProperty", ""]) {
    assert.equal(costFemtoUsd(defaults, model, tokens(2_000_000, 3, 7), AT), expected, model);
  }
  assert.notEqual(costFemtoUsd(defaults, "gpt-4o", tokens(2_000_000, 3, 7), AT), expected);
});

test("a stored config overrides and extends the shipped defaults", () => {
  const config: PricingConfig = pricingConfigSchema.parse({
    models: { "gpt-4o": { inputPerMTok: 1, outputPerMTok: 2 }, "my.org/model": { inputPerMTok: 0.1234567891, outputPerMTok: 0, cacheReadPerMTok: 0 } },
  });
  const pricing = pricingFromConfig(config);
  // Without cacheReadPerMTok, cache reads pay the input rate.
  assert.equal(costFemtoUsd(pricing, "gpt-4o", tokens(1_000_000, 1_000_000, 1_000_000), AT), 4_000_000_000_000_000n);
  assert.equal(costFemtoUsd(pricing, "my.org/model", tokens(1_000_000, 5, 5), AT), 123_456_789_000_000n);
  assert.equal(costFemtoUsd(pricing, "gpt-4o-mini", tokens(1_000_000), AT), costFemtoUsd(defaults, "gpt-4o-mini", tokens(1_000_000), AT));
});

test("the schema refuses negative, non-numeric and missing rates", () => {
  const withRate = (rate: unknown) => ({ models: { m: { inputPerMTok: rate, outputPerMTok: 1 } } });
  assert.equal(pricingConfigSchema.safeParse(withRate(3)).success, true);
  assert.equal(pricingConfigSchema.safeParse(withRate(0)).success, true);
  for (const bad of [-0.01, "3", null, Number.NaN, Number.POSITIVE_INFINITY, 2e6, {}]) {
    assert.equal(pricingConfigSchema.safeParse(withRate(bad)).success, false, String(bad));
  }
  assert.equal(pricingConfigSchema.safeParse({ models: { m: { inputPerMTok: 1 } } }).success, false);
  assert.equal(pricingConfigSchema.safeParse({ models: [] }).success, false);
  assert.equal(pricingConfigSchema.safeParse({ models: { m: { inputPerMTok: 1, outputPerMTok: 1, cacheReadPerMTok: -1 } } }).success, false);
});

test("a `__proto__` model key pollutes nothing, through the schema or around it", () => {
  const raw = JSON.parse('{"models":{"__proto__":{"inputPerMTok":1,"outputPerMTok":2},"ok":{"inputPerMTok":5,"outputPerMTok":6}}}');
  const parsed = pricingConfigSchema.parse(raw);
  const pricing = pricingFromConfig(parsed);
  assert.equal(costFemtoUsd(pricing, "ok", tokens(1), AT), 5_000_000_000n);
  // The schema drops the key, so the name is priced as unknown.
  assert.equal(costFemtoUsd(pricing, "__proto__", tokens(1), AT), costFemtoUsd(defaults, "no-such-model", tokens(1), AT));
  // Handed in directly as an own property, it is an ordinary name in the rate map.
  const direct = pricingFromConfig(raw as PricingConfig);
  assert.equal(costFemtoUsd(direct, "__proto__", tokens(1), AT), 1_000_000_000n);
  assert.equal(costFemtoUsd(direct, "constructor", tokens(1), AT), costFemtoUsd(defaults, "no-such-model", tokens(1), AT));
  assert.equal(({} as Record<string, unknown>).inputPerMTok, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "inputPerMTok"), false);
});

test("dated rates: an interaction pays the rate with the latest effectiveFrom not after its time", () => {
  const pricing = pricingFromConfig(
    pricingConfigSchema.parse({
      models: {
        "gpt-4o": [
          { inputPerMTok: 1, outputPerMTok: 0, effectiveFrom: "2026-03-01T00:00:00Z" },
          { inputPerMTok: 2, outputPerMTok: 0, effectiveFrom: { toDate: () => new Date("2026-05-01T12:00:00Z") } },
          { inputPerMTok: 4, outputPerMTok: 0 },
        ],
        "dated-only": [{ inputPerMTok: 7, outputPerMTok: 0, effectiveFrom: "2026-04-01T00:00:00+02:00" }],
      },
    }),
  );
  const cost = (model: string, iso: string) => costFemtoUsd(pricing, model, tokens(1_000_000), new Date(iso));
  // A rate without effectiveFrom applies from the beginning, until the first dated one.
  assert.equal(cost("gpt-4o", "2026-02-28T23:59:59.999Z"), 4_000_000_000_000_000n);
  assert.equal(cost("gpt-4o", "2026-03-01T00:00:00.000Z"), 1_000_000_000_000_000n, "effectiveFrom itself is in effect");
  assert.equal(cost("gpt-4o", "2026-05-01T11:59:59.999Z"), 1_000_000_000_000_000n);
  assert.equal(cost("gpt-4o", "2026-05-01T12:00:00.000Z"), 2_000_000_000_000_000n);
  assert.equal(cost("gpt-4o", "2030-01-01T00:00:00.000Z"), 2_000_000_000_000_000n);
  // Before a model's first dated rate: what applied without the config (here the unknown-model rate).
  assert.equal(cost("dated-only", "2026-03-31T21:59:59.999Z"), BigInt(UNKNOWN_MODEL_RATE.inputPerMTok * 1e9) * 1_000_000n);
  assert.equal(cost("dated-only", "2026-03-31T22:00:00.000Z"), 7_000_000_000_000_000n);
});

test("the schema refuses malformed dates and over-long schedules", () => {
  const withFrom = (effectiveFrom: unknown) => ({ models: { m: [{ inputPerMTok: 1, outputPerMTok: 1, effectiveFrom }] } });
  for (const bad of ["yesterday", "2026-13-01T00:00:00Z", 12, { toDate: () => new Date(Number.NaN) }]) {
    assert.equal(pricingConfigSchema.safeParse(withFrom(bad)).success, false, String(bad));
  }
  const long = { models: { m: Array.from({ length: 101 }, (_, i) => ({ inputPerMTok: i, outputPerMTok: 0, effectiveFrom: new Date(i * 1000) })) } };
  assert.equal(pricingConfigSchema.safeParse(long).success, false);
  assert.equal(pricingConfigSchema.safeParse({ models: { m: [] } }).success, false);
});

test("fingerprints tell exactly which models' prices changed", () => {
  const before = pricingFromConfig(pricingConfigSchema.parse({ models: { a: { inputPerMTok: 1, outputPerMTok: 1 }, b: { inputPerMTok: 2, outputPerMTok: 2 } } }));
  const after = pricingFromConfig(
    pricingConfigSchema.parse({ models: { a: { inputPerMTok: 1, outputPerMTok: 1 }, b: [{ inputPerMTok: 2, outputPerMTok: 2 }, { inputPerMTok: 3, outputPerMTok: 2, effectiveFrom: "2026-01-01T00:00:00Z" }], c: { inputPerMTok: 1, outputPerMTok: 1 } } }),
  );
  assert.deepEqual(changedModels(before, after), ["b", "c"]);
  assert.equal(pricingFingerprint(before, ["a", "zzz"]), pricingFingerprint(after, ["zzz", "a"]), "unchanged models, in any order");
  assert.notEqual(pricingFingerprint(before, ["a", "b"]), pricingFingerprint(after, ["a", "b"]));
  assert.notEqual(pricingFingerprint(before, ["c"]), pricingFingerprint(after, ["c"]), "a model the config starts to name");
  assert.notEqual(pricingFingerprint(before, [], true), pricingFingerprint(after, [], true), "every model at once");
});

const M = 1_000_000;
/** USD as femto-USD, exactly (`usd` with at most 9 decimals). */
const femto = (usd: number) => BigInt(Math.round(usd * 1e9)) * 1_000_000n;
const counts = (inputTokens: number, outputTokens: number, cacheReadTokens: number, cacheWriteTokens?: number) => ({ inputTokens, outputTokens, cacheReadTokens, ...(cacheWriteTokens === undefined ? {} : { cacheWriteTokens }) });
const configured = (models: Record<string, unknown>) => pricingFromConfig(pricingConfigSchema.parse({ models }));

test("cache writes pay Anthropic's 1.25x surcharge, reads its 0.1x, on a dated snapshot name", () => {
  // claude-sonnet-4-5: $3 input, $15 output, $0.30 cache read, $3.75 cache write (5 minutes).
  const cost = costFemtoUsd(defaults, "claude-sonnet-4-5-20250929", counts(100_000, 10_000, 50_000, 40_000), AT);
  assert.equal(cost, femto(0.3 + 0.15 + 0.015 + 0.15));
  assert.equal(costFemtoUsd(defaults, "claude-haiku-4-5", counts(0, 0, 0, M), AT), femto(1.25));
  assert.equal(costFemtoUsd(defaults, "claude-opus-4-1-20250805", counts(0, 0, M, M), AT), femto(1.5 + 18.75));
});

test("without cacheWritePerMTok a cache write pays the input rate; callers that count none keep their cost", () => {
  const pricing = configured({ plain: { inputPerMTok: 2, outputPerMTok: 8, cacheReadPerMTok: 0.5 }, written: { inputPerMTok: 2, outputPerMTok: 8, cacheWritePerMTok: 2.5 } });
  assert.equal(costFemtoUsd(pricing, "plain", counts(0, 0, 0, M), AT), femto(2));
  assert.equal(costFemtoUsd(pricing, "written", counts(0, 0, 0, M), AT), femto(2.5));
  assert.equal(costFemtoUsd(pricing, "written", counts(M, M, M), AT), costFemtoUsd(pricing, "written", counts(M, M, M, 0), AT));
  // OpenAI bills no write surcharge: a default without one charges writes as input.
  assert.equal(costFemtoUsd(defaults, "gpt-4o-2024-11-20", counts(0, 0, 0, M), AT), femto(2.5));
});

test("a tier prices every token of a prompt above its size; exactly at it pays the base rate", () => {
  const pricing = configured({ m: { inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.1, tiers: [{ aboveInputTokens: 1_000, inputPerMTok: 10, outputPerMTok: 20, cacheWritePerMTok: 12.5 }] } });
  // The prompt is input + cache read + cache write: 600 + 300 + 100 = 1,000, not above.
  assert.equal(costFemtoUsd(pricing, "m", counts(600, 50, 300, 100), AT), 600n * 1_000_000_000n + 50n * 2_000_000_000n + 300n * 100_000_000n + 100n * 1_000_000_000n);
  // One more cache-write token: every token pays the tier; its cache read falls back to the tier's input.
  assert.equal(costFemtoUsd(pricing, "m", counts(600, 50, 300, 101), AT), 600n * 10_000_000_000n + 50n * 20_000_000_000n + 300n * 10_000_000_000n + 101n * 12_500_000_000n);
  // gemini-2.5-pro: $1.25 / $10 up to 200k prompt tokens, $2.50 / $15 above.
  assert.equal(costFemtoUsd(defaults, "gemini-2.5-pro", counts(200_000, M, 0), AT), femto(0.25 + 10));
  assert.equal(costFemtoUsd(defaults, "gemini-2.5-pro", counts(200_001, M, 0), AT), 200_001n * 2_500_000_000n + femto(15));
});

test("the highest tier the prompt is above wins, in whatever order they are written", () => {
  const pricing = configured({ m: { inputPerMTok: 1, outputPerMTok: 0, tiers: [{ aboveInputTokens: 100_000, inputPerMTok: 3, outputPerMTok: 0 }, { aboveInputTokens: 10_000, inputPerMTok: 2, outputPerMTok: 0 }] } });
  const perToken = (input: number) => costFemtoUsd(pricing, "m", counts(input, 0, 0), AT) / BigInt(input);
  assert.deepEqual([5_000, 10_000, 10_001, 100_000, 100_001, 5 * M].map(perToken), [1_000_000_000n, 1_000_000_000n, 2_000_000_000n, 2_000_000_000n, 3_000_000_000n, 3_000_000_000n]);
});

test("a model is priced by its exact key, else the longest prefix, else the defaults (exact, then prefix), else the fallback", () => {
  const pricing = configured({
    "acme-1": { inputPerMTok: 1, outputPerMTok: 0 },
    "acme-*": { inputPerMTok: 2, outputPerMTok: 0 },
    "acme-1*": { inputPerMTok: 3, outputPerMTok: 0 },
    "gpt-4o-mini*": { inputPerMTok: 4, outputPerMTok: 0 },
  });
  const input = (model: string, p = pricing) => Number(costFemtoUsd(p, model, counts(M, 0, 0), AT) / 1_000_000_000n) / 1e6;
  assert.equal(input("acme-1"), 1, "exact beats every prefix");
  assert.equal(input("acme-1-large"), 3, "the longest prefix");
  assert.equal(input("acme-2"), 2);
  assert.equal(input("acme-"), 2, "a prefix matches its own stem");
  assert.equal(input("gpt-4o-mini-2024-07-18"), 4, "a configured prefix beats the defaults");
  assert.equal(input("gpt-4o-2024-08-06"), 2.5, "the defaults by prefix: a snapshot name is priced as its model");
  assert.equal(input("gpt-4o-2024-05-13"), 5, "a default exact key beats a default prefix");
  assert.equal(input("gpt-4.1-mini-2025-04-14"), 0.4, "the longest default prefix");
  assert.equal(input("acm"), UNKNOWN_MODEL_RATE.inputPerMTok, "no entry: the fallback");
  // Names with `*` or `__proto__` are names: a key is a prefix only when `*` ends it.
  const odd = configured({ "a*b": { inputPerMTok: 5, outputPerMTok: 0 }, "x*": { inputPerMTok: 6, outputPerMTok: 0 } });
  assert.equal(input("a*b", odd), 5);
  assert.equal(input("a*bc", odd), UNKNOWN_MODEL_RATE.inputPerMTok);
  assert.equal(input("x*", odd), 6);
  const proto = pricingFromConfig(JSON.parse('{"models":{"__proto__*":{"inputPerMTok":7,"outputPerMTok":0}}}') as PricingConfig);
  assert.equal(input("__proto__-v2", proto), 7);
  assert.equal(input("__proto_", proto), UNKNOWN_MODEL_RATE.inputPerMTok);
});

test("a dated prefix schedule prices each snapshot name by date, and the defaults before its first date", () => {
  const pricing = configured({
    "acme-*": [{ inputPerMTok: 1, outputPerMTok: 0 }, { inputPerMTok: 2, outputPerMTok: 0, effectiveFrom: "2026-03-01T00:00:00Z" }],
    "claude-sonnet-4*": [{ inputPerMTok: 9, outputPerMTok: 0, effectiveFrom: "2026-03-01T00:00:00Z" }],
  });
  // 100,000 input tokens: under the 200k tier of the Sonnet defaults.
  const cost = (model: string, iso: string) => costFemtoUsd(pricing, model, counts(100_000, 0, 0), new Date(iso));
  assert.equal(cost("acme-large-2026", "2026-02-28T23:59:59.999Z"), femto(0.1));
  assert.equal(cost("acme-large-2026", "2026-03-01T00:00:00.000Z"), femto(0.2));
  assert.equal(cost("claude-sonnet-4-5-20250929", "2026-02-28T23:59:59.999Z"), femto(0.3), "the default for that name until the first date");
  assert.equal(cost("claude-sonnet-4-5-20250929", "2026-03-01T00:00:00.000Z"), femto(0.9));
});

test("a changed prefix changes the fingerprint of exactly the names it matches, now or before", () => {
  const before = configured({ "acme-*": { inputPerMTok: 1, outputPerMTok: 0 }, "acme-1*": { inputPerMTok: 3, outputPerMTok: 0 } });
  const after = configured({ "acme-*": { inputPerMTok: 2, outputPerMTok: 0 }, "acme-1*": { inputPerMTok: 3, outputPerMTok: 0 }, "gpt-4o-2024-08*": { inputPerMTok: 2.5, outputPerMTok: 12 } });
  const changed = (models: string[]) => pricingFingerprint(before, models) !== pricingFingerprint(after, models);
  assert.equal(changed(["acme-2"]), true);
  assert.equal(changed(["acme-1-large"]), false, "priced by a longer prefix that did not change");
  assert.equal(changed(["gpt-4o-2024-08-06"]), true, "a new prefix takes over from a default");
  assert.equal(changed(["gpt-4o-2024-11-20", "gpt-4o", "claude-sonnet-4", "acme"]), false);
  // The same rate from another entry costs the same, so the digest stays.
  assert.equal(pricingFingerprint(configured({ "gpt-4o-2024*": { inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 } }), ["gpt-4o-2024-08-06"]), pricingFingerprint(defaults, ["gpt-4o-2024-08-06"]));
  assert.notEqual(pricingFingerprint(before, [], true), pricingFingerprint(after, [], true));
});

test("changedModels names the changed keys, prefixes as written; repricedBy tells which names they re-price", () => {
  const before = configured({ "acme-*": { inputPerMTok: 1, outputPerMTok: 0 }, "acme-1": { inputPerMTok: 3, outputPerMTok: 0 }, keep: { inputPerMTok: 1, outputPerMTok: 1 } });
  const after = configured({ "acme-*": { inputPerMTok: 1, outputPerMTok: 0, cacheWritePerMTok: 2 }, keep: { inputPerMTok: 1, outputPerMTok: 1 }, "gpt-5*": { inputPerMTok: 1, outputPerMTok: 1 } });
  assert.deepEqual(changedModels(before, after), ["acme-*", "acme-1", "gpt-5*"]);
  const repriced = repricedBy(before, after);
  assert.deepEqual(["acme-x", "acme-1", "gpt-5-mini-2025-08-07", "gpt-5", "keep", "gpt-4o", "other"].filter(repriced), ["acme-x", "acme-1", "gpt-5-mini-2025-08-07", "gpt-5"]);
  // Removing a prefix re-prices the names it matched, back to the defaults.
  assert.deepEqual(changedModels(after, before), ["acme-*", "acme-1", "gpt-5*"]);
  assert.equal(repricedBy(after, before)("gpt-5-2025-08-07"), true);
  assert.deepEqual(changedModels(before, configured({ keep: { inputPerMTok: 1, outputPerMTok: 1 }, "acme-1": { inputPerMTok: 3, outputPerMTok: 0 }, "acme-*": { inputPerMTok: 1, outputPerMTok: 0 } })), []);
});

test("the schema refuses malformed cache-write rates and tiers", () => {
  const rate = (extra: object) => ({ models: { m: { inputPerMTok: 1, outputPerMTok: 1, ...extra } } });
  assert.equal(pricingConfigSchema.safeParse(rate({ cacheWritePerMTok: 1.25, tiers: [{ aboveInputTokens: 0, inputPerMTok: 2, outputPerMTok: 2 }] })).success, true);
  for (const bad of [
    { cacheWritePerMTok: -1 },
    { cacheWritePerMTok: "1" },
    { tiers: [{ aboveInputTokens: 1.5, inputPerMTok: 2, outputPerMTok: 2 }] },
    { tiers: [{ aboveInputTokens: -1, inputPerMTok: 2, outputPerMTok: 2 }] },
    { tiers: [{ aboveInputTokens: 10, inputPerMTok: 2 }] },
    { tiers: [{ aboveInputTokens: 10, inputPerMTok: 2, outputPerMTok: 2, cacheWritePerMTok: -2 }] },
    { tiers: [{ aboveInputTokens: 10, inputPerMTok: 2, outputPerMTok: 2 }, { aboveInputTokens: 10, inputPerMTok: 3, outputPerMTok: 3 }] },
    { tiers: Array.from({ length: 11 }, (_, i) => ({ aboveInputTokens: i, inputPerMTok: 1, outputPerMTok: 1 })) },
  ]) {
    assert.equal(pricingConfigSchema.safeParse(rate(bad)).success, false, JSON.stringify(bad));
  }
});

test("a `*` in a model name as sent is a character, never a wildcard", () => {
  const input = (model: string, p = defaults) => Number(costFemtoUsd(p, model, counts(M, 0, 0), AT) / 1_000_000_000n) / 1e6;
  // No shipped key is `gpt-4o*` and no shipped stem starts it: the name is unknown, not gpt-4o and not "every gpt-4o".
  assert.equal(input("gpt-4o*"), UNKNOWN_MODEL_RATE.inputPerMTok);
  assert.equal(input("*"), UNKNOWN_MODEL_RATE.inputPerMTok);
  assert.equal(input("__proto__*"), UNKNOWN_MODEL_RATE.inputPerMTok);
  // A name that a shipped stem starts is priced by that prefix, `*` and all.
  assert.equal(input("gpt-4.1*"), 2);
  assert.equal(input("claude-opus-4-1*"), 15);
  const pricing = configured({ "a*b": { inputPerMTok: 5, outputPerMTok: 0 }, "gpt-4o*": { inputPerMTok: 7, outputPerMTok: 0 } });
  assert.equal(input("axb", pricing), UNKNOWN_MODEL_RATE.inputPerMTok, "a `*` inside a key matches only itself");
  assert.equal(input("a*b", pricing), 5);
  // A stored key ending in `*` is a prefix: it prices the name sent with the star and the names it starts.
  assert.equal(input("gpt-4o*", pricing), 7);
  assert.equal(input("gpt-4o-mini", pricing), 7);
  // A stored `*` alone is a prefix of every name: it prices what no longer stored key names, defaults included.
  const everything = configured({ "*": { inputPerMTok: 9, outputPerMTok: 0 }, "acme*": { inputPerMTok: 1, outputPerMTok: 0 } });
  assert.deepEqual(["gpt-4o", "no-such-model", "", "acme-1", "*"].map((model) => input(model, everything)), [9, 9, 9, 1, 9]);
});
