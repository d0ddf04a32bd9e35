/**
 * @module metrics-response
 * How every metrics read answers: the view's pre-serialized `data` and `signature`, and `meta` saying
 * where this copy came from and how old it is. The ETag is strong (one per signed revision) and is
 * compared before any body is built, so a matching `If-None-Match` costs a string comparison, on an
 * edge hit too. `Cache-Control` comes from the same policy as the edge cache, and a copy served from
 * memory carries `Age`, so a browser counts the time it already spent in the edge.
 */
import type { Context } from "hono";
import type { GetOptions, Served } from "../cache/edge-cache";
import { bodyOf, type ViewEntry, type ViewMeta } from "../serving/view-entry";
import { ageSecondsOf, cacheControlOf, requestsRevalidation, VIEW_POLICY } from "../cache/cache-policy";
import { requestHeader } from "./request-headers";

/** One view as this request serves it. */
export interface ServedView {
  entry: ViewEntry;
  meta: ViewMeta;
}

/** `meta` for a view read through the edge cache: "edge" when memory answered, else where it was loaded from. */
export function servedView(served: Served<ViewEntry>): ServedView {
  const cache = served.fromMemory ? "edge" : served.value.origin;
  return { entry: served.value, meta: { cache, ageMs: served.ageMs, stale: served.stale } };
}

/** How this request wants views read: `Cache-Control: no-cache` skips the copy held in memory. */
export const readOptionsOf = (c: Context): GetOptions => ({ revalidate: requestsRevalidation(requestHeader(c, "cache-control")) });

/** `meta` for a view this request just computed and signed. */
export const computedView = (entry: ViewEntry): ServedView => ({ entry, meta: { cache: "computed", ageMs: 0, stale: false } });

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*");
}

/** The body of one view (also the value of each id in a batch read). */
export const viewBody = (view: ServedView): string => bodyOf(view.entry, view.meta);

/** Another form of a view's data than the JSON answer (a series as CSV). */
export interface ViewRendering {
  contentType: string;
  render(entry: ViewEntry): string;
}

/**
 * Answers 200 with the view (as JSON, or in `rendering`), or 304 when the client already holds this
 * revision. Every form of a revision carries the revision's ETag, so a client revalidates a CSV download
 * as it does the JSON; `Vary: Accept` keeps shared caches from handing one form out for the other.
 */
export function respondWithView(c: Context, view: ServedView, rendering?: ViewRendering) {
  c.header("ETag", view.entry.etag);
  c.header("Cache-Control", cacheControlOf(VIEW_POLICY));
  c.header("Vary", "Authorization, Cookie, X-API-Key, Accept");
  if (view.meta.cache === "edge") {
    c.header("Age", String(ageSecondsOf(view.meta.ageMs)));
    c.set("storeRequests", 0); // answered from memory: nothing against the user's store budget
  }
  if (matches(requestHeader(c, "if-none-match"), view.entry.etag)) return c.body(null, 304);
  c.header("Content-Type", rendering ? rendering.contentType : "application/json; charset=UTF-8");
  return c.body(rendering ? rendering.render(view.entry) : viewBody(view), 200);
}
