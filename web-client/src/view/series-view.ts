/**
 * @module series-view
 * Draws a series as its figures: for each, a heading, a uPlot chart whose accessible name sums it
 * up, and "Show the numbers", a table of every plotted value (the chart's text alternative). The
 * page loads this module, uPlot and its stylesheet with one dynamic `import()`, so they form their
 * own chunk and the main script stays lean. A redraw reuses each figure's chart (new data only) and
 * keeps its table open if the reader opened it.
 */
import type { SeriesData } from "metrics-functions/contract";
import { drawChart, type DrawnChart } from "./series-chart";
import { el } from "./element";
import { figureSummary, pointTimes, seriesFigures, type SeriesFigure } from "./series-figures";
import { seriesTable } from "./series-table";
import { stateMessage } from "./state-message";

interface FigureSlot {
  node: HTMLElement;
  holder: HTMLElement;
  details: HTMLDetailsElement;
  columns: string;
  chart: DrawnChart;
}

export interface SeriesView {
  /** Draws `data`, reusing what is already drawn for the same figures. */
  render(data: SeriesData): void;
  /** Removes every figure and its chart. */
  clear(): void;
}

function modelsNote(): HTMLElement {
  const note = stateMessage("empty", "Hourly points keep no split by model: choose “Last 30 days, daily” to see cost by model per day.");
  const node = el("figure", { className: "series-figure" }, el("figcaption", {}, el("h3", { text: "Cost by model" })), note);
  node.dataset.figure = "models";
  return node;
}

/**
 * The figures of a series inside `container`.
 * @example const view = seriesView(byId("series-charts", HTMLDivElement)); view.render(response.data);
 */
export function seriesView(container: HTMLElement): SeriesView {
  const slots = new Map<string, FigureSlot>();

  function slotFor(figure: SeriesFigure, times: number[], data: SeriesData): FigureSlot {
    const columns = figure.columns.map((c) => c.label).join("\n");
    const existing = slots.get(figure.id);
    if (existing && existing.columns === columns) {
      existing.chart.update(figure, times);
      return existing;
    }
    existing?.chart.destroy();
    const holder = el("div", { className: "chart" });
    holder.setAttribute("role", "img");
    const details = el("details", {}, el("summary", { text: "Show the numbers" }));
    const caption = el("figcaption", {}, el("h3", { text: figure.title }));
    if (figure.note) caption.append(el("p", { className: "muted figure-note", text: figure.note }));
    const node = el("figure", { className: "series-figure" }, caption, holder, details);
    node.dataset.figure = figure.id;
    // Drawn once the holder is in the page, so the chart takes its width.
    container.append(node);
    const slot: FigureSlot = { node, holder, details, columns, chart: drawChart(holder, figure, times, data.granularity) };
    slots.set(figure.id, slot);
    return slot;
  }

  return {
    render(data) {
      const times = pointTimes(data);
      const figures = seriesFigures(data);
      for (const [id, slot] of slots) {
        if (figures.some((f) => f.id === id)) continue;
        slot.chart.destroy();
        slots.delete(id);
      }
      const order = figures.map((figure) => {
        const slot = slotFor(figure, times, data);
        slot.holder.setAttribute("aria-label", figureSummary(figure, times, data.granularity));
        slot.details.replaceChildren(slot.details.firstChild!, el("div", { className: "numbers-scroll" }, seriesTable(figure, times, data.granularity)));
        return slot.node;
      });
      if (data.granularity === "hour") order.push(modelsNote());
      container.replaceChildren(...order);
    },
    clear() {
      for (const slot of slots.values()) slot.chart.destroy();
      slots.clear();
      container.replaceChildren();
    },
  };
}
