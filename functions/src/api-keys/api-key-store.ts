/**
 * @module api-key-store
 * API keys in Firestore, stored under their keyed hash as document id: verifying a key is one
 * document read, and the collection never holds anything that could be turned back into a key.
 */
import { createHash } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { ApiKeyRecord } from "./api-key-policy";
import type { ListPosition } from "./page-token";
import type { Permission } from "../contract/permissions";
import { COLLECTIONS } from "../documents/collections";

/** One page of a listing, and where the next one starts (null when this was the last). */
export interface ApiKeyPage {
  records: ApiKeyRecord[];
  next: ListPosition | null;
}

export interface ApiKeyStore {
  /** The key stored under `hash`, or null. */
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  /**
   * Stores a new key under `hash` unless its owner already holds `maxActive` active keys (neither
   * revoked nor expired at `record.createdAt`); says which happened.
   */
  create(hash: string, record: ApiKeyRecord, maxActive: number): Promise<"created" | "limit-reached">;
  /** Up to `size` keys of `ownerId`, newest first (then by id), revoked ones included, after `after` when given. */
  listByOwner(ownerId: string, page: { size: number; after: ListPosition | null }): Promise<ApiKeyPage>;
  /** The key with public id `keyId` if `ownerId` owns it, with its hash; else null. */
  findOwned(ownerId: string, keyId: string): Promise<{ hash: string; record: ApiKeyRecord } | null>;
  /** Marks the key revoked at `at` (idempotent: a second revocation keeps the first time). */
  revoke(hash: string, at: Date): Promise<ApiKeyRecord>;
}

const toDate = (value: unknown): Date | null => (value instanceof Timestamp ? value.toDate() : null);

function toRecord(d: FirebaseFirestore.DocumentData): ApiKeyRecord {
  return {
    id: String(d.id),
    ownerId: String(d.ownerId),
    name: String(d.name),
    prefix: String(d.prefix),
    permissions: (d.permissions ?? []) as Permission[],
    createdAt: toDate(d.createdAt) ?? new Date(0),
    expiresAt: toDate(d.expiresAt),
    revokedAt: toDate(d.revokedAt),
    rateLimitPerMinute: Number(d.rateLimitPerMinute),
    // An unrestricted key has no field (as every key made before restrictions existed).
    ...(Array.isArray(d.agentIds) && { agentIds: d.agentIds.map(String) }),
  };
}

export function firestoreApiKeyStore(db: Firestore): ApiKeyStore {
  const keys = db.collection(COLLECTIONS.apiKeys);
  return {
    async findByHash(hash) {
      const d = (await keys.doc(hash).get()).data();
      return d ? toRecord(d) : null;
    },
    create(hash, record, maxActive) {
      // The owner's lock document is read and written by every creation of the owner's keys, so two
      // concurrent creations serialize (one retries and counts the other's key): the cap holds.
      const lock = db.collection(COLLECTIONS.apiKeyOwners).doc(createHash("sha256").update(record.ownerId).digest("base64url"));
      const unrevoked = keys.where("ownerId", "==", record.ownerId).where("revokedAt", "==", null);
      const at = Timestamp.fromDate(record.createdAt);
      return db.runTransaction(async (tx) => {
        await tx.get(lock);
        // Two aggregations, about one read each: keys that never expire, and keys not yet expired.
        const [forever, current] = await Promise.all([tx.get(unrevoked.where("expiresAt", "==", null).count()), tx.get(unrevoked.where("expiresAt", ">", at).count())]);
        if (forever.data().count + current.data().count >= maxActive) return "limit-reached";
        tx.set(lock, { lastCreatedAt: at });
        tx.create(keys.doc(hash), {
          ...record,
          createdAt: at,
          expiresAt: record.expiresAt ? Timestamp.fromDate(record.expiresAt) : null,
          revokedAt: null,
        });
        return "created";
      });
    },
    async listByOwner(ownerId, { size, after }) {
      // One more than the page holds says whether another page follows. The public id breaks ties of
      // createdAt (firestore.indexes.json has this order), so a position names exactly one key.
      let query = keys.where("ownerId", "==", ownerId).orderBy("createdAt", "desc").orderBy("id", "desc");
      if (after) query = query.startAfter(Timestamp.fromDate(after.createdAt), after.id);
      const snap = await query.limit(size + 1).get();
      const records = snap.docs.slice(0, size).map((doc) => toRecord(doc.data()));
      const last = records[records.length - 1];
      return { records, next: snap.size > size && last ? { createdAt: last.createdAt, id: last.id } : null };
    },
    async findOwned(ownerId, keyId) {
      const snap = await keys.where("ownerId", "==", ownerId).where("id", "==", keyId).limit(1).get();
      const doc = snap.docs[0];
      return doc ? { hash: doc.id, record: toRecord(doc.data()) } : null;
    },
    revoke(hash, at) {
      return db.runTransaction(async (tx) => {
        const ref = keys.doc(hash);
        const record = toRecord((await tx.get(ref)).data() ?? {});
        if (record.revokedAt) return record;
        tx.update(ref, { revokedAt: Timestamp.fromDate(at) });
        return { ...record, revokedAt: at };
      });
    },
  };
}
