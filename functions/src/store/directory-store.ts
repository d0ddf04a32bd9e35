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
}

export function firestoreDirectoryStore(db: Firestore): DirectoryStore {
  return {
    async viewerAndAgent(uid, agentId) {
      const [userSnap, agentSnap] = await db.getAll(
        db.collection(COLLECTIONS.users).doc(uid),
        db.collection(COLLECTIONS.agents).doc(agentId),
      );
      const profile = userProfileSchema.safeParse(userSnap.data() ?? {});
      const agent = agentSchema.safeParse(agentSnap.data());
      return {
        viewer: {
          uid,
          orgId: profile.success ? (profile.data.orgId ?? null) : null,
          role: profile.success ? (profile.data.role ?? null) : null,
        },
        agent: agentSnap.exists && agent.success ? agent.data : null,
      };
    },
  };
}
