/**
 * @module logs
 * Every structured log event the functions write, one named function each: its name, its level and
 * its fields are decided here and nowhere else, so an operator's alert or a log-based metric can
 * rely on them (and a test can find them by name). Fields never hold a secret, a key or an error's
 * message from a client; errors are logged by name unless the text is the server's own.
 */
import type { Logger } from "./logger";
import type { Scope } from "../contract/schemas/metrics";

type ChangeKind = "source" | "interaction";

/** An error as a log field: its class name (a store's message may quote what a client sent). */
const errorName = (error: unknown): string => (error instanceof Error ? error.name : String(error));
/** An error's text, for failures of the server's own work (folds, reconcile steps). */
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// Views and their caches
export const viewSignatureInvalid = (log: Logger, f: { scope: Scope; id: string; keyId: string | null }) => log.warn("view.signature-invalid", f);
export const viewRevisionRegressed = (log: Logger, f: { scope: Scope; id: string; version: number; seen: number | null }) => log.warn("view.revision-regressed", f);
export const viewLayoutOutdated = (log: Logger, f: { scope: Scope; id: string; version: number }) => log.info("view.layout-outdated", f);
export const viewAccessUnverified = (log: Logger, f: { id: string; keyId: string | null }) => log.warn("view.access-unverified", f);
export const viewRefreshed = (log: Logger, f: { scope: Scope; id: string; version: number }) => log.info("view.refreshed", f);
export const viewRefreshRecent = (log: Logger, f: { id: string; recomputedAt: string }) => log.info("view.refresh-recent", f);
export const edgeLoadFailed = (log: Logger, key: string, error: unknown) => log.warn("edge.load-failed", { key, error: errorName(error) });
export const directoryLoadFailed = (log: Logger, path: string, error: unknown) => log.warn("directory.load-failed", { path, error: errorName(error) });
export const accessLoadFailed = (log: Logger, error: unknown) => log.warn("access.load-failed", { error: errorName(error) });
export const cacheStats = (log: Logger, snapshot: Record<string, unknown>) => log.info("cache.stats", { ...snapshot });

// Triggers and folds
export const documentInvalid = (log: Logger, kind: ChangeKind, f: { docId: string; side: "before" | "after"; issues: unknown }) => log.warn(`${kind}.invalid`, f);
export const documentRecorded = (log: Logger, kind: ChangeKind, f: { eventId: string; docId: string; outcome: string }) => log.info(`${kind}.recorded`, f);
export const agentDeleted = (log: Logger, agentId: string) => log.info("agent.deleted", { agentId });
export const agentMoved = (log: Logger, f: { agentId: string; from: unknown; to: unknown }) => log.info("agent.moved", f);
export const pricingChanged = (log: Logger, models: readonly string[], agents: number) => log.info("pricing.changed", { models: models.slice(0, 50), modelCount: models.length, agents });
export const pricingInvalid = (log: Logger, issues: number) => log.warn("pricing.invalid", { issues });
export const foldInvalidTask = (log: Logger, issues: number) => log.warn("fold.invalid-task", { issues });
/** `extremesBounded`: a search for the latest or largest value stopped at its read bound (documents that do not parse sort first). */
export const foldDone = (log: Logger, f: { agentId: string; outcome: string; reason: string | null; applied: number; settled: number; moved: boolean; extremesBounded: boolean }) =>
  f.extremesBounded ? log.warn("fold.done", f) : log.info("fold.done", f);
export const foldFailed = (log: Logger, agentId: string, stage: string, error: unknown) => log.warn("fold.failed", { agentId, stage, error: errorText(error) });

// The HTTP API
export const interactionsPartlyStored = (log: Logger, f: { agentId: string; stored: number; of: number; error: unknown }) =>
  log.warn("interactions.partly-stored", { ...f, error: errorText(f.error) });
export const interactionsIngested = (log: Logger, f: { agentId: string; accepted: number; duplicates: number; rejected: number }) => log.info("interactions.ingested", f);
export const apiKeyCreated = (log: Logger, f: { keyId: string; ownerId: string; permissions: readonly string[] }) => log.info("api-key.created", f);
export const apiKeyRevoked = (log: Logger, f: { keyId: string; ownerId: string }) => log.info("api-key.revoked", f);
export const apiKeyRefused = (log: Logger, f: { reason: string | null; keyId: string | null }) => log.warn("api-key.refused", f);
export const apiKeyOlderPepper = (log: Logger, f: { keyId: string; pepperVersion: string }) => log.info("api-key.older-pepper", f);
export const sessionRevoked = (log: Logger, uid: string) => log.info("session.revoked", { uid });
export const deadlineExceeded = (log: Logger, path: string, deadlineMs: number) => log.warn("api.deadline-exceeded", { path, deadlineMs });
export const backendUnavailable = (log: Logger, path: string, grpcCode: unknown) => log.warn("api.backend-unavailable", { path, grpcCode });
export const unhandled = (log: Logger, path: string, error: unknown) =>
  log.error("api.unhandled", { path, error: error instanceof Error ? error.name : typeof error, message: error instanceof Error ? error.message : undefined, grpcCode: (error as { code?: unknown })?.code ?? null });
export const healthStoreUnavailable = (log: Logger, error: unknown) => log.warn("health.store-unavailable", { error: error instanceof Error ? error.name : typeof error });
export const rateLimitSyncFailed = (log: Logger, error: unknown) => log.warn("rate-limit.sync-failed", { error: errorName(error) });
export const usageWriteFailed = (log: Logger, error: unknown, dropped: number) => log.warn("usage.write-failed", { error: errorName(error), dropped });

// The hourly reconcile
export const reconcileFailed = (log: Logger, f: { step: string; id: string | null; error: unknown }) => log.error("reconcile.failed", { step: f.step, id: f.id, error: errorText(f.error) });
export const reconcileFinished = (log: Logger, report: Record<string, unknown>) => log.info("reconcile.finished", { ...report });
export const reconcileOwnerUpdated = (log: Logger, agentId: string) => log.warn("reconcile.owner-updated", { agentId });
export const reconcileRepaired = (log: Logger, f: { agentId: string; cause: "signature" | "behind" | "drift"; fields?: unknown }) => log.warn("reconcile.repaired", f);
export const reconcileAuditUnexplained = (log: Logger, f: { agentId: string; fields: unknown; stored: unknown; counted: unknown }) => log.info("reconcile.audit-unexplained", f);
