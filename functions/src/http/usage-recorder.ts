/**
 * @module usage-recorder
 * Keeps usage logging off the response path: a request only appends a record to an in-memory
 * buffer; the buffer is written in batches every second, or at once when it grows large. A failed
 * write keeps its records for the next attempt (bounded, so a long outage cannot exhaust memory).
 */
import type { UsageRecord } from "../domain/usage";
import type { UsageStore } from "../store/usage-store";

export const FLUSH_INTERVAL_MS = 1_000;
const FLUSH_AT = 200;
const MAX_BUFFERED = 10_000;

export class UsageRecorder {
  private buffer: UsageRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: UsageStore,
    private readonly onError: (error: unknown, dropped: number) => void = () => undefined,
  ) {}

  record(entry: UsageRecord): void {
    this.buffer.push(entry);
    if (this.buffer.length >= FLUSH_AT) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Writes everything buffered so far; resolves when it is stored (tests and shutdown await this). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.inFlight = this.inFlight.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.store.append(batch);
      } catch (error) {
        const keep = batch.slice(-Math.max(0, MAX_BUFFERED - this.buffer.length));
        this.buffer.unshift(...keep);
        this.onError(error, batch.length - keep.length);
      }
    });
    return this.inFlight;
  }
}
