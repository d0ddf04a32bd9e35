/**
 * @module metrics-loader
 * The agent id form and its output area, which is always in exactly one state: idle, loading,
 * error or loaded. The response is verified before it is drawn, so numbers never appear without
 * their badge. The agent id is mirrored into `?agent=` so a loaded view can be bookmarked.
 */
import type { ApiClient } from "./lib/api-client";
import type { MetricsResponse } from "./lib/api-types";
import type { SigningKeyCache } from "./lib/signing-key-cache";
import { verifyMetricsSignature } from "./lib/verify-signature";
import { describeError } from "./describe-error";
import { byId, el } from "./view/element";
import { metricsPanel } from "./view/metrics-panel";

export interface MetricsLoaderDeps {
  api: ApiClient;
  signingKeys: SigningKeyCache;
  /** Why a read cannot be sent yet (not signed in, no key), or null when it can. */
  missingPrerequisite: () => string | null;
}

async function verified(response: MetricsResponse, signingKeys: SigningKeyCache): Promise<boolean> {
  const keyId = response.signature?.keyId;
  if (typeof keyId !== "string") return false;
  return verifyMetricsSignature(response, await signingKeys.keysFor(keyId));
}

/**
 * Wires the metrics section of index.html and prefills the agent id from `?agent=`.
 * @example mountMetricsLoader({ api, signingKeys, missingPrerequisite: () => null });
 */
export function mountMetricsLoader(deps: MetricsLoaderDeps): void {
  const form = byId("metrics-form", HTMLFormElement);
  const input = byId("agent-id", HTMLInputElement);
  const button = byId("load-metrics", HTMLButtonElement);
  const output = byId("metrics-output", HTMLDivElement);
  const show = (className: string, text: string) => output.replaceChildren(el("p", { className, text }));

  input.value = new URL(location.href).searchParams.get("agent") ?? "";
  show("empty", "Enter an agent id and load its metrics.");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const agentId = input.value.trim();
    const blocker = agentId ? deps.missingPrerequisite() : "Enter an agent id first.";
    if (blocker) {
      show("error", blocker);
      return;
    }

    const url = new URL(location.href);
    url.searchParams.set("agent", agentId);
    history.replaceState(null, "", url);

    button.disabled = true;
    output.setAttribute("aria-busy", "true");
    show("loading", `Loading metrics for ${agentId}…`);
    try {
      const response = await deps.api.agentMetrics(agentId);
      output.replaceChildren(metricsPanel(response, await verified(response, deps.signingKeys)));
    } catch (error) {
      show("error", describeError(error));
    } finally {
      button.disabled = false;
      output.removeAttribute("aria-busy");
    }
  });
}
