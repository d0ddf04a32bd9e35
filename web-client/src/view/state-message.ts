/**
 * @module state-message
 * The one way a region of the page says it is loading, empty, stale, rate limited or failed, so
 * every state looks the same everywhere and tests can find it by `data-state`.
 */
import { el } from "./element";

export type ViewState = "loading" | "empty" | "stale" | "rate-limited" | "offline" | "error" | "ok";

/**
 * A status paragraph for `state`.
 * @example region.replaceChildren(stateMessage("loading", "Loading your agents…"));
 */
export function stateMessage(state: ViewState, text: string): HTMLElement {
  const message = el("p", { className: `state state-${state}`, text });
  message.dataset.state = state;
  message.setAttribute("role", state === "error" || state === "rate-limited" ? "alert" : "status");
  return message;
}
