/**
 * @module service
 * The answers about the service itself: health, the session cookie, and an instance's cache figures.
 */
import { z } from "zod";

const instant = z.iso.datetime();

export const healthReport = z
  .strictObject({
    status: z.enum(["ok", "unavailable"]),
    time: instant,
    revision: z.string().meta({ description: "The deployed revision (Cloud Run's `K_REVISION`), or `unknown`." }),
    node: z.string().meta({ description: "`process.version` of the instance, e.g. `v22.23.3`." }),
    firestore: z.strictObject({ ok: z.boolean(), checkedAt: instant, latencyMs: z.number().nonnegative() }),
  })
  .meta({ id: "HealthReport" });
export type HealthReport = z.infer<typeof healthReport>;

export const sessionCreated = z.strictObject({ uid: z.string(), expiresAt: instant }).meta({ id: "Session" });
export type SessionCreated = z.infer<typeof sessionCreated>;

export const layerStats = z
  .strictObject({
    hits: z.number().int().nonnegative(),
    misses: z.number().int().nonnegative(),
    staleServes: z.number().int().nonnegative(),
    evictions: z.number().int().nonnegative(),
    loadFailures: z.number().int().nonnegative(),
    entries: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    hitRate: z.number().min(0).max(1),
  })
  .meta({ id: "CacheLayerStats" });
export type LayerStats = z.infer<typeof layerStats>;

export const cacheStats = z
  .strictObject({ instanceId: z.string(), startedAt: instant, at: instant, layers: z.record(z.string(), layerStats) })
  .meta({ id: "CacheStats", description: "The figures of the instance that answered (operators only)." });
export type CacheStats = z.infer<typeof cacheStats>;
