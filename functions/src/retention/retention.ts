/**
 * @module retention
 * How long the product keeps its bookkeeping: usage records (per request batch and per key and day)
 * and the markers of trigger events and ingest chunks. Each is written with an `expireAt` this far
 * ahead; Firestore's TTL policies (firestore.indexes.json) delete them in production, and the hourly
 * reconcile deletes what has expired anywhere else (the emulator, a project without the policies).
 * One number, read by every writer of an `expireAt` and by the reconcile's sweep of markers that were
 * never folded.
 */
export const RETENTION_DAYS = 30;

export const DAY_MS = 86_400_000;

/** When something written at `from` may be deleted. */
export const expiresAfterRetention = (fromMs: number): Date => new Date(fromMs + RETENTION_DAYS * DAY_MS);
