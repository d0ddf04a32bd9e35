/**
 * @module usage-recorder
 * Keeps usage logging off the response path: a request only adds itself to an in-memory tally
 * (`usage/usage.ts`); the tallies are written every second, or at once when they grow many. A
 * failed write keeps its tallies for the next attempt (bounded, so a long outage cannot exhaust
 * memory). Memory and writes grow with the number of distinct (key, route, status, client) groups a
 * second, not with the number of requests.
 */
import { UsageTallies, type UsageRecord, type UsageTally } from "./usage";
import type { UsageStore } from "./usage-store";

const FLUSH_INTERVAL_MS = 1_000;
const FLUSH_AT = 200;
const MAX_BUFFERED = 10_000;

export class UsageRecorder {
  private tallies = new UsageTallies();
  /** Tallies of failed writes, written again first (kept apart: merging would blur their times). */
  private failed: UsageTally[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: UsageStore,
    private readonly onError: (error: unknown, dropped: number) => void = () => undefined,
  ) {}

  record(entry: UsageRecord): void {
    this.tallies.add(entry);
    if (this.tallies.size >= FLUSH_AT) void this.flush();
    else this.scheduleFlush();
  }

  /** Writes everything tallied so far; resolves when it is stored (tests and shutdown await this). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.failed, ...this.tallies.values()];
    this.failed = [];
    this.tallies = new UsageTallies();
    this.inFlight = this.inFlight.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.store.append(batch);
      } catch (error) {
        const keep = batch.slice(-Math.max(0, MAX_BUFFERED - this.failed.length));
        this.failed.push(...keep);
        this.onError(error, batch.length - keep.length);
        this.scheduleFlush();
      }
    });
    return this.inFlight;
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }
}
