import { test } from "node:test";
import assert from "node:assert/strict";
import { applySourceChange, emptySourcesBlock, summarizeSources } from "../../../functions/src/metrics/source-metrics";
import { SOURCE_STATUSES, SOURCE_TYPES, type ContextSource } from "../../../functions/src/documents/source-documents";
import { mulberry32 } from "../../support/seeded-random";


function randomSource(rand: () => number): ContextSource {
  const createdAt = new Date(1_700_000_000_000 + Math.floor(rand() * 1e9));
  return {
    agentId: "a",
    type: SOURCE_TYPES[Math.floor(rand() * SOURCE_TYPES.length)],
    status: SOURCE_STATUSES[Math.floor(rand() * SOURCE_STATUSES.length)],
    sizeBytes: Math.floor(rand() * 5e7),
    tokenCount: Math.floor(rand() * 1e6),
    createdAt,
    updatedAt: createdAt,
  };
}

test("summarizes counts, sums, types, statuses and the newest creation time", () => {
  const t1 = new Date("2026-01-01T00:00:00Z");
  const t2 = new Date("2026-02-01T00:00:00Z");
  const block = summarizeSources([
    { agentId: "a", type: "pdf", status: "ready", sizeBytes: 100, tokenCount: 10, createdAt: t2, updatedAt: t2 },
    { agentId: "a", type: "url", status: "failed", sizeBytes: 5, tokenCount: 0, createdAt: t1, updatedAt: t1 },
  ]);
  assert.equal(block.count, 2);
  assert.equal(block.totalBytes, 105);
  assert.equal(block.totalTokens, 10);
  assert.deepEqual(block.byType, { pdf: 1, docx: 0, text: 0, url: 1, csv: 0, other: 0 });
  assert.deepEqual(block.byStatus, { processing: 0, ready: 1, failed: 1 });
  assert.equal(block.lastAddedAt, t2.toISOString());
  assert.deepEqual(summarizeSources([]), emptySourcesBlock());
});

test("deltas applied in any order equal a full recompute (random histories, replayable seeds)", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const rand = mulberry32(seed);
    const live = new Map<number, ContextSource>();
    const deltas: Array<[ContextSource | null, ContextSource | null]> = [];
    for (let step = 0; step < 60; step++) {
      const id = Math.floor(rand() * 12);
      const current = live.get(id) ?? null;
      const next = rand() < 0.3 ? null : randomSource(rand);
      if (!current && !next) continue;
      deltas.push([current, next]);
      if (next) live.set(id, next);
      else live.delete(id);
    }
    // Deliver the deltas shuffled: each is applied exactly once, order is the network's.
    for (let i = deltas.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [deltas[i], deltas[j]] = [deltas[j], deltas[i]];
    }
    const truth = summarizeSources([...live.values()]);
    const latest = truth.lastAddedAt ? new Date(truth.lastAddedAt) : null;
    const incremental = deltas.reduce((block, [removed, added]) => applySourceChange(block, removed, added, latest), emptySourcesBlock());
    assert.deepEqual(incremental, truth, `seed ${seed}`);
  }
});
