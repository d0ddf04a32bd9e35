/**
 * @module view-model-check
 * The oracle of the model test: an agent's state recomputed from scratch from the documents as they
 * finally are, and the comparison of the incrementally maintained views (and the user and organization
 * rollups over them) with it. Mismatches are described by the first path where the two differ.
 */
import { emptyAgentState, renderAgent, type AgentState } from "../../functions/src/domain/agent-view";
import { canonicalJson } from "../../functions/src/domain/canonical-json";
import { summarizeInteractions } from "../../functions/src/domain/interaction-metrics";
import { isAuthentic } from "../../functions/src/domain/metrics-view";
import type { Pricing } from "../../functions/src/domain/pricing";
import { rollUpAgents } from "../../functions/src/domain/rollup";
import type { Keyring } from "../../functions/src/domain/signing";
import { summarizeSources } from "../../functions/src/domain/source-metrics";
import { pruneWindows, summarizeWindows } from "../../functions/src/domain/window-buckets";
import { interactionDocumentSchema } from "../../functions/src/schemas/interaction-documents";
import { contextSourceSchema } from "../../functions/src/schemas/source-documents";
import { agentStateOf, type StoredView } from "../../functions/src/views/stored-view";
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

const show = (value: unknown): string => (value === undefined ? "undefined" : canonicalJson(value));

/** The state of every agent computed from scratch over the documents that parse (invalid ones count as absent). */
function recomputedStates(world: Pick<FinalWorld, "sources" | "interactions" | "agents" | "now">): Map<string, AgentState> {
  const sources = world.sources.flatMap((doc) => contextSourceSchema.safeParse(doc).data ?? []);
  const interactions = world.interactions.flatMap((doc) => interactionDocumentSchema.safeParse(doc).data ?? []);
  const states = new Map<string, AgentState>();
  for (const agentId of world.agents.keys()) {
    const own = interactions.filter((i) => i.agentId === agentId);
    const summary = summarizeInteractions(own);
    const block = summarizeSources(sources.filter((s) => s.agentId === agentId));
    states.set(agentId, { sources: block, interactions: summary.state, windows: summarizeWindows(own, world.now), extremes: summary.extremes });
  }
  return states;
}

/** Every way the final views and rollups differ from a full recompute (empty when they agree). */
export function mismatchesOf(world: FinalWorld): string[] {
  const found: string[] = [];
  const truth = recomputedStates(world);
  const render = (state: AgentState) => renderAgent(state, world.pricing, world.now);
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
    if (!isAuthentic(stored.sealed, world.keyring)) {
      if (world.tampered.get(agentId)?.sealed !== stored.sealed) found.push(`agent ${agentId}: a view written by the functions fails its signature`);
      served.set(agentId, expected);
      continue;
    }
    const state = agentStateOf(stored);
    served.set(agentId, state);
    const diff =
      firstDifference(render(state), render(expected)) ??
      firstDifference(
        { interactions: state.interactions, windows: pruneWindows(state.windows, world.now) },
        { interactions: expected.interactions, windows: expected.windows },
      );
    if (diff) found.push(`agent ${agentId}: ${diff}`);
  }

  for (const scope of ["ownerId", "orgId"] as const) {
    const ids = new Set([...world.agents.values()].map((agent) => agent[scope]));
    for (const id of [...ids].sort()) {
      const members = [...world.agents].filter(([, agent]) => agent[scope] === id).map(([agentId]) => agentId);
      const incremental = rollUpAgents(members.flatMap((a) => served.get(a) ?? []), members.length, world.pricing, world.now);
      const recomputed = rollUpAgents(members.map((a) => truth.get(a) as AgentState), members.length, world.pricing, world.now);
      const diff = firstDifference(incremental, recomputed);
      if (diff) found.push(`${scope === "ownerId" ? "user" : "org"} ${id} rollup: ${diff}`);
    }
  }
  return found;
}
