/**
 * @module view-model-check
 * The oracle of the model test: an agent's state recomputed from scratch from the documents as they
 * finally are, and the comparison of the incrementally maintained views (and the user and organization
 * rollups over them) with it. Mismatches are described by the first path where the two differ.
 */
import { emptyAgentState, renderAgent, summarizeAgent, type AgentState } from "../../functions/src/metrics/agent-view";
import { canonicalJson } from "../../functions/src/contract/canonical-json";
import { isAuthentic } from "../../functions/src/metrics/metrics-view";
import type { Pricing } from "../../functions/src/pricing/pricing";
import { mergeAgentStates, rollupContent } from "../../functions/src/rollups/rollup";
import type { Keyring } from "../../functions/src/signing/signing";
import { pruneBuckets } from "../../functions/src/metrics/time-buckets";
import { interactionDocumentSchema } from "../../functions/src/documents/interaction-documents";
import { contextSourceSchema } from "../../functions/src/documents/source-documents";
import type { StoredView } from "../../functions/src/agent-views/stored-view";
import type { RawDocument } from "./memory-view-database";

export interface FinalWorld {
  sources: readonly RawDocument[];
  interactions: readonly RawDocument[];
  views: ReadonlyMap<string, StoredView>;
  /** Every agent with its owner and organization at the end. */
  agents: ReadonlyMap<string, { ownerId: string; orgId: string }>;
  /** Views tampered with after their last write: they must fail their signature check, nothing more. */
  tampered: ReadonlyMap<string, StoredView>;
  keyring: Keyring;
  pricing: Pricing;
  now: Date;
}

/** The first path at which two JSON-like values differ, with both values, or null when they are equal. */
function firstDifference(a: unknown, b: unknown, path = "$"): string | null {
  if (show(a) === show(b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path}: ${show(a)} (incremental) vs ${show(b)} (recomputed)`;
}

/** Accumulators hold BigInts (costs, latency sums), which canonical JSON refuses: shown as their digits. */
const plain = (value: unknown): unknown =>
  typeof value === "bigint" ? `${value}n` : Array.isArray(value) ? value.map(plain) : value && typeof value === "object" && !(value instanceof Date) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) : value;
const show = (value: unknown): string => (value === undefined ? "undefined" : canonicalJson(plain(value)));

/** The state of every agent computed from scratch over the documents that parse (invalid ones count as absent). */
function recomputedStates(world: Pick<FinalWorld, "sources" | "interactions" | "agents" | "now" | "pricing">): Map<string, AgentState> {
  const sources = world.sources.flatMap((doc) => contextSourceSchema.safeParse(doc).data ?? []);
  const interactions = world.interactions.flatMap((doc) => interactionDocumentSchema.safeParse(doc).data ?? []);
  const states = new Map<string, AgentState>();
  for (const agentId of world.agents.keys()) {
    states.set(agentId, summarizeAgent(sources.filter((s) => s.agentId === agentId), interactions.filter((i) => i.agentId === agentId), world.pricing, world.now));
  }
  return states;
}

/** The accumulators two states must agree on (the model registry may differ: it remembers the order names arrived in). */
const accumulatorsOf = (state: AgentState, now: Date) => ({ interactions: state.interactions, hours: pruneBuckets(state.hours, "hour", now), days: pruneBuckets(state.days, "day", now) });

/** Every way the final views and rollups differ from a full recompute (empty when they agree). */
export function mismatchesOf(world: FinalWorld): string[] {
  const found: string[] = [];
  const truth = recomputedStates(world);
  const render = (state: AgentState) => renderAgent(state, world.now);
  // What a reader gets: the stored state when authentic; a tampered view is recomputed on read.
  const served = new Map<string, AgentState>();

  for (const [agentId, stored] of world.views) {
    const agent = world.agents.get(agentId);
    if (!agent) found.push(`agent ${agentId} was deleted but its view remains`);
    else if (stored.access?.ownerId !== agent.ownerId || stored.access?.orgId !== agent.orgId) {
      found.push(`agent ${agentId} belongs to ${show(agent)} but its view says ${show(stored.access)}`);
    }
  }
  for (const [agentId, expected] of truth) {
    const stored = world.views.get(agentId);
    if (!stored) {
      const diff = firstDifference(render(emptyAgentState()), render(expected));
      if (diff) found.push(`agent ${agentId} has no view but has documents: ${diff}`);
      continue;
    }
    if (!isAuthentic(stored.sealed, world.keyring, "agent", agentId)) {
      if (world.tampered.get(agentId)?.sealed !== stored.sealed) found.push(`agent ${agentId}: a view written by the functions fails its signature`);
      served.set(agentId, expected);
      continue;
    }
    const state = stored.state;
    if (!state) {
      found.push(`agent ${agentId}: its view was stored without its state`);
      continue;
    }
    served.set(agentId, state);
    const diff = firstDifference(render(state), render(expected)) ?? firstDifference(accumulatorsOf(state, world.now), accumulatorsOf(expected, world.now));
    if (diff) found.push(`agent ${agentId}: ${diff}`);
  }

  for (const scope of ["ownerId", "orgId"] as const) {
    const ids = new Set([...world.agents.values()].map((agent) => agent[scope]));
    for (const id of [...ids].sort()) {
      const members = [...world.agents].filter(([, agent]) => agent[scope] === id).map(([agentId]) => agentId);
      const incremental = rollupContent(mergeAgentStates(members.flatMap((a) => served.get(a) ?? [])), members.length, world.now);
      const recomputed = rollupContent(mergeAgentStates(members.map((a) => truth.get(a) as AgentState)), members.length, world.now);
      const diff = firstDifference(incremental, recomputed);
      if (diff) found.push(`${scope === "ownerId" ? "user" : "org"} ${id} rollup: ${diff}`);
    }
  }
  return found;
}
