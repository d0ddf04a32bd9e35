/**
 * @module services
 * The one place that builds the Firestore client, stores, keyring and app. Secrets can be read only
 * while a function runs, so the graph is built on first use and then reused by every invocation the
 * instance serves (which is also what keeps the in-memory caches warm).
 */
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { functionsLogger } from "./config/functions-logger";
import type { Logger } from "./config/logger";
import { allowedOrigins, apiKeyPepperSecret, clientAddressTrustedHops, deployedRevision, isEmulator, signingKeyringSecret, userStoreRequestsPerMinute } from "./config/params";
import { parseAllowedOrigins } from "./http/auth/same-origin";
import { parseKeyring, type Keyring } from "./signing/signing";
import { parsePepperRing } from "./signing/keyed-hash";
import { DEFAULT_KEY_LIMITS, type KeyLimits } from "./api-keys/api-key-policy";
import type { ApiDeps } from "./http/app-env";
import { createApp } from "./http/app";
import { healthCheck } from "./health/health-check";
import { cachedSessionVerifier } from "./http/auth/cached-session-verifier";
import { firebaseSessionIssuer } from "./http/auth/session-issuer";
import { firebaseSessionVerifier } from "./http/auth/session-verifier";
import { cachedApiKeyStore } from "./api-keys/cached-api-key-store";
import { RateLimiter } from "./rate-limits/rate-limiter";
import { UsageRecorder } from "./usage/usage-recorder";
import { firestoreRateCounterStore } from "./rate-limits/rate-counter-store";
import { firestoreUsageStore } from "./usage/usage-store";
import { firestoreRollupStore, type RollupStore } from "./rollups/rollup-store";
import { firestoreAgentViewStore } from "./agent-views/agent-view-store";
import { taskQueueFoldScheduler } from "./agent-views/fold-task-queue";
import { firestoreApiKeyStore } from "./api-keys/api-key-store";
import { firestoreProbe } from "./health/store-probe";
import { directoryStore, firestoreDocumentReader } from "./directory/directory-store";
import { firestoreAgentViewReader } from "./agent-views/agent-view-reader";
import { cachedDirectoryDocs } from "./directory/directory-cache";
import { agentAccessCache } from "./directory/agent-access-cache";
import { firestoreReadableAgents, firestoreReadableViews } from "./directory/readable-agents-query";
import { CacheStats } from "./cache/cache-stats";
import { storeViewSource } from "./serving/store-view-source";
import { viewCache } from "./serving/view-cache";
import { seriesCache } from "./serving/series-cache";
import { RevisionFloor } from "./cache/revision-floor";
import { SERIES_VIEW_FIELDS, SERVED_VIEW_FIELDS } from "./agent-views/view-codec";
import type { AgentViewStore } from "./agent-views/agent-views";
import type { ViewContext } from "./agent-views/agent-fold";
import { inProcessFoldScheduler, withInProcessFallback, type FoldScheduler } from "./agent-views/fold-scheduler";
import * as logs from "./config/logs";

export interface ServiceConfig {
  db: Firestore;
  auth: ReturnType<typeof getAuth>;
  keyring: Keyring;
  pepper: string;
  emulator: boolean;
  log: Logger;
  now?: () => Date;
  /** Proxies of the deployment's own in front of Google's front end (http/client-address.ts); 0 when absent. */
  trustedHops?: number;
  /** Overrides the key limits (`DEFAULT_KEY_LIMITS`); benchmarks and load runs raise the rate-limit ceiling. */
  keyLimits?: KeyLimits;
  /** Origins besides the API's and Hosting's own host whose pages may write with the session cookie. */
  allowedOrigins?: readonly string[];
  /** Overrides the request deadline (request-deadline.ts); tests of an outage shorten it. */
  requestDeadlineMs?: number;
  /**
   * How folds are asked for: the Cloud Tasks queue in the deployed functions; without one (tests and
   * tools that run the app in process), a timer in this process.
   */
  folds?: (fold: (agentId: string) => Promise<unknown>) => FoldScheduler;
}

/** The agent views and the rollups folded from them, over `db`: what the API and the triggers both write. */
function viewStores(db: Firestore, log: Logger): { agentViews: AgentViewStore; rollups: RollupStore } {
  const agentViews = firestoreAgentViewStore(db, log);
  return { agentViews, rollups: firestoreRollupStore(db, agentViews) };
}

/** What this configuration's view writes are signed and timed with. */
function contextOf(config: Pick<ServiceConfig, "keyring" | "now">): ViewContext {
  return { keyring: config.keyring, now: config.now ?? (() => new Date()) };
}

/** The fold of an agent with this configuration's keyring and clock, for schedulers to call. */
function folder(agentViews: AgentViewStore, config: Pick<ServiceConfig, "keyring" | "now">) {
  const context = contextOf(config);
  return (agentId: string) => agentViews.fold(agentId, context);
}

/** The scheduler `config` asks for, falling back to a fold in this process when it refuses a request. */
function foldSchedulerFor(agentViews: AgentViewStore, config: ServiceConfig): FoldScheduler {
  const fold = folder(agentViews, config);
  const onError = (agentId: string, error: unknown, stage: string) => logs.foldFailed(config.log, agentId, stage, error);
  const primary = config.folds ? config.folds(fold) : inProcessFoldScheduler(fold, { onError: (agentId, error) => onError(agentId, error, "fold") });
  return withInProcessFallback(primary, fold, onError);
}

