/**
 * @module document-bounds
 * The bounds of every field an app may write to `agent_interactions` and `context_sources`, in one
 * place. The zod schemas the functions parse documents and ingest items with are built from these
 * numbers, and so is the block of `firestore.rules` that validates client writes
 * (`scripts/firestore-rules.ts` writes it; a unit test fails when the file is not current). A document
 * the rules admit therefore always parses, and is counted: the rules can never admit what a view drops.
 *
 * The token and size bounds sit far past any real model call or document but low enough that the
 * sums of many stay exact in a double.
 */

/** A document id (agent, user, organization, source): 1 to 128 UTF-16 units, as both zod and the rules count them. */
export const ID_MAX_LENGTH = 128;
/** Characters an id may not hold: a slash (a path separator) and control characters. */
export const ID_FORBIDDEN_CHARACTERS = "/\\x00-\\x1f\\x7f";
/** A model name: free text, bounded so a hostile name cannot bloat a view. */
export const MODEL_MAX_LENGTH = 128;

/** Tokens of one model call, of each kind. */
export const MAX_TOKENS_PER_INTERACTION = 1_000_000_000;
/** The latency of one model call: a day. */
export const MAX_LATENCY_MS = 86_400_000;
/** The furthest in the future an interaction may claim to have happened (clock skew allowance). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** One context source: 1 TiB. */
export const MAX_SOURCE_BYTES = 2 ** 40;
/** One context source: ten billion tokens. */
export const MAX_SOURCE_TOKENS = 10_000_000_000;

/**
 * The range of a Firestore Timestamp (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z): a time
 * outside it cannot be stored, so an ingest item naming one is refused with its reason.
 */
export const EARLIEST_TIME_MS = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z (Date.UTC maps years 0-99 to 19xx)
export const LATEST_TIME_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** Whether `ms` is a time Firestore can store. */
export const isStorableTime = (ms: number): boolean => ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS;
