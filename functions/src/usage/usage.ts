/**
 * @module usage
 * What is recorded for each keyed request, how records of one flush fold into audit tallies, and how
 * tallies roll up into the usage report. A record names the key by its public id and the client only
 * by a keyed hash of its IP: never the raw IP, never the key.
 *
 * Why tallies: one audit document per request would cost a Firestore write for every read the cache
 * saves (a write costs three times a read), and a busy instance would spend a large part of its CPU
 * encoding them. Requests alike in everything an audit asks (key, route, status, client, day) within
 * one flush become one document with their count, first and last time and latencies.
 */

export const OUTCOMES = ["success", "denied", "rate_limited", "client_error", "server_error"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface UsageRecord {
  keyId: string;
  ownerId: string;
  route: string;
  status: number;
  latencyMs: number;
  outcome: Outcome;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  ipHash: string | null;
  at: Date;
}

/** Requests of one key alike in route, status, client and day, seen within one flush. */
export interface UsageTally {
  keyId: string;
  ownerId: string;
  route: string;
  status: number;
  outcome: Outcome;
  day: string;
  ipHash: string | null;
  count: number;
  firstAt: Date;
  lastAt: Date;
  latencyMsTotal: number;
  latencyMsMax: number;
}

/** The outcome a response status stands for. */
export function outcomeOf(status: number): Outcome {
  if (status < 400) return "success";
  if (status === 401 || status === 403) return "denied";
  if (status === 429) return "rate_limited";
  return status < 500 ? "client_error" : "server_error";
}

/** The UTC day of `at`. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Records folded into tallies as they come: requests alike in key, route, status, client and day share one. */
export class UsageTallies {
  private readonly byKey = new Map<string, UsageTally>();

  /** How many distinct tallies there are. */
  get size(): number {
    return this.byKey.size;
  }

  add(r: UsageRecord): void {
    const key = `${r.keyId}\n${r.route}\n${r.status}\n${r.ipHash ?? ""}\n${r.day}`;
    const tally = this.byKey.get(key);
    if (!tally) {
      const { keyId, ownerId, route, status, outcome, day, ipHash, at, latencyMs } = r;
      this.byKey.set(key, { keyId, ownerId, route, status, outcome, day, ipHash, count: 1, firstAt: at, lastAt: at, latencyMsTotal: latencyMs, latencyMsMax: latencyMs });
      return;
    }
    tally.count += 1;
    if (r.at < tally.firstAt) tally.firstAt = r.at;
    if (r.at > tally.lastAt) tally.lastAt = r.at;
    tally.latencyMsTotal += r.latencyMs;
    tally.latencyMsMax = Math.max(tally.latencyMsMax, r.latencyMs);
  }

  values(): UsageTally[] {
    return [...this.byKey.values()];
  }
}

/** One key's requests on one day, by outcome. */
export interface DailyUsage {
  day: string;
  total: number;
  byOutcome: Record<Outcome, number>;
}

/** Totals of `tallies` per key and day (used to build increments of the daily rollups). */
export function rollUp(tallies: readonly UsageTally[]): Map<string, DailyUsage & { keyId: string; ownerId: string; lastUsedAt: Date }> {
  const days = new Map<string, DailyUsage & { keyId: string; ownerId: string; lastUsedAt: Date }>();
  for (const tally of tallies) {
    const id = `${tally.keyId}_${tally.day}`;
    const entry = days.get(id) ?? {
      keyId: tally.keyId,
      ownerId: tally.ownerId,
      day: tally.day,
      total: 0,
      byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>,
      lastUsedAt: tally.lastAt,
    };
    entry.total += tally.count;
    entry.byOutcome[tally.outcome] += tally.count;
    if (tally.lastAt > entry.lastUsedAt) entry.lastUsedAt = tally.lastAt;
    days.set(id, entry);
  }
  return days;
}
