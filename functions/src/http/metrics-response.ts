/**
 * @module metrics-response
 * How every metrics read answers: the view, its signature, and where it came from, with a strong
 * ETag derived from the signature (which changes with every revision) so `If-None-Match` gives 304.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { SealedView } from "../domain/metrics-view";

export type CacheLayer = "edge" | "store" | "computed";

/** Seconds a client may reuse a response, and may keep serving it while revalidating. */
export const CLIENT_MAX_AGE_SECONDS = 5;
export const CLIENT_STALE_WHILE_REVALIDATE_SECONDS = 30;

/** The strong validator of one sealed revision. */
export function etagOf(sealed: SealedView): string {
  return `"${createHash("sha256").update(sealed.signature.value).digest("base64url").slice(0, 27)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*");
}

/** The body a metrics read returns, also used per id by batch reads. */
export function metricsBody(sealed: SealedView, layer: CacheLayer, now: Date) {
  const ageMs = Math.max(0, now.getTime() - Date.parse(sealed.data.computedAt));
  return { data: sealed.data, signature: sealed.signature, meta: { cache: layer, ageMs, stale: false } };
}

/** Answers 200 with the view, or 304 when the client already holds this revision. */
export function respondWithView(c: Context, sealed: SealedView, layer: CacheLayer, now: Date) {
  const etag = etagOf(sealed);
  c.header("ETag", etag);
  c.header("Cache-Control", `private, max-age=${CLIENT_MAX_AGE_SECONDS}, stale-while-revalidate=${CLIENT_STALE_WHILE_REVALIDATE_SECONDS}`);
  c.header("Vary", "Authorization, Cookie, X-API-Key");
  if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  return c.json(metricsBody(sealed, layer, now));
}
