/**
 * @module keys-page
 * Developers' key management: create a key (name, permissions, expiry, rate limit) whose plaintext
 * is shown once with a copy button, list keys with their status and last week's use, and revoke
 * them (the dashboard's own key included: it is an ordinary key, marked as the one this browser's
 * dashboard reads with). Everything here uses the session alone: a key cannot mint or revoke keys.
 */
import { describeError, errorState } from "../describe-error";
import type { ApiClient } from "metrics-web-client";
import { PERMISSIONS, type CreateApiKeyRequest, type ListedApiKey, type Permission } from "metrics-functions/contract";
import { byId, el } from "../view/element";
import { formatNumber, formatTime } from "../view/format-value";
import { stateMessage } from "../view/state-message";

const USAGE_DAYS = 7;

export interface KeysDeps {
  api: ApiClient;
  /** Makes `key` the one the dashboard reads with. */
  useForDashboard: (key: string) => void;
  /** Called after a revocation, so the dashboard can forget a key that no longer works. */
  onRevoked: (prefix: string) => void;
  /** True for the key this browser's dashboard made and reads with, marked in the list. */
  isDashboardKey: (prefix: string) => boolean;
}

function permissionBoxes(container: HTMLElement): void {
  container.replaceChildren(
    ...PERMISSIONS.map((permission) => {
      const box = Object.assign(el("input"), { type: "checkbox", name: "permissions", value: permission, checked: permission.startsWith("read:") && permission.endsWith("metrics") });
      return el("label", { className: "check" }, box, document.createTextNode(permission));
    }),
  );
}

/** The boxes carry the contract's names; anything else was not one of them. */
const isPermission = (value: string): value is Permission => (PERMISSIONS as readonly string[]).includes(value);

function requestFrom(form: HTMLFormElement): CreateApiKeyRequest {
  const fields = new FormData(form);
  const request: CreateApiKeyRequest = { name: String(fields.get("name") ?? "").trim(), permissions: fields.getAll("permissions").map(String).filter(isPermission) };
  const expires = Number(fields.get("expiresInDays"));
  const limit = Number(fields.get("rateLimitPerMinute"));
  if (expires > 0) request.expiresInDays = Math.round(expires);
  if (limit > 0) request.rateLimitPerMinute = Math.round(limit);
  return request;
}

/**
 * Wires the keys section of index.html; `load()` (re)draws the list.
 * @example const keys = mountKeysPage({ api, useForDashboard, onRevoked }); await keys.load();
 */
export function mountKeysPage(deps: KeysDeps): { load: () => Promise<void> } {
  const form = byId("create-key-form", HTMLFormElement);
  const formState = byId("create-key-state", HTMLDivElement);
  const created = byId("new-key", HTMLDivElement);
  const createdValue = byId("new-key-value", HTMLElement);
  const list = byId("key-list", HTMLDivElement);
  permissionBoxes(byId("permission-boxes", HTMLFieldSetElement).querySelector("div")!);

  byId("copy-key", HTMLButtonElement).addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(createdValue.textContent ?? "");
      formState.replaceChildren(stateMessage("ok", "Copied to the clipboard."));
    } catch {
      getSelection()?.selectAllChildren(createdValue);
      formState.replaceChildren(stateMessage("empty", "Copying is blocked here: the key is selected, copy it by hand."));
    }
  });
  byId("use-key", HTMLButtonElement).addEventListener("click", () => {
    deps.useForDashboard(createdValue.textContent ?? "");
    formState.replaceChildren(stateMessage("ok", "The dashboard now reads with this key."));
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    button.disabled = true;
    formState.replaceChildren(stateMessage("loading", "Creating the key…"));
    try {
      const { key } = await deps.api.createApiKey(requestFrom(form));
      createdValue.textContent = key;
      created.hidden = false;
      formState.replaceChildren(stateMessage("ok", "Key created. Copy it now: it will not be shown again."));
      form.reset();
      permissionBoxes(byId("permission-boxes", HTMLFieldSetElement).querySelector("div")!);
      await load();
    } catch (error) {
      formState.replaceChildren(stateMessage(errorState(error), describeError(error)));
    } finally {
      button.disabled = false;
    }
  });

  async function usageCell(key: ListedApiKey): Promise<HTMLElement> {
    try {
      const usage = await deps.api.apiKeyUsage(key.id, USAGE_DAYS);
      const total = usage.days.reduce((sum, day) => sum + day.total, 0);
      const denied = usage.days.reduce((sum, day) => sum + (day.byOutcome.denied ?? 0) + (day.byOutcome.rate_limited ?? 0), 0);
      const last = usage.lastUsedAt ? `last ${formatTime(usage.lastUsedAt)}` : "never used";
      const requests = `${formatNumber(total)} request${total === 1 ? "" : "s"}`;
      return el("td", { className: "usage", text: `${requests} in ${USAGE_DAYS} d (${formatNumber(denied)} refused), ${last}` });
    } catch (error) {
      return el("td", { className: "error", text: describeError(error) });
    }
  }

  function nameCell(key: ListedApiKey): HTMLTableCellElement {
    const cell = el("th", { text: key.name });
    if (key.status === "active" && deps.isDashboardKey(key.prefix)) {
      cell.append(el("span", { className: "muted in-use", text: " (this browser's dashboard reads with it)" }));
      cell.dataset.dashboardKey = "true";
    }
    return cell;
  }

  function row(key: ListedApiKey, usage: HTMLElement): HTMLTableRowElement {
    const actions = el("td");
    if (key.status === "active") {
      const revoke = el("button", { className: "danger", text: "Revoke" });
      revoke.type = "button";
      revoke.setAttribute("aria-label", `Revoke ${key.name}`);
      revoke.addEventListener("click", async () => {
        revoke.disabled = true;
        try {
          await deps.api.revokeApiKey(key.id);
          deps.onRevoked(key.prefix);
          await load();
        } catch (error) {
          actions.replaceChildren(stateMessage(errorState(error), describeError(error)));
        }
      });
      actions.append(revoke);
    }
    const expiry = key.expiresAt ? formatTime(key.expiresAt) : "never";
    const tr = el(
      "tr",
      {},
      nameCell(key),
      el("td", {}, el("code", { text: `${key.prefix}…` })),
      el("td", { text: key.permissions.join(", ") }),
      el("td", { className: `status-${key.status}`, text: key.status }),
      el("td", { text: `expires ${expiry}; ${formatNumber(key.rateLimitPerMinute)}/min` }),
      usage,
      actions,
    );
    tr.dataset.keyId = key.id;
    tr.dataset.status = key.status;
    return tr;
  }

  async function load() {
    list.replaceChildren(stateMessage("loading", "Loading your keys…"));
    try {
      const keys = await deps.api.listApiKeys();
      if (keys.length === 0) {
        list.replaceChildren(stateMessage("empty", "You have no API keys yet."));
        return;
      }
      const usages = await Promise.all(keys.map(usageCell));
      const head = el("tr", {}, ...["Name", "Prefix", "Permissions", "Status", "Limits", "Usage", ""].map((h) => el("th", { text: h })));
      list.replaceChildren(el("table", { className: "keys" }, el("thead", {}, head), el("tbody", {}, ...keys.map((k, i) => row(k, usages[i])))));
    } catch (error) {
      list.replaceChildren(stateMessage(errorState(error), `Could not list your keys: ${describeError(error)}`));
    }
  }

  return { load };
}
