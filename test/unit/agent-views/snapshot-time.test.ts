import { test } from "node:test";
import assert from "node:assert/strict";
import { Timestamp } from "firebase-admin/firestore";
import { commitTimeOf, snapshotTimeOf } from "../../../functions/src/agent-views/snapshot-time";

/** What the view logic does with a commit time: compares it, to the millisecond, with the watermark. */
const judgedRead = (commit: Timestamp, watermark: Date) => commitTimeOf(commit) <= watermark;
/** What a snapshot read as of `readTime` holds. */
const inSnapshot = (commit: Timestamp, readTime: Timestamp) => commit.seconds < readTime.seconds || (commit.seconds === readTime.seconds && commit.nanoseconds <= readTime.nanoseconds);

test("a write is in the snapshot exactly when the watermark judges it read, around the millisecond's edges", () => {
  const server = new Timestamp(1_800_000_000, 123_456_789);
  const { readTime, watermark } = snapshotTimeOf(server);
  assert.deepEqual([readTime.seconds, readTime.nanoseconds], [1_800_000_000, 123_999_000]);
  assert.equal(watermark.getTime(), 1_800_000_000_123);
  // Commit times are whole microseconds.
  const nanos = [0, 122_999_000, 123_000_000, 123_456_000, 123_999_000, 124_000_000, 124_001_000, 999_999_000];
  for (const n of nanos) {
    const commit = new Timestamp(1_800_000_000, n);
    assert.equal(inSnapshot(commit, readTime), judgedRead(commit, watermark), `commit at ${n} ns`);
  }
});

test("a server time on a whole millisecond reads to that millisecond's last microsecond", () => {
  const { readTime, watermark } = snapshotTimeOf(new Timestamp(1_800_000_001, 0));
  assert.deepEqual([readTime.seconds, readTime.nanoseconds, watermark.getTime()], [1_800_000_001, 999_000, 1_800_000_001_000]);
});
