/**
 * @module api-keys
 * What the key routes answer: the public view of a key (never its plaintext after creation, never
 * its hash), pages of the listing, and a key's daily use.
 */
import { z } from "zod";
import { PERMISSIONS } from "../permissions";
import { MAX_BATCH_IDS } from "../limits";

const instant = z.iso.datetime();

export const apiKeyView = z
  .strictObject({
    id: z.string().regex(/^key_[0-9A-Za-z]{16}$/).meta({ description: "The key's public id (not the stored hash)." }),
    prefix: z.string().meta({ description: "The first characters of the key, for recognizing it in a list." }),
    name: z.string(),
    permissions: z.array(z.enum(PERMISSIONS)),
    createdAt: instant,
    expiresAt: instant.nullable(),
    rateLimitPerMinute: z.number().int().positive(),
    agentIds: z
      .array(z.string())
      .min(1)
      .max(MAX_BATCH_IDS)
      .optional()
      .meta({ description: "Present when the key is restricted: the only agents it may touch (any other agent is 403, and so are user and organization reads)." }),
  })
  .meta({ id: "ApiKey" });
export type ApiKeyView = z.infer<typeof apiKeyView>;

export const createdApiKey = z
  .strictObject({ key: z.string().meta({ description: "The plaintext key, shown this once." }), apiKey: apiKeyView })
  .meta({ id: "CreatedApiKey" });
export type CreatedApiKey = z.infer<typeof createdApiKey>;

export const listedApiKey = apiKeyView
  .extend({ status: z.enum(["active", "revoked", "expired"]), revokedAt: instant.nullable() })
  .meta({ id: "ListedApiKey" });
export type ListedApiKey = z.infer<typeof listedApiKey>;

export const apiKeyPage = z
  .strictObject({
    apiKeys: z.array(listedApiKey).meta({ description: "Newest first." }),
    nextPageToken: z.string().optional().meta({ description: "Present while more keys follow: pass it as `pageToken`." }),
  })
  .meta({ id: "ApiKeyPage" });
export type ApiKeyPage = z.infer<typeof apiKeyPage>;

export const revokedApiKey = z.strictObject({ apiKey: listedApiKey }).meta({ id: "RevokedApiKey" });

export const dailyKeyUsage = z
  .strictObject({
    day: z.iso.date(),
    total: z.number().int().nonnegative(),
    byOutcome: z.record(z.string(), z.number().int().nonnegative()),
  })
  .meta({ id: "DailyKeyUsage" });
export type DailyKeyUsage = z.infer<typeof dailyKeyUsage>;

export const keyUsage = z
  .strictObject({ keyId: z.string(), days: z.array(dailyKeyUsage).meta({ description: "Newest day first; days without use are left out." }), lastUsedAt: instant.nullable() })
  .meta({ id: "KeyUsage" });
export type KeyUsage = z.infer<typeof keyUsage>;
