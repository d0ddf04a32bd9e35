/**
 * @module access-policy
 * Who may read which metrics, independent of how the facts were loaded. Routes answer 403 both when
 * the target exists and the caller may not read it and when the target is missing and the caller
 * cannot be shown to be entitled to it, so the status never reveals whether an id exists.
 */
import type { AgentOwnership } from "../documents/source-documents";

export type Role = "owner" | "admin" | "member" | "viewer";

/** The caller, as its `users/{uid}` profile describes it (profile may be missing). */
export interface Viewer {
  uid: string;
  orgId: string | null;
  role: Role | null;
}

/** An agent's metrics: its owner and every member of the agent's organization. */
export function canReadAgent(viewer: Viewer, agent: AgentOwnership): boolean {
  return agent.ownerId === viewer.uid || (viewer.orgId !== null && viewer.orgId === agent.orgId);
}

/** Writing an agent's interactions or recomputing its view: its owner, and its organization's non-viewer members. */
export function canWriteAgent(viewer: Viewer, agent: AgentOwnership): boolean {
  if (agent.ownerId === viewer.uid) return true;
  return viewer.orgId !== null && viewer.orgId === agent.orgId && viewer.role !== null && viewer.role !== "viewer";
}

/** A user's metrics: that user, and owners and admins of that user's organization. */
export function canReadUser(viewer: Viewer, target: { uid: string; orgId: string | null }): boolean {
  if (viewer.uid === target.uid) return true;
  const isOrgManager = viewer.role === "owner" || viewer.role === "admin";
  return isOrgManager && viewer.orgId !== null && viewer.orgId === target.orgId;
}

/** An organization's metrics: its members. */
export function canReadOrg(viewer: Viewer, orgId: string): boolean {
  return viewer.orgId !== null && viewer.orgId === orgId;
}
