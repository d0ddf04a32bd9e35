/**
 * @module dashboard-page
 * The signed-in user's agents, their own totals and their organization's, each card drawn from the
 * verified cache and labelled with where its numbers came from, and the same scopes over time (the
 * series panel). All agents are read at once (one batch request for whatever localStorage cannot
 * answer); a card is redrawn in place when the cache hears of a newer revision (a background
 * revalidation or another tab) or when the series panel sees new points for it. The key the reads
 * need is the page's own (dashboard-key): signing in is the only step before the numbers show.
 */
import { describeError, errorState } from "../describe-error";
import { listOwnedAgents, readProfile, type AgentSummary } from "../firebase/directory";
import type { Firestore } from "firebase/firestore";
import { refKey, type ApiClient, type MetricsCache, type MetricsRef, type MetricsResult, type SeriesFeed } from "metrics-web-client";
import type { SignedInUser } from "../firebase/session";
import type { KeyInUse } from "../dashboard-key";
import { byId, el } from "../view/element";
import { formatTime } from "../view/format-value";
import { metricsCard } from "../view/metrics-card";
import { stateMessage } from "../view/state-message";
import { mountSeriesPanel, type ScopeChoice } from "./series-panel";
import { mountUploadForm } from "./upload-form";

export interface DashboardDeps {
  db: Firestore;
  cache: MetricsCache;
  user: SignedInUser;
  /** The key metrics are read with: made by the page when there is none. */
  key: { ensure(): Promise<string>; inUse(): KeyInUse | null };
  feed: SeriesFeed;
  /** The series panel's CSV download reads through it, with the same credentials as the feed. */
  api: Pick<ApiClient, "seriesCsv">;
}

const TOTALS_POLL_MS = 3000;
const TOTALS_FOLLOW_MS = 30_000;

/** The series the panel offers: the user's totals first, then the organization's, then each agent. */
function scopeChoices(uid: string, orgId: string | null, agents: AgentSummary[]): ScopeChoice[] {
  return [
    { ref: { scope: "user", id: uid }, label: "Your totals" },
    ...(orgId ? [{ ref: { scope: "org" as const, id: orgId }, label: `Organization ${orgId}` }] : []),
    ...agents.map((agent) => ({ ref: { scope: "agent" as const, id: agent.id }, label: `Agent: ${agent.name}` })),
  ];
}

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

  /** Makes sure a key is in place (provisioning one if needed) and says which; false when none could be had. */
  const showKeyBar = async () => {
    try {
      await deps.key.ensure();
    } catch (error) {
      const retry = el("button", { text: "Try again" });
      retry.id = "retry-dashboard-key";
      retry.type = "button";
      retry.addEventListener("click", () => void load());
      const hint = errorState(error) === "rate-limited" ? " You hold the most active keys allowed: revoke one on the API keys page." : "";
      keyBar.replaceChildren(stateMessage(errorState(error), `Could not make this browser's dashboard key: ${describeError(error)}${hint}`), retry);
      return false;
    }
    const inUse = deps.key.inUse();
    const refresh = el("button", { className: "secondary", text: "Refresh from the API" });
    refresh.id = "refresh-metrics";
    refresh.type = "button";
    refresh.addEventListener("click", () => void load({ force: true }));
    const which = inUse?.provisioned
      ? `this browser's read-only dashboard key ${inUse.prefix}… (expires ${formatTime(inUse.expiresAt)}; revoked when you sign out)`
      : `the key you chose, ${inUse?.prefix ?? ""}…`;
    const note = el("p", { className: "muted", text: `Metrics are read with ${which}. Manage keys on the API keys page.` });
    note.id = "dashboard-key-note";
    keyBar.replaceChildren(el("div", { className: "row spread" }, note, refresh));
    return true;
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

  const series = mountSeriesPanel({
    feed: deps.feed,
    api: deps.api,
    onChanged: (ref) => {
      if (!slots.has(refKey(ref))) return;
      deps.cache.read(ref, { force: true }).then((result) => draw(ref, result), () => undefined);
    },
  });

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
    keyBar.replaceChildren(stateMessage("loading", "Getting this browser's dashboard key…"));
    if (!(await showKeyBar())) {
      totals.replaceChildren(stateMessage("empty", "Your totals show once the dashboard has a key."));
      agentsGrid.replaceChildren(stateMessage("empty", "Your agents' metrics show once the dashboard has a key."));
      return;
    }
    try {
      const [profile, agents] = await Promise.all([readProfile(deps.db, deps.user.uid), listOwnedAgents(deps.db, deps.user.uid)]);
      upload.setAgents(agents);
      series.setScopes(scopeChoices(deps.user.uid, profile.orgId, agents));
      await Promise.all([readTotals(profile.orgId, force), readAgents(agents, force)]);
    } catch (error) {
      agentsGrid.replaceChildren(stateMessage(errorState(error), `Could not load your agents: ${describeError(error)}`));
    }
  }

  return { load };
}
