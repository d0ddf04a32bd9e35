/**
 * @module interaction-facts.test
 * The card's token figures: cache writes beside cache reads, the share of output spent reasoning
 * (a dash rather than "0 %" when there is no output, or the view predates the field), and the time
 * to first token only when some call reported one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InteractionsBlock } from "metrics-functions/contract";
import { interactionFacts, reasoningShare, reasoningText, ttftRows } from "../../../web-client/src/view/interaction-facts";

/** A number as the reader's locale writes it (the page formats with it): "1,000" in English. */
const local = (value: number, digits = 2) => value.toLocaleString(undefined, { maximumFractionDigits: digits });

const block = (over: Partial<InteractionsBlock> = {}): InteractionsBlock => ({
  count: 12,
  errorCount: 1,
  errorRate: 1 / 12,
  inputTokens: 48_000,
  outputTokens: 4_000,
  cacheReadTokens: 9_000,
  cacheWriteTokens: 12_345,
  reasoningTokens: 1_000,
  costUsd: 0.25,
  latencyMs: { avg: 900, p50: 800, p95: 2_000, p99: 2_400, max: 2_500 },
  timeToFirstTokenMs: { count: 7, p50: 180, p95: 420.4 },
  byModel: {},
  lastAt: null,
  ...over,
});

describe("reasoning share", () => {
  it("is the part of the output spent reasoning", () => {
    assert.equal(reasoningShare(block()), 0.25);
    assert.equal(reasoningText(block()), `25 % of output (${local(1_000)} tokens)`);
    assert.equal(reasoningText(block({ reasoningTokens: 1, outputTokens: 3 })), `${local(33.3)} % of output (1 tokens)`);
  });

  it("is no share at all when there is no output, and zero when nothing reasoned", () => {
    assert.equal(reasoningShare(block({ outputTokens: 0, reasoningTokens: 0 })), null);
    assert.equal(reasoningText(block({ outputTokens: 0, reasoningTokens: 0 })), "— (no output tokens yet)");
    assert.equal(reasoningText(block({ reasoningTokens: 0 })), "0 % of output (0 tokens)");
  });

  it("reads as a dash for a view stored before the field existed", () => {
    const old = block();
    delete (old as Partial<InteractionsBlock>).reasoningTokens;
    assert.equal(reasoningShare(old), null);
    assert.equal(reasoningText(old), "—");
  });
});

describe("interactionFacts", () => {
  it("lists cache writes after cache reads, then the reasoning share", () => {
    assert.deepEqual(interactionFacts(block()), [
      ["Calls", `12 (${local(8.3)} % errors)`],
      ["Tokens in / out", `${local(48_000)} / ${local(4_000)}`],
      ["Cache-read tokens", local(9_000)],
      ["Cache-write tokens", local(12_345)],
      ["Reasoning share", `25 % of output (${local(1_000)} tokens)`],
    ]);
  });
});

describe("ttftRows", () => {
  it("gives p50 and p95 when some call streamed", () => {
    assert.deepEqual(ttftRows(block()), [
      { label: "p50", value: 180, text: "180 ms" },
      { label: "p95", value: 420.4, text: "420 ms" },
    ]);
  });

  it("gives nothing when no call reported a first token (zeros would read as instant)", () => {
    assert.equal(ttftRows(block({ timeToFirstTokenMs: { count: 0, p50: 0, p95: 0 } })), null);
    assert.equal(ttftRows({} as Pick<InteractionsBlock, "timeToFirstTokenMs">), null);
  });
});
