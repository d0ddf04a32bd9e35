/**
 * @module format-value
 * How numbers and times from a metrics view read on the page. Missing values show as a dash rather
 * than "undefined", since a server may not fill every field yet.
 */

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];

/**
 * Bytes in binary units with at most one decimal.
 * @example formatBytes(1536) // "1.5 KB"
 */
export function formatBytes(bytes: unknown): string {
  if (typeof bytes !== "number" || !Number.isFinite(bytes)) return "—";
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1).replace(/\.0$/, "")} ${BYTE_UNITS[unit]}`;
}

/**
 * A count with thousands separators, a dash when missing.
 * @example formatNumber(12345) // "12,345" in an English locale
 */
export function formatNumber(value: unknown, maximumFractionDigits = 2): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toLocaleString(undefined, { maximumFractionDigits }) : "—";
}

/**
 * A USD amount, by default to the micro-dollar, the precision the server keeps costs at.
 * @example formatUsd(0.0123) // "$0.0123"
 */
export function formatUsd(value: unknown, maximumFractionDigits = 6): string {
  const amount = formatNumber(value, maximumFractionDigits);
  return amount === "—" ? amount : `$${amount}`;
}

/**
 * An ISO time in the reader's locale; text that is not a time is shown as it is.
 * @example formatTime("2025-01-01T00:00:00.000Z") // "1/1/2025, 1:00:00 AM" in en-US, Paris time
 */
export function formatTime(iso: unknown): string {
  if (typeof iso !== "string") return "—";
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString();
}
