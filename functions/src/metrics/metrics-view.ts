/**
 * @module metrics-view
 * The metrics document shared by the agent, user and organization scopes, and its life cycle:
 * every change yields a new revision (version + 1, computedAt = now) that is then sealed (signed).
 * What is signed and served is exactly the view without its signature.
 */
import type { Keyring, ViewSignature } from "../signing/signing";
import type { MetricsData, Scope } from "../contract/schemas/metrics";

export type { Scope };

/** The metrics of one agent, user or organization, as served in `data` (the contract's schema). */
export type MetricsView = MetricsData;

/** The blocks a computation produces; scope, id, version and time are added by `nextRevision`. */
export type ViewContent = Pick<MetricsView, "sources" | "interactions" | "windows" | "agentCount">;

/** A view together with the signature over it, as stored in the cache collections. */
export interface SealedView {
  data: MetricsView;
  signature: ViewSignature;
}

/** The next revision of a view: `previous` is null for a view that does not exist yet. */
export function nextRevision(scope: Scope, id: string, previous: MetricsView | null, content: ViewContent, now: Date): MetricsView {
  return { scope, id, ...content, computedAt: now.toISOString(), version: (previous?.version ?? 0) + 1 };
}

/** The content part of a view: what a revision changes (everything but identity, version and time). */
export function contentOf(view: MetricsView): ViewContent {
  const { scope: _scope, id: _id, computedAt: _computedAt, version: _version, ...content } = view;
  return content;
}

/** Signs a view with the keyring's active key. */
export function seal(view: MetricsView, keyring: Keyring, now: Date): SealedView {
  return { data: view, signature: keyring.sign(view, now, "view") };
}

/**
 * True when `sealed` is the view of `scope`/`id` and its signature verifies over exactly this data with
 * one of the keyring's keys. The identity is checked here, not left to callers: a view signed for
 * another agent (or as another scope) and stored under this id is as untrustworthy as a bad signature.
 */
export function isAuthentic(sealed: SealedView, keyring: Keyring, scope: Scope, id: string): boolean {
  return sealed.data?.scope === scope && sealed.data.id === id && keyring.verify(sealed.data, sealed.signature, "view");
}
