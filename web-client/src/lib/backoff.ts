/**
 * @module backoff
 * When to try a refused request again. Only 429 and 503 are worth retrying: the server said "later",
 * and its `Retry-After` is obeyed exactly rather than guessed at; without one, the wait doubles from
 * a base with jitter. A wait longer than the caller will sit through is not slept: the gate stays
 * closed until then, so later reads do not hammer the server and fail (or fall back) at once.
 * Network failures are not retried here: the cache serves its last verified value instead.
 */
import { ApiRequestError } from "./api-client";

export interface BackoffOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The first wait when the server named none; doubled per attempt. */
  baseDelayMs: number;
  /** The longest wait slept inside one call; a longer Retry-After gives up at once. */
  maxDelayMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); spreads retries of many clients apart. */
  random: () => number;
}

export const DEFAULT_BACKOFF: Omit<BackoffOptions, "now" | "sleep" | "random"> = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/** True for the answers that mean "the server is fine, ask again later". */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiRequestError && (error.status === 429 || error.status === 503);
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 0) after `error`, in ms.
 * @example retryDelayMs(new ApiRequestError(429, "RESOURCE_EXHAUSTED", "slow down", 2), 0, opts) // 2000
 */
export function retryDelayMs(error: ApiRequestError, attempt: number, options: Pick<BackoffOptions, "baseDelayMs" | "random">): number {
  if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds * 1000;
  const exponential = options.baseDelayMs * 2 ** attempt;
  return Math.round(exponential * (0.5 + options.random() / 2));
}

/**
 * Runs requests through retries and remembers the server's last "not before" time, shared by every
 * read of one cache, so a 429 on one id also holds back the others.
 * @example const body = await gate.run(() => api.metrics("agent", "a1"));
 */
export class BackoffGate {
  private notBefore = 0;
  private lastRefusal: ApiRequestError | null = null;

  constructor(private readonly options: BackoffOptions) {}

  /** Milliseconds until requests may be sent again; 0 when the gate is open. */
  closedForMs(): number {
    return Math.max(0, this.notBefore - this.options.now());
  }

  /** Calls `request`, retrying 429/503 as the server asks; throws the last error when it gives up. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const closed = this.closedForMs();
      if (closed > this.options.maxDelayMs) throw this.refusal(closed);
      if (closed > 0) await this.options.sleep(closed);
      try {
        return await request();
      } catch (error) {
        if (!(error instanceof ApiRequestError) || !isRetryable(error)) throw error;
        const delay = retryDelayMs(error, attempt, this.options);
        this.lastRefusal = error;
        this.notBefore = Math.max(this.notBefore, this.options.now() + delay);
        if (attempt + 1 >= this.options.maxAttempts || delay > this.options.maxDelayMs) throw error;
      }
    }
  }

  private refusal(closedMs: number): ApiRequestError {
    const seconds = Math.ceil(closedMs / 1000);
    const { status, code } = this.lastRefusal ?? { status: 429, code: "RESOURCE_EXHAUSTED" as const };
    return new ApiRequestError(status, code, `The server asked to wait ${seconds} s before the next request.`, seconds);
  }
}
