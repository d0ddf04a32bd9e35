/**
 * @module api-key-panel
 * Pasting, creating and forgetting the API key the metrics reads send. A created key is shown once,
 * as the server does, and only its prefix is displayed afterwards.
 */
import type { ApiClient } from "./lib/api-client";
import { readApiKey, storeApiKey } from "./api-key-storage";
import { describeError } from "./describe-error";
import { byId } from "./view/element";

/** Characters of a key that identify it without revealing it (`mk_test_` plus four). */
const SHOWN_PREFIX = 12;

/**
 * Wires the API key section of index.html; `api` creates keys with the current session.
 * @example mountApiKeyPanel(api);
 */
export function mountApiKeyPanel(api: ApiClient): void {
  const form = byId("api-key-form", HTMLFormElement);
  const input = byId("api-key-input", HTMLInputElement);
  const state = byId("api-key-state", HTMLParagraphElement);
  const created = byId("new-key", HTMLDivElement);
  const createdValue = byId("new-key-value", HTMLElement);
  const createButton = byId("create-key", HTMLButtonElement);

  const showState = (note = "") => {
    const key = readApiKey();
    state.textContent = (key ? `Using key ${key.slice(0, SHOWN_PREFIX)}…` : "No API key yet.") + (note ? ` ${note}` : "");
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    created.hidden = true;
    showState(storeApiKey(input.value) ? "" : "(session storage is blocked; the key was not kept)");
    input.value = "";
  });

  createButton.addEventListener("click", async () => {
    createButton.disabled = true;
    state.textContent = "Creating a read key…";
    try {
      const { key } = await api.createApiKey({ name: "dashboard", permissions: ["read:agent-metrics"] });
      storeApiKey(key);
      createdValue.textContent = key;
      created.hidden = false;
      showState();
    } catch (error) {
      showState(`Could not create a key: ${describeError(error)}`);
    } finally {
      createButton.disabled = false;
    }
  });

  byId("forget-key", HTMLButtonElement).addEventListener("click", () => {
    storeApiKey("");
    created.hidden = true;
    showState();
  });

  showState();
}
