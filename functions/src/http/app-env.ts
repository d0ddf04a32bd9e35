/**
 * @module app-env
 * What the HTTP app is built from, and what each request carries once authenticated. Everything is
 * passed in when the app is built, so tests hand in the emulator-backed stores or fakes alike.
 */
import type { PepperRing } from "../signing/keyed-hash";
import type { ApiKeyRecord, KeyLimits } from "../api-keys/api-key-policy";
import type { KeyEnvironment } from "../api-keys/api-key-format";
import type { Keyring } from "../signing/signing";
import type { Logger } from "../config/logger";
import type { CachedApiKeyStore } from "../api-keys/cached-api-key-store";
import type { AgentViewStore } from "../agent-views/agent-views";
import type { FoldScheduler } from "../agent-views/fold-scheduler";
import type { DirectoryStore } from "../directory/directory-store";
import type { RollupStore } from "../rollups/rollup-store";
import type { CachedSessionVerifier } from "./auth/cached-session-verifier";
import type { SessionIssuer } from "./auth/session-issuer";
import type { RateLimiter } from "../rate-limits/rate-limiter";
import type { UsageRecorder } from "../usage/usage-recorder";
import type { UsageStore } from "../usage/usage-store";
import type { CacheStats } from "../cache/cache-stats";
import type { ViewCache } from "../serving/view-cache";
import type { SeriesCache } from "../serving/series-cache";
import type { HealthCheck } from "../health/health-check";

export interface ApiDeps {
  now: () => Date;
  keyring: Keyring;
  /** The versioned secrets of keyed hashes of API keys and client IPs. */
  peppers: PepperRing;
  keyEnvironment: KeyEnvironment;
  sessions: CachedSessionVerifier;
  sessionIssuer: SessionIssuer;
  apiKeys: CachedApiKeyStore;
  directory: DirectoryStore;
  rateLimiter: RateLimiter;
  usage: UsageRecorder;
  usageStore: UsageStore;
  agentViews: AgentViewStore;
  /** Asks for the fold that brings an agent's view up to date with what was just recorded. */
  folds: FoldScheduler;
  rollups: RollupStore;
  /** Every metrics read goes through this instance's edge cache of views. */
  views: ViewCache;
  /** Every series read goes through this instance's edge cache of series. */
  series: SeriesCache;
  cacheStats: CacheStats;
  /** What `GET /v1/health` reports (revision, Node version, whether Firestore answered). */
  health: HealthCheck;
  log: Logger;
  /** Proxies of the deployment's own in front of Google's front end (Hosting: 1); see http/client-address.ts. */
  trustedHops?: number;
  /** The cap on a user's active keys and the ceiling of a key's rate limit (DEFAULT_KEY_LIMITS when absent). */
  keyLimits?: KeyLimits;
  /** Origins of pages served from elsewhere than the API's own or Hosting's host that may write with the cookie. */
  allowedOrigins?: readonly string[];
  /** How long a request may wait for its backends before it answers 503 (request-deadline.ts). */
  requestDeadlineMs?: number;
}

/** Who a request acts for, as the authentication steps (`auth/`) established it. */
export interface Caller {
  uid: string;
  /** May use and grant the operator permissions (`api-keys/permissions.ts`). */
  operator: boolean;
}

/**
 * The typed per-request context. The authentication steps (`auth/authenticated.ts` lists them in
 * order) each fill their part; routes only read it.
 */
export interface AppEnv {
  Variables: {
    /** Who: the session's user. */
    caller: Caller;
    /** Which key: the record of the request's API key, once the key step accepted it. */
    apiKey: ApiKeyRecord;
    /** Which agents: the only ones the key may touch, or null for every agent the caller may (`auth/agent-restriction.ts`). */
    keyAgents: ReadonlySet<string> | null;
    /** True once the request has answered 503 at its deadline (request-deadline.ts): work it started may stop. */
    abandoned: () => boolean;
    /** What this keyed request costs its user's store budget (caller-limits.ts): 1 unless the route says otherwise. */
    storeRequests: number;
    /** What it has taken of that budget so far (settled against `storeRequests` once answered). */
    storeTaken: number;
  };
}
