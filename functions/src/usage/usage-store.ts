/**
 * @module usage-store
 * Usage of API keys: the audit trail in `api_key_usage`, one document per tally (requests of one key
 * alike in route, status, client and day within one flush; `usage/usage.ts`), removed after its
 * retention by a TTL policy; and rollups per key and day in `api_key_usage_daily`, which the usage
 * route reads and sums. Both are written in one batch, once a second per instance.
 *
 * A key served by many instances would make its day's rollup one hot document (one increment per
 * instance a second); so each instance writes its own rollup of the day (`{keyId}_{day}_{instanceId}`):
 * one write a second per document however many instances serve the key. The report then sums the
 * day's documents. Reading them costs one read each, which grows with the instances that served the
 * key; past `2 × days` documents in the range (one `count()`, one read) the report sums each day with
 * one `sum()` aggregation instead, so it costs at most `2 × days + 1` reads whatever the traffic (an aggregation bills one
 * read per 1,000 documents it sums).
 */
import { AggregateField, FieldValue, Timestamp, type Firestore, type Query } from "firebase-admin/firestore";
import { DAY_MS, expiresAfterRetention } from "../retention/retention";
import { OUTCOMES, rollUp, type DailyUsage, type UsageTally } from "./usage";
import { INSTANCE_ID } from "../config/params";
import { COLLECTIONS } from "../documents/collections";

/** Firestore allows 500 writes per batch; each tally may add one rollup write. */
const TALLIES_PER_BATCH = 200;

export interface KeyUsageReport {
  days: DailyUsage[];
  lastUsedAt: Date | null;
}

export interface UsageStore {
  append(tallies: readonly UsageTally[]): Promise<void>;
  /** The key's daily rollups for the last `days` days, newest first. */
  report(keyId: string, days: number, now: Date): Promise<KeyUsageReport>;
}

export function firestoreUsageStore(db: Firestore, instanceId = INSTANCE_ID): UsageStore {
  const log = db.collection(COLLECTIONS.apiKeyUsage);
  const daily = db.collection(COLLECTIONS.apiKeyUsageDaily);
  return {
    async append(tallies) {
      for (let i = 0; i < tallies.length; i += TALLIES_PER_BATCH) {
        const chunk = tallies.slice(i, i + TALLIES_PER_BATCH);
        const batch = db.batch();
        for (const tally of chunk) {
          const { firstAt, lastAt } = tally;
          batch.create(log.doc(), { ...tally, firstAt: Timestamp.fromDate(firstAt), lastAt: Timestamp.fromDate(lastAt), expireAt: Timestamp.fromDate(expiresAfterRetention(lastAt.getTime())) });
        }
        for (const [id, day] of rollUp(chunk)) {
          // Every outcome is written, zeros too, so that each `sum()` of the report meets the field.
          const increments = Object.fromEntries(OUTCOMES.map((o) => [o, FieldValue.increment(day.byOutcome[o])]));
          batch.set(
            daily.doc(`${id}_${instanceId}`),
            {
              keyId: day.keyId,
              ownerId: day.ownerId,
              day: day.day,
              total: FieldValue.increment(day.total),
              byOutcome: increments,
              lastUsedAt: FieldValue.serverTimestamp(),
              expireAt: Timestamp.fromDate(expiresAfterRetention(Date.parse(day.day) + DAY_MS)),
            },
            { merge: true },
          );
        }
        await batch.commit();
      }
    },
    async report(keyId, days, now) {
      const dayList = Array.from({ length: days }, (_, i) => new Date(now.getTime() - i * DAY_MS).toISOString().slice(0, 10));
      const inRange = daily.where("keyId", "==", keyId).where("day", ">=", dayList[dayList.length - 1]);
      const stored = (await inRange.count().get()).data().count;
      return stored <= 2 * days ? sumDocuments(inRange) : sumAggregations(daily.where("keyId", "==", keyId), dayList);
    },
  };
}

const emptyDay = (day: string): DailyUsage => ({ day, total: 0, byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as DailyUsage["byOutcome"] });

/** Reads the range's rollups and adds up each day's (newest day first). */
async function sumDocuments(inRange: Query): Promise<KeyUsageReport> {
  const snap = await inRange.orderBy("day", "desc").get();
  let lastUsedAt: Date | null = null;
  const byDay = new Map<string, DailyUsage>();
  for (const doc of snap.docs) {
    const d = doc.data();
    const used = d.lastUsedAt instanceof Timestamp ? d.lastUsedAt.toDate() : null;
    if (used && (!lastUsedAt || used > lastUsedAt)) lastUsedAt = used;
    const day = String(d.day);
    const row = byDay.get(day) ?? emptyDay(day);
    row.total += Number(d.total ?? 0);
    for (const o of OUTCOMES) row.byOutcome[o] += Number(d.byOutcome?.[o] ?? 0);
    byDay.set(day, row);
  }
  return { days: [...byDay.values()], lastUsedAt };
}

/** One aggregation per day (five sums: the outcomes, whose total is the day's) and the latest use. */
async function sumAggregations(ofKey: Query, dayList: readonly string[]): Promise<KeyUsageReport> {
  const sums = Object.fromEntries(OUTCOMES.map((o) => [o, AggregateField.sum(`byOutcome.${o}`)]));
  const [rows, latest] = await Promise.all([
    Promise.all(
      dayList.map(async (day) => {
        const totals = (await ofKey.where("day", "==", day).aggregate(sums).get()).data();
        const row = emptyDay(day);
        for (const o of OUTCOMES) row.byOutcome[o] = Number(totals[o] ?? 0);
        row.total = OUTCOMES.reduce((sum, o) => sum + row.byOutcome[o], 0);
        return row;
      }),
    ),
    ofKey.orderBy("lastUsedAt", "desc").limit(1).select("lastUsedAt").get(),
  ]);
  const used = latest.docs[0]?.get("lastUsedAt");
  return { days: rows.filter((row) => row.total > 0), lastUsedAt: used instanceof Timestamp ? used.toDate() : null };
}
