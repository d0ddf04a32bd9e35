/**
 * @module refresh-coalescer
 * Bounds what `POST /v1/agents/{agentId}/metrics:refresh` costs: a refresh is a full scan of the
 * agent's documents, so one recompute serves every refresh of the agent within a cooldown.
 *  - Concurrent refreshes of one agent on one instance share one recompute in flight.
 *  - A refresh within `REFRESH_COOLDOWN_MS` (60 s) of this instance's last recompute of the agent
 *    scans nothing and answers "recent": the caller serves the stored view as it stands, which is
 *    that recompute plus every fold since.
 * Bound: at most one full scan per agent per cooldown on each instance (N instances: N a minute).
 * The cooldown is not shared through the stored view's watermark: folds recompute in full on their
 * own (a first view, new prices, an unsure delta), and a refresh is how a caller compares the folded
 * view with its documents, so only refreshes hold refreshes back.
 */
import { LRUCache } from "lru-cache";
import type { ComputedView } from "./agent-fold";

/** How long after a full recompute of an agent a refresh answers with it instead of scanning again. */
export const REFRESH_COOLDOWN_MS = 60_000;
/** Agents whose last refresh one instance remembers (beyond them, an evicted agent may be scanned again). */
const REMEMBERED_AGENTS = 10_000;

/** What a refresh did: recomputed the view now, or found a recompute recent enough; null when the agent does not exist. */
export type Refreshed = { kind: "recomputed"; view: ComputedView } | { kind: "recent"; recomputedAt: Date } | null;

export interface RefreshPorts {
  now(): number;
}

export interface RefreshCoalescer {
  /** Runs `recompute` for `agentId` unless one is in flight (its result is shared) or one is recent. */
  refresh(agentId: string, recompute: () => Promise<ComputedView | null>): Promise<Refreshed>;
}

/** A coalescer over `ports`; one per instance. */
export function refreshCoalescer(ports: RefreshPorts, cooldownMs = REFRESH_COOLDOWN_MS): RefreshCoalescer {
  const inFlight = new Map<string, Promise<Refreshed>>();
  const recent = new LRUCache<string, number>({ max: REMEMBERED_AGENTS });
  const isRecent = (at: number | undefined) => at !== undefined && ports.now() - at < cooldownMs;

  async function run(agentId: string, recompute: () => Promise<ComputedView | null>): Promise<Refreshed> {
    const known = recent.get(agentId);
    if (isRecent(known)) return { kind: "recent", recomputedAt: new Date(known as number) };
    const startedAt = ports.now();
    const view = await recompute();
    if (!view) return null;
    recent.set(agentId, startedAt);
    return { kind: "recomputed", view };
  }

  return {
    refresh(agentId, recompute) {
      const running = inFlight.get(agentId);
      if (running) return running;
      const job = run(agentId, recompute).finally(() => inFlight.delete(agentId));
      inFlight.set(agentId, job);
      return job;
    },
  };
}
