/**
 * @module requests
 * zod schemas of request bodies, queries and path parameters: the single definition that the routes
 * validate with, the TypeScript types and the OpenAPI document (and docs/API.md, generated from it)
 * all follow.
 */
import { z } from "zod";
import { MAX_BATCH_IDS } from "../limits";
import { PERMISSIONS } from "../permissions";
import { documentId } from "./ids";

export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  permissions: z
    .array(z.enum(PERMISSIONS, { error: (issue) => `unknown permission ${JSON.stringify(String(issue.input)).slice(0, 80)}` }))
    .min(1)
    .max(PERMISSIONS.length)
    .refine((list) => new Set(list).size === list.length, "permissions must not repeat"),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  agentIds: z
    .array(documentId)
    .min(1)
    .max(MAX_BATCH_IDS)
    .refine((list) => new Set(list).size === list.length, "agentIds must not repeat")
    .optional()
    .meta({ description: "Restricts the key to these agents: any other agent is refused with 403 on every route, and user and organization reads (which span other agents) are 403." }),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;
/** `POST /v1/api-keys` as a client writes it. */
export type CreateApiKeyRequest = z.input<typeof createApiKeyBody>;

/** Keys a page of `GET /v1/api-keys` holds when the request names no `pageSize` (or 0), and at most. */
const API_KEY_PAGE_SIZE = { default: 50, max: 100 } as const;

/**
 * The query of `GET /v1/api-keys`, as AIP-158 has it: `pageSize` 0 or absent is the default, above the
 * maximum is the maximum, negative or not a whole number is refused; `pageToken` continues a listing.
 */
export const listApiKeysQuery = z.object({
  pageSize: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .transform((size) => (size === 0 ? API_KEY_PAGE_SIZE.default : Math.min(size, API_KEY_PAGE_SIZE.max))),
  pageToken: z.string().max(512).optional(),
});

export const agentPath = z.object({ agentId: documentId });
export const userPath = z.object({ uid: documentId });
export const orgPath = z.object({ orgId: documentId });
export const keyPath = z.object({ keyId: z.string().regex(/^key_[0-9A-Za-z]{16}$/, "is not an API key id") });

/** The query of `GET /v1/api-keys/{keyId}/usage`: how many days back, 1 to 30 (30 by default). */
export const usageQuery = z.object({ days: z.coerce.number().int().min(1).max(30).default(30) });

/** `POST /v1/session`: a Firebase ID token to exchange for the `__session` cookie. */
export const createSessionBody = z.strictObject({ idToken: z.string().min(1).max(8192) });

/** `POST /v1/agents/metrics:batchGet`: 1 to 100 agent ids; a repeated id is answered once. */
export const batchGetBody = z.strictObject({
  agentIds: z.array(documentId).min(1).max(MAX_BATCH_IDS),
});

/** The query of a series read: `granularity` (hour by default) and an optional ISO 8601 `from` and `to`. */
export const seriesQuery = z.strictObject({
  granularity: z.enum(["hour", "day"]).default("hour"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(["json", "csv"]).optional().meta({ description: "`csv` answers the points as CSV (as `Accept: text/csv` does); JSON is the default." }),
});
