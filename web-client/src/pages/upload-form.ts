/**
 * @module upload-form
 * Adds a context source through the Firestore web SDK (as apps do; firestore.rules decide), then
 * watches the agent's signed metrics until the source trigger has counted it, so the user sees the
 * number change without reloading. The wait is bounded: triggers usually take a second or two.
 */
import type { Firestore } from "firebase/firestore";
import { describeError, errorState } from "../describe-error";
import { addSource, SOURCE_STATUSES, SOURCE_TYPES, type AgentSummary, type NewSource } from "../firebase/directory";
import { byId, el } from "../view/element";
import { stateMessage } from "../view/state-message";

const POLL_INTERVAL_MS = 1000;
const POLL_LIMIT_MS = 30_000;

export interface UploadDeps {
  db: Firestore;
  /** Rereads the agent's metrics; the new source count once its version moved past `before`, else null. */
  refresh: (agentId: string, before: number) => Promise<number | null>;
  /** The version of the agent's metrics on the page now. */
  versionOf: (agentId: string) => number;
}

const options = (select: HTMLSelectElement, values: readonly string[], labels = values) =>
  select.replaceChildren(...values.map((value, i) => Object.assign(el("option", { text: labels[i] }), { value })));

/**
 * Wires the upload form of index.html; `setAgents` fills its agent list.
 * @example const upload = mountUploadForm(deps); upload.setAgents(agents);
 */
export function mountUploadForm(deps: UploadDeps): { setAgents: (agents: AgentSummary[]) => void } {
  const form = byId("upload-form", HTMLFormElement);
  const agent = byId("upload-agent", HTMLSelectElement);
  const status = byId("upload-status", HTMLDivElement);
  const button = form.querySelector("button")!;
  options(byId("upload-type", HTMLSelectElement), SOURCE_TYPES);
  options(byId("upload-source-status", HTMLSelectElement), SOURCE_STATUSES);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    const source: NewSource = {
      agentId: String(fields.get("agent")),
      type: String(fields.get("type")) as NewSource["type"],
      sizeBytes: Math.round(Number(fields.get("sizeBytes"))),
      tokenCount: Math.round(Number(fields.get("tokenCount"))),
      status: String(fields.get("status")) as NewSource["status"],
    };
    const before = deps.versionOf(source.agentId);
    button.disabled = true;
    status.replaceChildren(stateMessage("loading", "Adding the source…"));
    try {
      await addSource(deps.db, source);
      status.replaceChildren(stateMessage("loading", "Source added; waiting for the agent's metrics to count it…"));
      const deadline = Date.now() + POLL_LIMIT_MS;
      for (;;) {
        const count = await deps.refresh(source.agentId, before);
        if (count !== null) {
          status.replaceChildren(stateMessage("ok", `Counted: the agent now has ${count} sources.`));
          break;
        }
        if (Date.now() > deadline) {
          status.replaceChildren(stateMessage("stale", "The source was added, but its metrics have not caught up yet; reload in a moment."));
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      }
    } catch (error) {
      status.replaceChildren(stateMessage(errorState(error), `Could not add the source: ${describeError(error)}`));
    } finally {
      button.disabled = false;
    }
  });

  return {
    setAgents(agents) {
      options(agent, agents.map((a) => a.id), agents.map((a) => a.name));
      form.hidden = agents.length === 0;
    },
  };
}
