/**
 * @module view-entry
 * What the edge keeps of one metrics view: the response body's `data` and `signature` already
 * serialized, its strong ETag, and for an agent view the agent's owner and organization stored beside
 * it (so an access check needs no other lookup). Keeping the JSON text rather than the parsed view makes a
 * hit a string concatenation (no serialization, no signature check) and keeps 10,000 agent views in a
 * few tens of megabytes. Entries are frozen and strings cannot be modified in place, so what passed
 * the signature check at load time is exactly what is served, without checking it again on each hit.
 */
import { createHash } from "node:crypto";
import { ENTRY_OVERHEAD_BYTES } from "../cache/cache-policy";
import type { AgentOwnership } from "../documents/source-documents";
import type { TokenTotals } from "../metrics/interaction-batch";
import type { SealedView } from "../metrics/metrics-view";

/** Where a view came from when it was loaded: its stored document, or a computation from source. */
export type ViewOrigin = "store" | "computed";

/** Where the served copy came from in this request (the contract's `meta.cache`). */
export type CacheLayer = "edge" | ViewOrigin;

export interface ViewEntry {
  scope: SealedView["data"]["scope"];
  id: string;
  etag: string;
  origin: ViewOrigin;
  /** `{"data":…,"signature":…` — the body without `meta` and without its closing brace. */
  payload: string;
  /** An agent view's owner and organization as stored beside it; null for rollups, or when unknown. */
  access: AgentOwnership | null;
  /** The view's token totals, which the ingestion route keeps within the safe-integer range. */
  tokens: TokenTotals;
}

export interface ViewMeta {
  cache: CacheLayer;
  ageMs: number;
  stale: boolean;
}

/** The strong validator of one sealed revision (the signature changes with every revision). */
function etagOf(sealed: SealedView): string {
  return `"${createHash("sha256").update(sealed.signature.value).digest("base64url").slice(0, 27)}"`;
}

/** The entry of a sealed view whose signature has been checked (or that this instance just signed). */
export function viewEntryOf(sealed: SealedView, origin: ViewOrigin, access: AgentOwnership | null = null): ViewEntry {
  const payload = JSON.stringify({ data: sealed.data, signature: sealed.signature }).slice(0, -1);
  const owned = access ? Object.freeze({ ownerId: access.ownerId, orgId: access.orgId }) : null;
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = sealed.data.interactions;
  const tokens = Object.freeze({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens });
  return Object.freeze({ scope: sealed.data.scope, id: sealed.data.id, etag: etagOf(sealed), origin, payload, access: owned, tokens });
}

/** The JSON body of a single read: `{ data, signature, meta }`. */
export function bodyOf(entry: ViewEntry, meta: ViewMeta): string {
  return `${entry.payload},"meta":${JSON.stringify(meta)}}`;
}

/** Approximate heap bytes of an entry (one byte per character of its JSON text plus fixed overhead). */
export function sizeOfEntry(entry: ViewEntry): number {
  const access = entry.access ? entry.access.ownerId.length + entry.access.orgId.length : 0;
  return entry.payload.length + entry.etag.length + entry.id.length + access + ENTRY_OVERHEAD_BYTES;
}
