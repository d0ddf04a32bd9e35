/**
 * @module usage
 * What is recorded for each keyed request, and how records roll up into the usage report. A record
 * names the key by its public id and the client only by a keyed hash of its IP: never the raw IP,
 * never the key.
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

/** One key's requests on one day, by outcome. */
export interface DailyUsage {
  day: string;
  total: number;
  byOutcome: Record<Outcome, number>;
}

/** Totals of `records` per day (used to build increments of the daily rollups). */
export function rollUp(records: readonly UsageRecord[]): Map<string, DailyUsage & { keyId: string; ownerId: string; lastUsedAt: Date }> {
  const days = new Map<string, DailyUsage & { keyId: string; ownerId: string; lastUsedAt: Date }>();
  for (const record of records) {
    const id = `${record.keyId}_${record.day}`;
    const entry = days.get(id) ?? {
      keyId: record.keyId,
      ownerId: record.ownerId,
      day: record.day,
      total: 0,
      byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>,
      lastUsedAt: record.at,
    };
    entry.total += 1;
    entry.byOutcome[record.outcome] += 1;
    if (record.at > entry.lastUsedAt) entry.lastUsedAt = record.at;
    days.set(id, entry);
  }
  return days;
}
