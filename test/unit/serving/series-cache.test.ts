/**
 * @module series-cache.test
 * What varying ranges cost: any `from`/`to` inside the same buckets meets the same entry, and a new
 * range within the freshness window renders from the state the last load brought in, so walking a
 * week hour by hour costs one store read per 5 s, not one per range (issue #26); `no-cache` still reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { seriesCache, type SeriesSource } from "../../../functions/src/serving/series-cache";
import { seriesRange, type SeriesRange } from "../../../functions/src/metrics/series";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";
import { VIEW_POLICY } from "../../../functions/src/cache/cache-policy";
import { emptyAgentView, recordingLogger, storedView } from "../../support/fakes";

const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
const START = new Date("2026-11-23T10:30:00Z");

function world() {
  const clock = { ms: START.getTime() };
  const sealed = seal(nextRevision("agent", "a1", null, emptyAgentView(START), START), keyring, START);
  const reads: string[] = [];
  const source: SeriesSource = {
    readAgentState: async (id) => {
      reads.push(id);
      return storedView(sealed);
    },
    readReadableAgentStates: async () => new Map(),
    recomputeAgent: async () => null,
    readRollup: async () => null,
    foldRollup: async () => {
      throw new Error("no rollups here");
    },
  };
  const cache = seriesCache(source, { keyring, log: recordingLogger(), now: () => clock.ms });
  return { cache, reads, clock };
}

const range = (from: string, to: string): SeriesRange => {
  const found = seriesRange("hour", new Date(from), new Date(to), START);
  assert.ok("range" in found, JSON.stringify(found));
  return found.range;
};

test("from and to anywhere inside the same hours meet one cache entry", async () => {
  const { cache, reads } = world();
  const first = await cache.get("agent", "a1", range("2026-11-23T01:00:00Z", "2026-11-23T05:00:00Z"));
  const second = await cache.get("agent", "a1", range("2026-11-23T01:59:59Z", "2026-11-23T04:00:01Z"));
  assert.equal(second?.fromMemory, true);
  assert.equal(second?.value.etag, first?.value.etag);
  assert.equal(reads.length, 1);
});

test("168 different hourly ranges within the freshness window cost one read, each signed for its own range", async () => {
  const { cache, reads, clock } = world();
  const etags = new Set<string>();
  for (let h = 0; h < 168; h++) {
    const from = new Date(START.getTime() - (h + 1) * 3_600_000).toISOString();
    const served = await cache.get("agent", "a1", range(from, START.toISOString()));
    assert.ok(served);
    etags.add(served.value.etag);
    const body = JSON.parse(`${served.value.payload}}`) as { data: { from: string }; signature: never };
    assert.equal(body.data.from, new Date(Math.floor(Date.parse(from) / 3_600_000) * 3_600_000).toISOString());
    assert.equal(keyring.verify(body.data, body.signature, "series"), true);
    clock.ms += 10; // 168 reads inside 1.7 s
  }
  assert.equal(etags.size, 168, "every range its own series");
  assert.equal(reads.length, 1);

  clock.ms += VIEW_POLICY.freshMs;
  await cache.get("agent", "a1", range("2026-11-22T00:00:00Z", "2026-11-22T02:00:00Z"));
  assert.equal(reads.length, 2, "past the freshness window a new range reads the store again");
});

test("a no-cache read goes to the store, not to the state read a moment ago", async () => {
  const { cache, reads } = world();
  await cache.get("agent", "a1", range("2026-11-23T01:00:00Z", "2026-11-23T02:00:00Z"));
  await cache.get("agent", "a1", range("2026-11-23T03:00:00Z", "2026-11-23T04:00:00Z"), { revalidate: true });
  assert.equal(reads.length, 2);
});
