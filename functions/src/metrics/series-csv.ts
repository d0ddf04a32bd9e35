/**
 * @module series-csv
 * A series' points as CSV (RFC 4180): a header row of the point's field names, one row per point,
 * CRLF line ends, `start` as ISO 8601 and numbers as JSON writes them, so a spreadsheet reads back the
 * numbers the JSON answer holds. `byModel` (daily points only, a map) has no column: a model split is
 * a table of its own, which the JSON answer carries.
 */
import { SERIES_CSV_COLUMNS, type SeriesPoint } from "../contract/schemas/series";

/** The media type of the answer, with RFC 4180's optional `header` parameter. */
export const CSV_MEDIA_TYPE = "text/csv; charset=utf-8; header=present";

/** A field as RFC 4180 writes it: quoted only when it holds a comma, a quote or a line break. */
function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV text of `points`, header row first, each line ended by CRLF. */
export function seriesCsv(points: readonly SeriesPoint[]): string {
  const rows = [SERIES_CSV_COLUMNS.map(field), ...points.map((p) => SERIES_CSV_COLUMNS.map((column) => field(p[column])))];
  return rows.map((row) => `${row.join(",")}\r\n`).join("");
}
