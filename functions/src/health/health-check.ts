/**
 * @module health-check
 * What `GET /v1/health` reports: the revision serving, the Node.js version it runs on, and whether
 * Firestore answered a probe. The probe is one document read; its answer is remembered per instance
 * (15 s when it answered, 5 s when it did not, so a recovery shows quickly), and concurrent checks
 * share one probe, so a load balancer polling every second costs about one read per 15 s. A probe
 * that has not answered within 2 s counts as down: Firestore's client would otherwise keep retrying
 * for up to a minute. The report names no secret and no error text, only whether the store answered.
 */
import type { Logger } from "../config/logger";
import type { HealthReport } from "../contract/schemas/service";
import * as logs from "../config/logs";

/** Resolves when the store answered (any answer, "not found" included); rejects or hangs otherwise. */
export type StoreProbe = () => Promise<unknown>;


export interface HealthCheck {
  /** The current report: cached when the last probe is recent enough, else after a new probe. */
  report(): Promise<HealthReport>;
}

export interface HealthCheckOptions {
  probe: StoreProbe;
  revision: string;
  node: string;
  now: () => Date;
  log?: Logger;
  okTtlMs?: number;
  failedTtlMs?: number;
  timeoutMs?: number;
}

type Probed = HealthReport["firestore"] & { at: number };

/** `work`, or a rejection once `ms` have passed without its answer. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The health of this instance, with the store probe cached as the module header says.
 * @example const health = healthCheck({ probe: () => db.doc("metrics_config/health").get(), revision: "api-00007", node: process.version, now: () => new Date() });
 */
export function healthCheck(options: HealthCheckOptions): HealthCheck {
  const okTtlMs = options.okTtlMs ?? 15_000;
  const failedTtlMs = options.failedTtlMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let last: Probed | null = null;
  let inFlight: Promise<Probed> | null = null;

  async function probeOnce(): Promise<Probed> {
    const started = options.now();
    let ok = true;
    try {
      await within(options.probe(), timeoutMs);
    } catch (error) {
      ok = false;
      if (options.log) logs.healthStoreUnavailable(options.log, error);
    }
    const at = options.now().getTime();
    return { ok, checkedAt: started.toISOString(), latencyMs: at - started.getTime(), at };
  }

  const fresh = (probed: Probed | null): probed is Probed => probed !== null && options.now().getTime() - probed.at < (probed.ok ? okTtlMs : failedTtlMs);

  return {
    async report() {
      if (!fresh(last)) {
        inFlight ??= probeOnce().finally(() => (inFlight = null));
        last = await inFlight;
      }
      const { ok, checkedAt, latencyMs } = last as Probed;
      return { status: ok ? "ok" : "unavailable", time: options.now().toISOString(), revision: options.revision, node: options.node, firestore: { ok, checkedAt, latencyMs } };
    },
  };
}
