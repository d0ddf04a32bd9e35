/**
 * @module api-key-store
 * API keys in Firestore, stored under their keyed hash as document id: verifying a key is one
 * document read, and the collection never holds anything that could be turned back into a key.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { ApiKeyRecord } from "../domain/api-key-policy";
import type { Permission } from "../domain/permissions";
import { COLLECTIONS } from "./collections";

export interface ApiKeyStore {
  /** The key stored under `hash`, or null. */
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** Stores a new key under `hash`. */
  create(hash: string, record: ApiKeyRecord): Promise<void>;
}

const toDate = (value: unknown): Date | null => (value instanceof Timestamp ? value.toDate() : null);

export function firestoreApiKeyStore(db: Firestore): ApiKeyStore {
  const keys = db.collection(COLLECTIONS.apiKeys);
  return {
    async findByHash(hash) {
      const snap = await keys.doc(hash).get();
      const d = snap.data();
      if (!d) return null;
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
      };
    },
    async create(hash, record) {
      await keys.doc(hash).create({
        ...record,
        createdAt: Timestamp.fromDate(record.createdAt),
        expiresAt: record.expiresAt ? Timestamp.fromDate(record.expiresAt) : null,
        revokedAt: null,
      });
    },
  };
}