/** The API's dependencies from explicit configuration (used by tests, benchmarks and `runtimeServices`). */
export function apiDeps(config: ServiceConfig): ApiDeps {
  const peppers = parsePepperRing(config.pepper);
  const now = config.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const usageStore = firestoreUsageStore(config.db);
  const { agentViews, rollups } = viewStores(config.db, config.log);
  // Sessions keep the real clock: they are compared with the expiry times Firebase Auth issues.
  const sessions = cachedSessionVerifier(firebaseSessionVerifier(config.auth));
  const apiKeys = cachedApiKeyStore(firestoreApiKeyStore(config.db), { now: nowMs });
  const directoryDocs = cachedDirectoryDocs(firestoreDocumentReader(config.db), { log: config.log, now: nowMs });
  const agentAccess = agentAccessCache(firestoreReadableAgents(config.db), {
    now: nowMs,
    onLoadError: (error) => logs.accessLoadFailed(config.log, error),
  });
  const source = storeViewSource({ agentViews, rollups, readAgents: firestoreAgentViewReader(config.db, { fields: SERVED_VIEW_FIELDS }),
    readReadableAgents: firestoreReadableViews(config.db, { fields: SERVED_VIEW_FIELDS }),
    context: () => contextOf(config) });
  // One memory of the latest revisions per instance: a copy that went back is refused by both caches.
  const revisions = new RevisionFloor();
  const views = viewCache(source, { keyring: config.keyring, log: config.log, now: nowMs, revisions });
  const readStates = firestoreAgentViewReader(config.db, { fields: SERIES_VIEW_FIELDS });
  const series = seriesCache(
    {
      readAgentState: async (id) => (await readStates([id])).get(id) ?? null,
      readReadableAgentStates: firestoreReadableViews(config.db, { fields: SERIES_VIEW_FIELDS }),
      recomputeAgent: source.recomputeAgent,
      readRollup: source.readRollup,
      foldRollup: (scope, id) => rollups.fold(scope, id, contextOf(config)),
    },
    { keyring: config.keyring, log: config.log, now: nowMs, revisions },
  );
  return {
    now,
    keyring: config.keyring,
    peppers,
    keyEnvironment: config.emulator ? "test" : "live",
    sessions,
    sessionIssuer: firebaseSessionIssuer(config.auth),
    apiKeys,
    directory: directoryStore(directoryDocs, agentAccess),
    rateLimiter: new RateLimiter(firestoreRateCounterStore(config.db), (error) =>
      logs.rateLimitSyncFailed(config.log, error),
    ),
    usage: new UsageRecorder(usageStore, (error, dropped) =>
      logs.usageWriteFailed(config.log, error, dropped),
    ),
    usageStore,
    agentViews,
    folds: foldSchedulerFor(agentViews, config),
    rollups,
    views,
    series,
    cacheStats: new CacheStats({ views: views.stats, series: series.stats, directory: directoryDocs.stats, access: agentAccess.stats, apiKeys: apiKeys.stats, sessions: sessions.stats }, now),
    health: healthCheck({ probe: firestoreProbe(config.db), revision: deployedRevision(), node: process.version, now, log: config.log }),
    log: config.log,
    requestDeadlineMs: config.requestDeadlineMs,
    allowedOrigins: config.allowedOrigins ?? [],
    keyLimits: config.keyLimits ?? DEFAULT_KEY_LIMITS,
    trustedHops: config.trustedHops ?? 0,
  };
}

/** What the triggers, the fold and the reconcile need: no API key pepper (least privilege). */
export interface TriggerServices {
  db: Firestore;
  agentViews: AgentViewStore;
  rollups: RollupStore;
  folds: FoldScheduler;
  now: () => Date;
  log: Logger;
}

export interface RuntimeServices {
  deps: ApiDeps;
  app: ReturnType<typeof createApp>;
}

let api: RuntimeServices | undefined;
let triggers: TriggerServices | undefined;
let triggerKeyring: Keyring | undefined;

const firebaseApp = () => getApps()[0] ?? initializeApp();

/** The API's services on this instance, built from the runtime's secrets on first call. */
export function apiServices(): RuntimeServices {
  if (!api) {
    const deps = apiDeps({
      db: getFirestore(firebaseApp()),
      auth: getAuth(firebaseApp()),
      keyring: parseKeyring(signingKeyringSecret.value()),
      pepper: apiKeyPepperSecret.value(),
      emulator: isEmulator(),
      log: functionsLogger,
      folds: () => taskQueueFoldScheduler(firebaseApp()),
      allowedOrigins: parseAllowedOrigins(allowedOrigins()),
      trustedHops: clientAddressTrustedHops(),
      keyLimits: { ...DEFAULT_KEY_LIMITS, userStoreRequestsPerMinute: userStoreRequestsPerMinute() },
    });
    deps.cacheStats.startLogging(deps.log);
    api = { deps, app: createApp(deps) };
  }
  return api;
}

/**
 * The signing keys of the triggers that write views, parsed on first call. Apart from the services:
 * a secret is readable only by functions that declare it, and `onAgentWritten`, which only deletes
 * views, does not.
 */
export function signingKeyring(): Keyring {
  triggerKeyring ??= parseKeyring(signingKeyringSecret.value());
  return triggerKeyring;
}

/**
 * The triggers' services on this instance, built on first call. Recording deltas and asking for folds
 * needs no secret; folding does (`signingKeyring`), and only the functions that fold declare it.
 */
export function triggerServices(): TriggerServices {
  if (!triggers) {
    const db = getFirestore(firebaseApp());
    triggers = {
      db,
      ...viewStores(db, functionsLogger),
      // A trigger whose request fails is retried (retry: true), which asks again: no fallback here.
      folds: taskQueueFoldScheduler(firebaseApp()),
      now: () => new Date(),
      log: functionsLogger,
    };
  }
  return triggers;
}
