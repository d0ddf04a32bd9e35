/**
 * @module rate-limit
 * Sliding-window rate limiting over one-minute windows (the estimate Cloudflare and Upstash use):
 * the previous window's count is weighted by how much of it still overlaps the last 60 s, plus the
 * current window's count. Two counters per key, no per-request log, and no burst of 2x the limit
 * at a window edge as a fixed window allows.
 */

export const WINDOW_MS = 60_000;

export interface WindowCounts {
  /** Requests allowed in the previous window. */
  previous: number;
  /** Requests allowed so far in the current window. */
  current: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends (the `RateLimit-Reset` header). */
  resetSeconds: number;
  /** Seconds until a request would be allowed again; only when refused. */
  retryAfterSeconds?: number;
}

/** Start of the window containing `nowMs`. */
export function windowStart(nowMs: number): number {
  return Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
}

/** Whether `cost` more requests (one by default) fit under `limit`, given the counts of the window holding `nowMs`. */
export function decide(limit: number, counts: WindowCounts, nowMs: number, cost = 1): RateDecision {
  const start = windowStart(nowMs);
  const elapsed = (nowMs - start) / WINDOW_MS;
  const estimate = counts.previous * (1 - elapsed) + counts.current;
  const allowed = estimate + cost <= limit;
  const resetSeconds = Math.max(1, Math.ceil((start + WINDOW_MS - nowMs) / 1000));
  const remaining = Math.max(0, Math.floor(limit - estimate - (allowed ? cost : 0)));
  if (allowed) return { allowed, limit, remaining, resetSeconds };
  return { allowed, limit, remaining: 0, resetSeconds, retryAfterSeconds: secondsUntilAllowed(limit, counts, nowMs, Math.min(cost, limit)) };
}

/** The earliest time `cost` more requests fit, assuming no other request is allowed meanwhile. */
function secondsUntilAllowed(limit: number, { previous, current }: WindowCounts, nowMs: number, cost: number): number {
  const start = windowStart(nowMs);
  let atMs: number;
  if (current + cost <= limit && previous > 0) {
    // Still in this window: wait until the previous window's weight has decayed enough.
    atMs = start + (1 - (limit - cost - current) / previous) * WINDOW_MS;
  } else {
    // Only in the next window, where this window's count becomes the decaying previous one.
    atMs = start + WINDOW_MS + (current > 0 ? Math.max(0, 1 - (limit - cost) / current) : 0) * WINDOW_MS;
  }
  return Math.max(1, Math.ceil((atMs - nowMs) / 1000));
}
