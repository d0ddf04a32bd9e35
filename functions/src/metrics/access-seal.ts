/**
 * @module access-seal
 * Who may read an agent view, as stored beside it (`_access`), signed by the server. The owner and
 * organization kept with a view decide reads on their own (one query both authorizes and loads), so
 * they carry a signature of their own over the agent, the view's version and the two ids: a
 * document edited outside the functions (a console edit, a leaked service account) cannot widen who
 * reads a view, and access copied from another agent or another revision does not verify. It is
 * signed with the views' keys under its own header (`signing`), and is never served.
 */
import type { AgentOwnership } from "../documents/source-documents";
import type { MetricsView } from "./metrics-view";
import type { Keyring, ViewSignature } from "../signing/signing";

/** An agent view's owner and organization with the server's signature over them. */
export interface SealedAccess extends AgentOwnership {
  signature: ViewSignature;
}

/** Access as a stored document holds it: not verified yet, and perhaps without a signature. */
export type StoredAccess = AgentOwnership & { signature?: ViewSignature };

/** What the signature covers: the two ids, bound to one revision of one agent's view. */
const signedAccess = (view: Pick<MetricsView, "id" | "version">, access: AgentOwnership) => ({ agentId: view.id, version: view.version, ownerId: access.ownerId, orgId: access.orgId });

/** Signs `access` as the owner and organization of `view`'s revision. */
export function sealAccess(view: Pick<MetricsView, "id" | "version">, access: AgentOwnership, keyring: Keyring, now: Date): SealedAccess {
  return { ownerId: access.ownerId, orgId: access.orgId, signature: keyring.sign(signedAccess(view, access), now, "access") };
}

/** The owner and organization of `view` when `access` is the server's signed statement of them, else null. */
export function verifiedAccess(view: Pick<MetricsView, "id" | "version">, access: StoredAccess | null, keyring: Keyring): AgentOwnership | null {
  if (!access?.signature) return null;
  const ownership = { ownerId: access.ownerId, orgId: access.orgId };
  return keyring.verify(signedAccess(view, ownership), access.signature, "access") ? ownership : null;
}
