/**
 * @module same-origin
 * Whether a browser request comes from a page of this site, for the requests a browser could be
 * tricked into sending with the user's cookie (a cross-site form post or `fetch` with credentials).
 *
 * The page's origin is not the request's `Host` behind Firebase Hosting: Hosting forwards `/api/**` to
 * the function's own host and says which host the browser asked for in `X-Forwarded-Host` (its
 * emulator does the same). So an `Origin` is same-site when its host is the request's `Host`, the
 * first `X-Forwarded-Host` entry, or one of the configured origins (`ALLOWED_ORIGINS`, for a page
 * served from another domain). A browser cannot add `X-Forwarded-Host` to a cross-site request without a
 * CORS preflight, which this API never grants, so a forged one helps only non-browser callers, who
 * hold the cookie anyway. `Sec-Fetch-Site: cross-site` (sent by every current browser) is refused
 * whatever the other headers say. A request without `Origin` is not a browser's cross-site write
 * (browsers send it on every POST and DELETE) and passes.
 */

export interface OriginHeaders {
  origin: string | undefined;
  host: string | undefined;
  forwardedHost: string | undefined;
  fetchSite: string | undefined;
}

const firstEntry = (value: string | undefined) => value?.split(",")[0]?.trim().toLowerCase() || undefined;

/** True when the headers show a browser request sent by a page of another site. */
export function isCrossSite(headers: OriginHeaders, allowedOrigins: readonly string[] = []): boolean {
  if (headers.fetchSite?.trim().toLowerCase() === "cross-site") return true;
  if (!headers.origin) return false;
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return true; // "null" (sandboxed frames, some redirects) and anything unparsable
  }
  if (allowedOrigins.includes(origin.origin)) return false;
  const host = origin.host.toLowerCase();
  return host !== firstEntry(headers.host) && host !== firstEntry(headers.forwardedHost);
}

/** `ALLOWED_ORIGINS` (comma-separated origins such as `https://metrics.example.com`) as a list of origins. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .flatMap((entry) => {
      try {
        return [new URL(entry).origin];
      } catch {
        return [];
      }
    });
}
