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
