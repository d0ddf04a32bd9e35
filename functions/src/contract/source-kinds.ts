/**
 * @module source-kinds
 * The closed lists of a context source's `type` and `status`: the schema validates against them, the
 * view counts by them, and the browser's upload form offers them.
 */
export const SOURCE_TYPES = ["pdf", "docx", "text", "url", "csv", "other"] as const;
export const SOURCE_STATUSES = ["processing", "ready", "failed"] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
export type SourceStatus = (typeof SOURCE_STATUSES)[number];
