/**
 * @module source-writer
 * Writes `context_sources` documents with firebase-admin, as an app would, and knows how many it has
 * written, so the benchmark can wait until the source trigger has processed every one of them.
 *
 * "Processed" is observed through the event deltas (`agent_metrics_cache/{agentId}/deltas/{eventId}`)
 * that the trigger records and a fold marks applied, one per source event: when the applied ones
 * reach the number of source writes, no source event is left queued to slow a measurement. The
 * benchmark's emulators hold nothing else that records event deltas.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { SOURCE_TYPES } from "../../functions/src/documents/source-documents";
import { COLLECTIONS } from "../../functions/src/documents/collections";

/** Firestore's limit for one batched write, which is how bulk uploads are written. */
export const BATCH_SIZE = 500;

/** A valid source document; the fields vary with `i` so the totals are not all one type. */
export function sourceDocument(agentId: string, i: number) {
  const now = Timestamp.now();
  return { agentId, type: SOURCE_TYPES[i % SOURCE_TYPES.length], sizeBytes: 1000 + i, tokenCount: 250 + (i % 100), status: "ready" as const, createdAt: now, updatedAt: now };
}

export class SourceWriter {
  private written = 0;

  constructor(private readonly db: Firestore) {}

  /** Source documents written so far (each fires one trigger event). */
  get count(): number {
    return this.written;
  }

  /** Writes one source; resolves when Firestore has acknowledged it. */
  async writeOne(agentId: string): Promise<void> {
    this.written += 1;
    await this.db.collection(COLLECTIONS.contextSources).doc().set(sourceDocument(agentId, this.written));
  }

  /** Writes `n` sources into `agentId` in batched writes of `BATCH_SIZE`, one batch at a time. */
  async seed(agentId: string, n: number, onBatch: (done: number) => void): Promise<void> {
    for (let done = 0; done < n; ) {
      const batch = this.db.batch();
      const size = Math.min(BATCH_SIZE, n - done);
      for (let i = 0; i < size; i++) batch.set(this.db.collection(COLLECTIONS.contextSources).doc(), sourceDocument(agentId, done + i));
      await batch.commit();
      this.written += size;
      done += size;
      onBatch(done);
    }
  }

  /**
   * Waits until the trigger has processed every source written so far (see the module comment);
   * returns false if `timeoutMs` passed first, leaving the caller to say so next to its figures.
   */
  async drained(onProgress: (processed: number, expected: number) => void, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const markers = this.db.collectionGroup(COLLECTIONS.deltas).where("kind", "==", "event").where("applied", "==", true);
    for (;;) {
      const processed = (await markers.count().get()).data().count;
      onProgress(processed, this.written);
      if (processed >= this.written) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
