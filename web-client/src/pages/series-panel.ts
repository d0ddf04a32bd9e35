/**
 * @module series-panel
 * The "Over time" section: pick a scope (your totals, your organization, one of your agents) and a
 * range (24 hours of hourly points, or 30 days of daily ones), and see its calls and errors, cost,
 * latency, time to first token, tokens and cost by model as charts, each with its numbers in a
 * table, and download the shown range as CSV (series-download). The series feed
 * polls the shown series, so an ingest shows here without a reload; when new points arrive,
 * `onChanged` lets the page reread the matching card too.
 *
 * Only the controls, the status line and the feed live in the main script: the figures, their
 * tables and uPlot come in one chunk loaded on first use (series-view).
 */
import { describeError, errorState } from "../describe-error";
import type { ApiClient, MetricsRef, SeriesFeed, SeriesRef, SeriesUpdate } from "metrics-web-client";
import type { SeriesGranularity } from "metrics-functions/contract";
import { byId, el } from "../view/element";
import { formatTime } from "../view/format-value";
import type { SeriesView } from "../view/series-view";
import { stateMessage } from "../view/state-message";
import { mountSeriesDownload } from "./series-download";

export interface ScopeChoice {
  ref: MetricsRef;
  label: string;
}

export interface SeriesPanelDeps {
  feed: SeriesFeed;
  /** Reads the shown range as CSV for "Download CSV". */
  api: Pick<ApiClient, "seriesCsv">;
  /** New points arrived for `ref` after the first ones: the page may reread its card. */
  onChanged: (ref: MetricsRef) => void;
}

const SOURCE_LABELS: Record<string, string> = { edge: "API edge cache", store: "API store", computed: "a fresh computation by the API" };
const SHOWN = ["scope", "id", "granularity", "from", "to", "signature"] as const;

/**
 * Wires the series section of index.html; `setScopes` fills the scope picker and starts the feed.
 * @example const panel = mountSeriesPanel({ feed, onChanged }); panel.setScopes([{ ref, label: "Your totals" }]);
 */
export function mountSeriesPanel(deps: SeriesPanelDeps): { setScopes: (choices: ScopeChoice[]) => void } {
  const picker = byId("series-scope", HTMLSelectElement);
  const controls = byId("series-controls", HTMLFormElement);
  const status = byId("series-status", HTMLDivElement);
  const charts = byId("series-charts", HTMLDivElement);
  let choices: ScopeChoice[] = [];
  let view: Promise<SeriesView> | null = null;
  const loadView = () => (view ??= import("../view/series-view").then(({ seriesView }) => seriesView(charts)));
  const download = mountSeriesDownload({
    api: deps.api,
    shown: () => {
      const { scope, id, granularity, from, to } = charts.dataset;
      return scope && id && (granularity === "hour" || granularity === "day") && from && to ? { scope: scope as SeriesRef["scope"], id, granularity, from, to } : null;
    },
  });

  const granularity = (): SeriesGranularity => (new FormData(controls).get("range") === "day" ? "day" : "hour");
  const selected = (): SeriesRef | null => {
    const choice = choices[picker.selectedIndex];
    return choice ? { ...choice.ref, granularity: granularity() } : null;
  };

  function showStatus(update: SeriesUpdate) {
    const { response, error } = update;
    if (error) {
      status.replaceChildren(stateMessage(errorState(error), `${response ? "Showing the last verified points. " : ""}${describeError(error)}`));
      return;
    }
    const cache = response?.meta?.cache ?? "";
    const checked = update.confirmedAt ? `, checked ${formatTime(new Date(update.confirmedAt).toISOString())}` : "";
    const badge = el("p", { className: "badge badge-ok", text: `from ${SOURCE_LABELS[cache] ?? "the API"} · signature verified${checked}` });
    badge.dataset.source = cache;
    status.replaceChildren(badge);
  }

  async function render(update: SeriesUpdate) {
    showStatus(update);
    const { response } = update;
    try {
      const drawn = await loadView();
      if (!response) {
        drawn.clear();
        for (const key of SHOWN) delete charts.dataset[key];
        download.refresh();
        return;
      }
      const { data } = response;
      drawn.render(data);
      Object.assign(charts.dataset, { scope: data.scope, id: data.id, granularity: data.granularity, from: data.from, to: data.to, signature: response.signature.value });
      download.refresh();
      if (update.replaced) deps.onChanged({ scope: data.scope, id: data.id });
    } catch (error) {
      view = null; // try the chunk again on the next update
      status.replaceChildren(stateMessage(errorState(error), `The charts could not be drawn: ${describeError(error)}`));
    }
  }

  const show = () => {
    const ref = selected();
    if (!ref) return;
    const current = charts.dataset;
    if (current.scope !== ref.scope || current.id !== ref.id || current.granularity !== ref.granularity) {
      void view?.then((drawn) => drawn.clear(), () => undefined);
      for (const key of SHOWN) delete current[key];
      download.refresh();
      download.forget();
      status.replaceChildren(stateMessage("loading", "Loading the series…"));
    }
    void deps.feed.watch(ref, (update) => void render(update));
  };
  picker.addEventListener("change", show);
  controls.addEventListener("change", (event) => {
    if (event.target !== picker) show();
  });
  controls.addEventListener("submit", (event) => event.preventDefault());

  return {
    setScopes(next) {
      const previous = choices[picker.selectedIndex];
      choices = next;
      picker.replaceChildren(...next.map((choice) => el("option", { text: choice.label })));
      const keep = previous ? next.findIndex((c) => c.ref.scope === previous.ref.scope && c.ref.id === previous.ref.id) : -1;
      picker.selectedIndex = Math.max(0, keep);
      show();
    },
  };
}
