/**
 * @module directory-store
 * Reads of the source collections that describe who owns what (`agents`, `users`), parsed with the
 * same schemas the triggers use. A document that does not parse is treated as missing.
 */
import type { Firestore } from "firebase-admin/firestore";
import type { Viewer } from "../domain/access-policy";
import { agentSchema, userProfileSchema, type Agent } from "../schemas/source-documents";
import { COLLECTIONS } from "./collections";

export interface DirectoryStore {
  /** The caller's profile and an agent, in one round trip. */
  viewerAndAgent(uid: string, agentId: string): Promise<{ viewer: Viewer; agent: Agent | null }>;
  /** The caller's profile and another user's organization (null when that user has no profile). */
  viewerAndUser(uid: string, targetUid: string): Promise<{ viewer: Viewer; target: { uid: string; orgId: string | null } | null }>;
  /** The caller's profile and whether the organization exists. */
  viewerAndOrg(uid: string, orgId: string): Promise<{ viewer: Viewer; orgExists: boolean }>;
}

function toViewer(uid: string, data: unknown): Viewer {
  const profile = userProfileSchema.safeParse(data ?? {});
  return {
    uid,
    orgId: profile.success ? (profile.data.orgId ?? null) : null,
    role: profile.success ? (profile.data.role ?? null) : null,
  };
}

export function firestoreDirectoryStore(db: Firestore): DirectoryStore {
  return {
    async viewerAndAgent(uid, agentId) {
      const [userSnap, agentSnap] = await db.getAll(
        db.collection(COLLECTIONS.users).doc(uid),
        db.collection(COLLECTIONS.agents).doc(agentId),
      );
      const agent = agentSchema.safeParse(agentSnap.data());
      return { viewer: toViewer(uid, userSnap.data()), agent: agentSnap.exists && agent.success ? agent.data : null };
    },
    async viewerAndUser(uid, targetUid) {
      const users = db.collection(COLLECTIONS.users);
      const [viewerSnap, targetSnap] = await db.getAll(users.doc(uid), users.doc(targetUid));
      const target = targetSnap.exists ? toViewer(targetUid, targetSnap.data()) : null;
      return { viewer: toViewer(uid, viewerSnap.data()), target: target ? { uid: targetUid, orgId: target.orgId } : null };
    },
    async viewerAndOrg(uid, orgId) {
      const [viewerSnap, orgSnap] = await db.getAll(db.collection(COLLECTIONS.users).doc(uid), db.collection(COLLECTIONS.organizations).doc(orgId));
      return { viewer: toViewer(uid, viewerSnap.data()), orgExists: orgSnap.exists };
    },
  };
}
