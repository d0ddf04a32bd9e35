/**
 * @module series-format
 * Which form a series read answers in: `format=csv` or `format=json` in the query decides; otherwise
 * the `Accept` header, where `text/csv` wins only when the client ranks it above JSON (a browser's
 * `*\/*` and a plain API client get JSON, the default).
 */
export type SeriesFormat = "json" | "csv";

/** The quality (`q`) the header gives `type`, by its most specific matching range; 0 when none matches. */
function qualityOf(accept: string, type: string): number {
  const [major] = type.split("/");
  let best = { specificity: -1, q: 0 };
  for (const part of accept.split(",")) {
    const [range, ...params] = part.trim().toLowerCase().split(";").map((s) => s.trim());
    const specificity = range === type ? 2 : range === `${major}/*` ? 1 : range === "*/*" ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    best = { specificity, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0 };
  }
  return best.q;
}

export function seriesFormatOf(format: SeriesFormat | undefined, accept: string | undefined): SeriesFormat {
  if (format) return format;
  if (!accept) return "json";
  return qualityOf(accept, "text/csv") > qualityOf(accept, "application/json") ? "csv" : "json";
}
