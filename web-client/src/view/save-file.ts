/**
 * @module save-file
 * Hands text to the browser as a file download: a Blob behind an object URL and a link with
 * `download`, clicked once. No inline script or style is involved, so the page's CSP allows it, and
 * the URL is revoked a minute later, long after the browser has read the Blob.
 */
import type { SeriesData, SeriesGranularity } from "metrics-functions/contract";

/** Which series a file holds: its scope, id, grain and `[from, to)` as the API answered them. */
export type SeriesRange = Pick<SeriesData, "scope" | "id" | "granularity" | "from" | "to">;

/** A time for a file name: ISO without colons or seconds (Windows forbids `:`), days as dates. */
function stamp(iso: string, granularity: SeriesGranularity): string {
  const time = new Date(iso).toISOString();
  return granularity === "day" ? time.slice(0, 10) : `${time.slice(0, 13)}${time.slice(14, 16)}Z`;
}

/**
 * The name a series download is saved under; characters a file system may refuse become "_".
 * @example csvFileName({ scope: "agent", id: "support-bot", granularity: "hour", from: "2026-01-01T10:00:00.000Z", to: "2026-01-02T10:00:00.000Z" })
 * // "agent-support-bot_hourly_2026-01-01T1000Z_2026-01-02T1000Z.csv"
 */
export function csvFileName(range: SeriesRange): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, "_");
  const grain = range.granularity === "day" ? "daily" : "hourly";
  return `${safe(`${range.scope}-${range.id}`)}_${grain}_${stamp(range.from, range.granularity)}_${stamp(range.to, range.granularity)}.csv`;
}

/**
 * Saves `text` as a file called `name`.
 * @example saveTextFile(csv, "agent-bot_hourly_….csv", "text/csv");
 */
export function saveTextFile(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: a browser may still be reading the Blob when click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
