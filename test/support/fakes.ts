/**
 * @module fakes
 * In-memory stand-ins for the API's stores and session verifier, for fast in-process tests of the
 * HTTP layer. They implement the same interfaces as the Firestore versions; anything that depends
 * on Firestore's own behaviour is tested against the emulator instead.
 */
import { parsePepperRing } from "../../functions/src/signing/keyed-hash";
import type { Reader } from "../../functions/src/directory/agent-access-cache";
import type { ApiKeyRecord } from "../../functions/src/api-keys/api-key-policy";
import { canReadAgent } from "../../functions/src/directory/access-policy";
import { sealAccess } from "../../functions/src/metrics/access-seal";
import { nextRevision, seal, type SealedView } from "../../functions/src/metrics/metrics-view";
import { emptyAgentState, renderAgent } from "../../functions/src/metrics/agent-view";
import { mergeAgentStates, rollupContent } from "../../functions/src/rollups/rollup";
import { generateKeyringSecret, parseKeyring, type Keyring } from "../../functions/src/signing/signing";
import type { Logger } from "../../functions/src/config/logger";
import type { ApiDeps } from "../../functions/src/http/app-env";
import { viewContext } from "../../functions/src/agent-views/agent-fold";
import { CacheStats } from "../../functions/src/cache/cache-stats";
import { storeViewSource } from "../../functions/src/serving/store-view-source";
import { viewCache } from "../../functions/src/serving/view-cache";
import { seriesCache } from "../../functions/src/serving/series-cache";
import type { Agent, UserProfile, AgentOwnership } from "../../functions/src/documents/source-documents";
import type { StoredView } from "../../functions/src/agent-views/stored-view";
import { rollUp, type UsageTally } from "../../functions/src/usage/usage";
import { RateLimiter } from "../../functions/src/rate-limits/rate-limiter";
import { healthCheck } from "../../functions/src/health/health-check";
import { UsageRecorder } from "../../functions/src/usage/usage-recorder";
import type { UsageStore } from "../../functions/src/usage/usage-store";

export interface LogEntry {
  level: "info" | "warn" | "error";
  event: string;
  fields?: Record<string, unknown>;
}

/** The rendered content of an agent with nothing in it. */
export const emptyAgentView = (now: Date) => renderAgent(emptyAgentState(), now);

/** A stored agent view of an empty state, with no watermark. */
export const storedView = (sealed: SealedView): StoredView => ({ sealed, watermark: null, foldedAt: null, state: emptyAgentState(), pricedWith: null, changedAt: null, access: null });

/** A logger that records every entry, so tests can assert on (and grep) what was logged. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (event, fields) => entries.push({ level: "info", event, fields }),
    warn: (event, fields) => entries.push({ level: "warn", event, fields }),
    error: (event, fields) => entries.push({ level: "error", event, fields }),
  };
}

export interface FakeWorld {
  deps: ApiDeps;
  keyring: Keyring;
  log: ReturnType<typeof recordingLogger>;
  users: Map<string, UserProfile>;
  agents: Map<string, Agent>;
  orgs: Set<string>;
  views: Map<string, StoredView>;
  keys: Map<string, ApiKeyRecord>;
  /** Bearer tokens the fake session verifier accepts, mapped to their user id. */
  tokens: Map<string, string>;
  /** Users whose sessions carry the `operator` claim. */
  operators: Set<string>;
  recomputes: string[];
  /** Each access decision the API asked the directory for, with its agent ids. */
  accessLookUps: string[][];
  /** Each batched read of stored agent views the edge cache made, with its ids. */
  viewReads: string[][];
  /** Each fold the API asked for, by agent id. */
  foldRequests: string[];
  /** Each ingest the API stored, with its items' document ids and the users they were recorded for. */
  ingests: Array<{ agentId: string; docIds: string[]; userIds: string[] }>;
  /** Moves the clock every dependency reads (the edge cache included). */
  advance(ms: number): void;
  /** Usage tallies stored so far (after `deps.usage.flush()`). */
  usageTallies?: UsageTally[];
}

