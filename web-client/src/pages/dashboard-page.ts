/**
 * @module dashboard-page
 * The signed-in user's agents, their own totals and their organization's, each card drawn from the
 * verified cache and labelled with where its numbers came from. All agents are read at once (one
 * batch request for whatever localStorage cannot answer); a card is redrawn in place when the cache
 * hears of a newer revision (a background revalidation or another tab).
 */
import { describeError, errorState } from "../describe-error";
import { listOwnedAgents, readProfile, type AgentSummary } from "../firebase/directory";
import type { Firestore } from "firebase/firestore";
import { refKey, type MetricsCache, type MetricsRef, type MetricsResult } from "../lib/metrics-cache";
import type { SignedInUser } from "../firebase/session";
import { byId, el } from "../view/element";
import { metricsCard } from "../view/metrics-card";
import { stateMessage } from "../view/state-message";
import { mountUploadForm } from "./upload-form";

export interface DashboardDeps {
  db: Firestore;
  cache: MetricsCache;
  user: SignedInUser;
  /** The key metrics are read with, or null when the user has none in this tab yet. */
  dashboardKey: () => string | null;
  /** Creates a read-only key for the dashboard and keeps it for this tab. */
  createDashboardKey: () => Promise<void>;
}

const TOTALS_POLL_MS = 3000;
const TOTALS_FOLLOW_MS = 30_000;


/**
 * Wires the dashboard section of index.html; `load()` (re)draws it, from the API with `force`.
 * @example const dashboard = mountDashboard(deps); await dashboard.load();
 */
export function mountDashboard(deps: DashboardDeps): { load: (options?: { force?: boolean }) => Promise<void> } {
  const keyBar = byId("key-bar", HTMLDivElement);
  const totals = byId("totals", HTMLDivElement);
  const agentsGrid = byId("agents", HTMLDivElement);
  const titles = new Map<string, string>();
  const slots = new Map<string, HTMLElement>();

  const place = (ref: MetricsRef, node: HTMLElement) => {
    const name = refKey(ref);
    const slot = slots.get(name);
    if (slot?.isConnected) slot.replaceWith(node);
    slots.set(name, node);
    return node;
  };
  const draw = (ref: MetricsRef, result: MetricsResult) => place(ref, metricsCard(titles.get(refKey(ref)) ?? ref.id, result));
  const drawFailure = (ref: MetricsRef, error: unknown) => {
    const card = el("article", { className: "card" }, el("h3", { text: titles.get(refKey(ref)) ?? ref.id }), stateMessage(errorState(error), describeError(error)));
    return place(ref, card);
  };
  deps.cache.subscribe((ref, result) => {
    if (slots.has(refKey(ref))) draw(ref, result);
  });

  const showKeyBar = () => {
    const key = deps.dashboardKey();
    if (key) {
      const refresh = el("button", { className: "secondary", text: "Refresh from the API" });
      refresh.id = "refresh-metrics";
      refresh.type = "button";
      refresh.addEventListener("click", () => void load({ force: true }));
      const note = el("p", { className: "muted", text: `Metrics are read with key ${key.slice(0, 12)}… (manage keys on the API keys page).` });
      keyBar.replaceChildren(el("div", { className: "row spread" }, note, refresh));
      return true;
    }
    const create = el("button", { text: "Create a dashboard key" });
    create.id = "create-dashboard-key";
    create.type = "button";
    create.addEventListener("click", async () => {
      create.disabled = true;
      try {
        await deps.createDashboardKey();
        await load();
      } catch (error) {
        keyBar.append(stateMessage(errorState(error), `Could not create a key: ${describeError(error)}`));
        create.disabled = false;
      }
    });
    keyBar.replaceChildren(stateMessage("empty", "Metrics are read with an API key, and this tab has none yet."), create);
    return false;
  };

  async function readTotals(orgId: string | null, force = false) {
    const refs: MetricsRef[] = [{ scope: "user", id: deps.user.uid }];
    titles.set(refKey(refs[0]), "Your totals");
    if (orgId) {
      refs.push({ scope: "org", id: orgId });
      titles.set(refKey(refs[1]), `Organization ${orgId}`);
    }
    const cards = await Promise.all(refs.map((ref) => deps.cache.read(ref, { force }).then((r) => draw(ref, r), (e: unknown) => drawFailure(ref, e))));
    totals.replaceChildren(...cards);
  }

  /** Rollups are refolded within seconds of an agent change: reread them until each has moved. */
  async function followTotals(orgId: string | null) {
    const names = [refKey({ scope: "user", id: deps.user.uid }), ...(orgId ? [refKey({ scope: "org", id: orgId })] : [])];
    const versionOf = (name: string) => slots.get(name)?.dataset.version;
    const before = new Map(names.map((name) => [name, versionOf(name)]));
    const deadline = Date.now() + TOTALS_FOLLOW_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, TOTALS_POLL_MS));
      await readTotals(orgId, true);
      if (names.every((name) => versionOf(name) !== before.get(name))) return;
    }
  }

  async function readAgents(agents: AgentSummary[], force: boolean) {
    if (agents.length === 0) {
      agentsGrid.replaceChildren(stateMessage("empty", "You own no agents yet."));
      return;
    }
    for (const agent of agents) titles.set(refKey({ scope: "agent", id: agent.id }), agent.name);
    const { results, failures } = await deps.cache.readAgents(agents.map((a) => a.id), { force });
    agentsGrid.replaceChildren(
      ...agents.map((agent) => {
        const ref: MetricsRef = { scope: "agent", id: agent.id };
        return results[agent.id] ? draw(ref, results[agent.id]) : drawFailure(ref, failures[agent.id]);
      }),
    );
  }

  const upload = mountUploadForm({
    db: deps.db,
    refresh: async (agentId, before) => {
      const ref: MetricsRef = { scope: "agent", id: agentId };
      const result = await deps.cache.read(ref, { force: true });
      if (result.response.data.version === before) return null;
      draw(ref, result);
      void readProfile(deps.db, deps.user.uid).then((profile) => followTotals(profile.orgId));
      return result.response.data.sources.count;
    },
    versionOf: (agentId) => Number(slots.get(refKey({ scope: "agent", id: agentId }))?.dataset.version ?? NaN),
  });

  async function load({ force = false } = {}) {
    slots.clear();
    totals.replaceChildren(stateMessage("loading", "Loading your totals…"));
    agentsGrid.replaceChildren(stateMessage("loading", "Loading your agents…"));
    if (!showKeyBar()) {
      totals.replaceChildren(stateMessage("empty", "Create a dashboard key to see your totals."));
      agentsGrid.replaceChildren(stateMessage("empty", "Create a dashboard key to see your agents' metrics."));
      return;
    }
    try {
      const [profile, agents] = await Promise.all([readProfile(deps.db, deps.user.uid), listOwnedAgents(deps.db, deps.user.uid)]);
      upload.setAgents(agents);
      await Promise.all([readTotals(profile.orgId, force), readAgents(agents, force)]);
    } catch (error) {
      agentsGrid.replaceChildren(stateMessage(errorState(error), `Could not load your agents: ${describeError(error)}`));
    }
  }

  return { load };
}
