/**
 * @module api-requests
 * zod schemas of request bodies and path parameters: the single definition that validation, the
 * TypeScript types and the API reference in docs/API.md all follow.
 */
import { z } from "zod";
import { PERMISSIONS } from "../domain/permissions";
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
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;

export const agentPath = z.object({ agentId: documentId });