/** An API wired to in-memory stores, behind the real edge cache; `now` is fixed unless a test calls `advance`. */
export function fakeWorld(now = new Date("2026-11-23T10:00:00Z")): FakeWorld {
  let clock = now;
  const usageTallies: UsageTally[] = [];
  const usageStore: UsageStore = {
    append: async (tallies) => void usageTallies.push(...tallies),
    report: async (keyId) => {
      const days = [...rollUp(usageTallies.filter((r) => r.keyId === keyId)).values()];
      const lastUsedAt = days.reduce<Date | null>((last, d) => (!last || d.lastUsedAt > last ? d.lastUsedAt : last), null);
      return { days: days.map(({ day, total, byOutcome }) => ({ day, total, byOutcome })), lastUsedAt };
    },
  };
  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("test-key")));
  const log = recordingLogger();
  const world: Omit<FakeWorld, "deps" | "advance"> = {
    keyring,
    log,
    users: new Map(),
    agents: new Map(),
    orgs: new Set(),
    views: new Map(),
    keys: new Map(),
    tokens: new Map(),
    operators: new Set(),
    recomputes: [],
    viewReads: [],
    accessLookUps: [],
    foldRequests: [],
    ingests: [],
  };
  const viewerOf = (uid: string) => {
    const profile = world.users.get(uid);
    return { uid, orgId: profile?.orgId ?? null, role: profile?.role ?? null };
  };
  const deps: Omit<ApiDeps, "views" | "series" | "cacheStats"> = {
    now: () => clock,
    keyring,
    peppers: parsePepperRing("test-pepper-of-at-least-32-characters"),
    keyEnvironment: "test",
    log,
    sessions: {
      verify: async (credential) => {
        const uid = world.tokens.get(credential.token);
        return uid ? { uid, expiresAtMs: now.getTime() + 3_600_000, operator: world.operators.has(uid) } : null;
      },
      forgetUser: () => undefined,
      stats: emptyStats,
    },
    sessionIssuer: {
      inspectIdToken: async (token) => (world.tokens.has(token) ? { uid: world.tokens.get(token) as string, authTimeMs: now.getTime() } : null),
      createSessionCookie: async (token) => `cookie-for-${token}`,
      revokeSessions: async (uid) => {
        for (const [token, owner] of world.tokens) if (owner === uid) world.tokens.delete(token);
      },
    },
    apiKeys: {
      findByHash: async (hash) => world.keys.get(hash) ?? null,
      create: async (hash, record, maxActive) => {
        const active = [...world.keys.values()].filter((r) => r.ownerId === record.ownerId && !r.revokedAt && (!r.expiresAt || r.expiresAt > record.createdAt));
        if (active.length >= maxActive) return "limit-reached";
        world.keys.set(hash, record);
        return "created";
      },
      listByOwner: async (ownerId, { size, after }) => {
        // The Firestore store's order: createdAt descending, then id descending.
        const newestFirst = (a: ApiKeyRecord, b: ApiKeyRecord) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
        const isAfter = (r: ApiKeyRecord) => !after || newestFirst(r, { ...r, createdAt: after.createdAt, id: after.id }) > 0;
        const owned = [...world.keys.values()].filter((r) => r.ownerId === ownerId && isAfter(r)).sort(newestFirst);
        const records = owned.slice(0, size);
        const last = records[records.length - 1];
        return { records, next: owned.length > size && last ? { createdAt: last.createdAt, id: last.id } : null };
      },
      findOwned: async (ownerId, keyId) => {
        const found = [...world.keys].find(([, r]) => r.ownerId === ownerId && r.id === keyId);
        return found ? { hash: found[0], record: found[1] } : null;
      },
      revoke: async (hash, at) => {
        const record = world.keys.get(hash);
        if (!record) throw new Error("no such key");
        record.revokedAt ??= at;
        return record;
      },
      held: () => undefined,
      forget: () => undefined,
      stats: emptyStats,
    },
    health: healthCheck({ probe: async () => undefined, revision: "test-revision", node: process.version, now: () => clock }),
    rateLimiter: new RateLimiter({ add: async (_keyId, _window, delta) => delta }),
    usage: new UsageRecorder(usageStore),
    usageStore,
    directory: {
      viewerAndAgent: async (uid, agentId) => ({ viewer: viewerOf(uid), agent: world.agents.get(agentId) ?? null }),
      viewer: async (uid) => viewerOf(uid),
      // Decides afresh every time: nothing is held.
      heldDecision: () => undefined,
      readableAgents: async (reader, agentIds) => {
        world.accessLookUps.push([...agentIds]);
        const readable = new Map<string, AgentOwnership>();
        for (const id of agentIds) {
          const agent = world.agents.get(id);
          if (agent && canReadAgent({ ...reader, role: null }, agent)) readable.set(id, { ownerId: agent.ownerId, orgId: agent.orgId });
        }
        return readable;
      },
      viewerAndUser: async (uid, targetUid) => ({
        viewer: viewerOf(uid),
        target: world.users.has(targetUid) ? { uid: targetUid, orgId: world.users.get(targetUid)?.orgId ?? null } : null,
      }),
      viewerAndOrg: async (uid, orgId) => ({ viewer: viewerOf(uid), orgExists: world.orgs.has(orgId) }),
    },
    rollups: {
      read: async () => null,
      fold: async (scope, id, ctx) => {
        const agentIds = [...world.agents].filter(([, a]) => (scope === "user" ? a.ownerId : a.orgId) === id).map(([agentId]) => agentId);
        const state = mergeAgentStates(agentIds.flatMap((agentId) => (world.views.has(agentId) ? [emptyAgentState()] : [])));
        const sealed = seal(nextRevision(scope, id, null, rollupContent(state, agentIds.length, ctx.now()), ctx.now()), ctx.keyring, ctx.now());
        return { sealed, access: null, state };
      },
      roll: async () => null,
    },
    folds: { request: async (agentId) => void world.foldRequests.push(agentId) },
    agentViews: {
      read: async (agentId) => world.views.get(agentId) ?? null,
      record: async () => "recorded",
      ingest: async (agentId, items) => {
        world.ingests.push({ agentId, docIds: items.map((item) => item.docId), userIds: items.map((item) => item.userId) });
        return new Map();
      },
      fold: async () => {
        throw new Error("the HTTP layer asks for folds; it does not run them");
      },
      roll: async () => "unchanged",
      recompute: async (agentId, ctx) => {
        world.recomputes.push(agentId);
        const agent = world.agents.get(agentId);
        if (!agent) return null;
        const previous = world.views.get(agentId)?.sealed.data ?? null;
        const sealed: SealedView = seal(nextRevision("agent", agentId, previous, emptyAgentView(ctx.now()), ctx.now()), ctx.keyring, ctx.now());
        const access = { ownerId: agent.ownerId, orgId: agent.orgId };
        world.views.set(agentId, { ...storedView(sealed), access: sealAccess(sealed.data, access, ctx.keyring, ctx.now()) });
        return { sealed, access, state: emptyAgentState() };
      },
    },
  };
  // A query of the stored views the reader may read: reads (and counts) only those it returns.
  const readableViews = async (reader: Reader, ids: readonly string[]) => {
    const found = new Map<string, StoredView>();
    for (const id of ids) {
      const view = world.views.get(id);
      if (view?.access && canReadAgent({ ...reader, role: null }, view.access)) found.set(id, view);
    }
    if (found.size > 0) world.viewReads.push([...found.keys()]);
    return found;
  };
  const source = storeViewSource({
    readReadableAgents: readableViews,
    agentViews: deps.agentViews,
    rollups: deps.rollups,
    readAgents: async (ids) => {
      world.viewReads.push(ids);
      return new Map(ids.map((id) => [id, world.views.get(id) ?? null]));
    },
    context: () => viewContext(deps),
  });
  const views = viewCache(source, { keyring, log, now: () => deps.now().getTime() });
  const series = seriesCache(
    { readAgentState: async (id) => world.views.get(id) ?? null, readReadableAgentStates: readableViews, recomputeAgent: source.recomputeAgent, readRollup: source.readRollup, foldRollup: (scope, id) => deps.rollups.fold(scope, id, viewContext(deps)) },
    { keyring, log, now: () => deps.now().getTime() },
  );
  const cacheStats = new CacheStats({ views: views.stats, series: series.stats }, deps.now);
  const advance = (ms: number) => void (clock = new Date(clock.getTime() + ms));
  return { ...world, deps: { ...deps, views, series, cacheStats }, usageTallies, advance };
}

function emptyStats() {
  return { hits: 0, misses: 0, staleServes: 0, evictions: 0, loadFailures: 0, entries: 0, bytes: 0, hitRate: 0 };
}
