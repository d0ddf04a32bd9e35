/**
 * @module usage-store
 * Usage of API keys: the audit trail in `api_key_usage`, one document per tally (requests of one key
 * alike in route, status, client and day within one flush; `domain/usage.ts`), removed after its
 * retention by a TTL policy; and rollups per key and day in `api_key_usage_daily`, which the usage
 * route reads and sums. Both are written in one batch, once a second per instance.
 *
 * A key served by many instances would make its day's rollup one hot document (one increment per
 * instance a second); so each instance writes to one of `DAILY_SHARDS` rollups of the day, picked
 * at random when it starts: a document takes about instances / 8 writes a second, and a month's report
 * reads at most 8 documents a day (fewer for a key that few instances serve).
 */
import { randomInt } from "node:crypto";
import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { OUTCOMES, rollUp, type DailyUsage, type UsageTally } from "../domain/usage";
import { COLLECTIONS } from "./collections";

export const USAGE_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
/** Firestore allows 500 writes per batch; each tally may add one rollup write. */
const TALLIES_PER_BATCH = 200;
export const DAILY_SHARDS = 8;

export interface KeyUsageReport {
  days: DailyUsage[];
  lastUsedAt: Date | null;
}

export interface UsageStore {
  append(tallies: readonly UsageTally[]): Promise<void>;
  /** The key's daily rollups for the last `days` days, newest first. */
  report(keyId: string, days: number, now: Date): Promise<KeyUsageReport>;
}

export function firestoreUsageStore(db: Firestore, shard = randomInt(DAILY_SHARDS)): UsageStore {
  const log = db.collection(COLLECTIONS.apiKeyUsage);
  const daily = db.collection(COLLECTIONS.apiKeyUsageDaily);
  return {
    async append(tallies) {
      for (let i = 0; i < tallies.length; i += TALLIES_PER_BATCH) {
        const chunk = tallies.slice(i, i + TALLIES_PER_BATCH);
        const batch = db.batch();
        for (const tally of chunk) {
          const { firstAt, lastAt } = tally;
          batch.create(log.doc(), { ...tally, firstAt: Timestamp.fromDate(firstAt), lastAt: Timestamp.fromDate(lastAt), expireAt: Timestamp.fromMillis(lastAt.getTime() + USAGE_RETENTION_DAYS * DAY_MS) });
        }
        for (const [id, day] of rollUp(chunk)) {
          const increments = Object.fromEntries(OUTCOMES.filter((o) => day.byOutcome[o] > 0).map((o) => [o, FieldValue.increment(day.byOutcome[o])]));
          batch.set(
            daily.doc(`${id}_${shard}`),
            {
              keyId: day.keyId,
              ownerId: day.ownerId,
              day: day.day,
              total: FieldValue.increment(day.total),
              byOutcome: increments,
              lastUsedAt: FieldValue.serverTimestamp(),
              expireAt: Timestamp.fromMillis(Date.parse(day.day) + (USAGE_RETENTION_DAYS + 1) * DAY_MS),
            },
            { merge: true },
          );
        }
        await batch.commit();
      }
    },
    async report(keyId, days, now) {
      const since = new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
      const snap = await daily.where("keyId", "==", keyId).where("day", ">=", since).orderBy("day", "desc").get();
      let lastUsedAt: Date | null = null;
      // The shards of one day add up to that day (ordered newest first by the query).
      const byDay = new Map<string, DailyUsage>();
      for (const doc of snap.docs) {
        const d = doc.data();
        const used = d.lastUsedAt instanceof Timestamp ? d.lastUsedAt.toDate() : null;
        if (used && (!lastUsedAt || used > lastUsedAt)) lastUsedAt = used;
        const day = String(d.day);
        const row = byDay.get(day) ?? { day, total: 0, byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as DailyUsage["byOutcome"] };
        row.total += Number(d.total ?? 0);
        for (const o of OUTCOMES) row.byOutcome[o] += Number(d.byOutcome?.[o] ?? 0);
        byDay.set(day, row);
      }
      const rows = [...byDay.values()];
      return { days: rows, lastUsedAt };
    },
  };
}
