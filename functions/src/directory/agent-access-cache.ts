/**
 * @module agent-access-cache
 * Which of a batch of agents a caller may read, decided before any of their views is read.
 *
 * Deciding from the views (the owner stored beside each) made every id cost its view's read, and a
 * missing view a recompute, whether or not the caller could read it. Here the decision comes from the
 * `agents` documents through queries that can only return agents the caller may read
 * (`ReadableAgents`): ids the caller may not read, or that do not exist, cost nothing per id, only the
 * query's minimum of one read (one query per 30 ids and side: owner, organization). Each decision is
 * kept per caller (uid and organization) and id under `DIRECTORY_POLICY`, refused ones included, so
 * repeating a request, with or without `Cache-Control: no-cache` (which concerns views, not rights),
 * reads nothing more for 5 s and nothing older than 15 s is used: the bound of every other access fact.
 * Lookups issued in the same turn share one set of queries.
 */
import type { Viewer } from "./access-policy";
import type { AgentOwnership } from "../documents/source-documents";
import { DIRECTORY_POLICY, ENTRY_OVERHEAD_BYTES } from "../cache/cache-policy";
import type { FreshnessPolicy } from "../contract/freshness";
import { batchLoader } from "../cache/batch-loader";
import { EdgeCache } from "../cache/edge-cache";
import type { LayerStats } from "../contract/schemas/service";

/** The caller's side of an access decision: who they are and which organization they are in. */
export type Reader = Pick<Viewer, "uid" | "orgId">;

/** The agents among `agentIds` that `reader` may read, with their owner and organization. */
export type ReadableAgents = (reader: Reader, agentIds: readonly string[]) => Promise<Map<string, AgentOwnership>>;

export interface AgentAccessCache {
  /** The agents among `agentIds` that `reader` may read (an absent id: not readable, or no such agent). */
  readable(reader: Reader, agentIds: readonly string[]): Promise<Map<string, AgentOwnership>>;
  /** The decision this instance holds for `reader` and `agentId` while it may be used (null: refused), without loading anything. */
  held(reader: Reader, agentId: string): AgentOwnership | null | undefined;
  stats(): LayerStats;
}

const SEPARATOR = "\u0000";
const MAX_BYTES = 8 * 1024 * 1024;
const keyOf = (reader: Reader, agentId: string) => [reader.uid, reader.orgId ?? "", agentId].join(SEPARATOR);

function readerOf(key: string): { reader: Reader; agentId: string } {
  const [uid, orgId, agentId] = key.split(SEPARATOR);
  return { reader: { uid, orgId: orgId === "" ? null : orgId }, agentId };
}

export function agentAccessCache(query: ReadableAgents, options: { now?: () => number; policy?: FreshnessPolicy; onLoadError?: (error: unknown) => void } = {}): AgentAccessCache {
  // One set of queries per caller for the keys asked for in the same turn.
  const load = batchLoader<{ owner: AgentOwnership | null }>(async (keys) => {
    const byReader = new Map<string, { reader: Reader; ids: string[] }>();
    for (const key of keys) {
      const { reader, agentId } = readerOf(key);
      const group = `${reader.uid}${SEPARATOR}${reader.orgId ?? ""}`;
      const entry = byReader.get(group) ?? { reader, ids: [] };
      entry.ids.push(agentId);
      byReader.set(group, entry);
    }
    const found = new Map<string, { owner: AgentOwnership | null }>();
    await Promise.all(
      [...byReader.values()].map(async ({ reader, ids }) => {
        const readable = await query(reader, ids);
        for (const id of ids) found.set(keyOf(reader, id), { owner: readable.get(id) ?? null });
      }),
    );
    return found;
  });
  const edge = new EdgeCache<{ owner: AgentOwnership | null }>({
    policy: options.policy ?? DIRECTORY_POLICY,
    maxBytes: MAX_BYTES,
    sizeOf: (entry) => ENTRY_OVERHEAD_BYTES + (entry.owner ? entry.owner.ownerId.length + entry.owner.orgId.length : 0),
    now: options.now,
    load: async (key) => (await load(key)) ?? { owner: null },
    onLoadError: (_key, error) => options.onLoadError?.(error),
  });
  return {
    async readable(reader, agentIds) {
      const decisions = await Promise.all(agentIds.map((id) => edge.get(keyOf(reader, id))));
      const readable = new Map<string, AgentOwnership>();
      agentIds.forEach((id, i) => {
        const owner = decisions[i].value.owner;
        if (owner) readable.set(id, owner);
      });
      return readable;
    },
    held: (reader, agentId) => edge.peek(keyOf(reader, agentId))?.owner,
    stats: () => edge.stats(),
  };
}
