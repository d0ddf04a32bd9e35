/**
 * @module snapshot-time
 * The time a full recompute reads an agent's documents at, and the watermark it stores for it.
 *
 * Watermarks are kept, and event commit times compared with them, at millisecond precision (`Date`):
 * an event counts as already read when its commit time, to the millisecond, is at or before the
 * watermark. Firestore's times are whole microseconds, so a snapshot read as of the last microsecond
 * of the watermark's millisecond holds exactly those writes; one read as of any other instant of it
 * would leave out, or take in, writes of that same millisecond that the comparison judges the other way.
 */
import { Timestamp } from "firebase-admin/firestore";

export interface SnapshotTime {
  /** When to read: the last microsecond of the watermark's millisecond. */
  readTime: Timestamp;
  /** What to store: every write whose commit time's millisecond is at or before it was read. */
  watermark: Date;
}

const NANOS_PER_MS = 1_000_000;
const NANOS_PER_US = 1_000;

/** The snapshot of the millisecond that holds `serverTime`. */
export function snapshotTimeOf(serverTime: Timestamp): SnapshotTime {
  const msNanos = Math.floor(serverTime.nanoseconds / NANOS_PER_MS) * NANOS_PER_MS;
  return { readTime: new Timestamp(serverTime.seconds, msNanos + NANOS_PER_MS - NANOS_PER_US), watermark: new Date(serverTime.seconds * 1000 + msNanos / NANOS_PER_MS) };
}

/** A commit time as events carry it to the view logic: cut to its millisecond (`Timestamp.toDate` would round). */
export function commitTimeOf(time: { toMillis(): number }): Date {
  return new Date(time.toMillis());
}

/**
 * How long to wait after learning the server's time before reading as of the end of its millisecond:
 * that instant is at most 1 ms later, and a read as of a time still to come is refused.
 */
export const SETTLE_MS = 2;
