/**
 * @module cache-stats
 * The figures of every cache layer on this instance, for `GET /v1/cache/stats` and for a structured
 * `cache.stats` log line written once a minute when there was traffic (Cloud Logging then has the
 * same figures per instance over time, without anyone polling the route).
 */
import { INSTANCE_ID } from "../config/params";
import type { Logger } from "../config/logger";
import type { LayerStats } from "../contract/schemas/service";
import * as logs from "../config/logs";

const STATS_LOG_INTERVAL_MS = 60_000;

export interface CacheStatsSnapshot {
  instanceId: string;
  startedAt: string;
  at: string;
  layers: Record<string, LayerStats>;
}

export class CacheStats {
  /** Identifies this function instance in responses and logs. */
  readonly instanceId = INSTANCE_ID;
  private readonly startedAt: Date;
  private timer: NodeJS.Timeout | undefined;
  private lastLookups = 0;

  constructor(
    private readonly layers: Record<string, () => LayerStats>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.startedAt = now();
  }

  snapshot(): CacheStatsSnapshot {
    const layers = Object.fromEntries(Object.entries(this.layers).map(([name, stats]) => [name, stats()]));
    return { instanceId: this.instanceId, startedAt: this.startedAt.toISOString(), at: this.now().toISOString(), layers };
  }

  /** Logs the snapshot as `cache.stats` if any layer was used since the last line; returns whether it logged. */
  logIfBusy(log: Logger): boolean {
    const snapshot = this.snapshot();
    const lookups = Object.values(snapshot.layers).reduce((sum, l) => sum + l.hits + l.staleServes + l.misses, 0);
    if (lookups === this.lastLookups) return false;
    this.lastLookups = lookups;
    logs.cacheStats(log, { ...snapshot });
    return true;
  }

  /** Starts the periodic log line; the timer never keeps the process alive. */
  startLogging(log: Logger, intervalMs = STATS_LOG_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.logIfBusy(log), intervalMs);
    this.timer.unref();
  }
}
