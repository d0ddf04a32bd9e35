/**
 * @module directory-store
 * The facts access checks need from the source collections that describe who owns what (`users`,
 * `agents`, `organizations`), parsed with the same schemas the triggers use; a document that does not
 * parse is treated as missing. The documents are read through `DirectoryDocs`, which the API backs
 * with a short-lived cache (`directory/directory-cache.ts`), so a hot read makes no directory read.
 */
import type { DocumentData, Firestore } from "firebase-admin/firestore";
import type { Viewer } from "./access-policy";
import type { AgentAccessCache, Reader } from "./agent-access-cache";
import type { Agent, AgentOwnership } from "../documents/source-documents";

/** A user's profile facts; `exists` is false when there is no `users/{uid}` document. */
export interface ProfileFacts {
  exists: boolean;
  orgId: string | null;
  role: Viewer["role"];
}

/** Single-document lookups; calls made in the same turn may be served by one batched read. */
export interface DirectoryDocs {
  profile(uid: string): Promise<ProfileFacts>;
  agent(agentId: string): Promise<Agent | null>;
  orgExists(orgId: string): Promise<boolean>;
}

export interface DirectoryStore {
  /** The caller as their profile describes them. */
  viewer(uid: string): Promise<Viewer>;
  /**
   * The agents among `agentIds` that `reader` may read, with their owner and organization, decided
   * without reading the others (`directory/agent-access-cache.ts`).
   */
  readableAgents(reader: Reader, agentIds: readonly string[]): Promise<Map<string, AgentOwnership>>;
  /** What this instance already decided for `reader` and `agentId` (null: refused), or undefined: nothing usable held. */
  heldDecision(reader: Reader, agentId: string): AgentOwnership | null | undefined;
  /** The caller's profile and an agent. */
  viewerAndAgent(uid: string, agentId: string): Promise<{ viewer: Viewer; agent: Agent | null }>;
  /** The caller's profile and another user's organization (null when that user has no profile). */
  viewerAndUser(uid: string, targetUid: string): Promise<{ viewer: Viewer; target: { uid: string; orgId: string | null } | null }>;
  /** The caller's profile and whether the organization exists. */
  viewerAndOrg(uid: string, orgId: string): Promise<{ viewer: Viewer; orgExists: boolean }>;
}

const viewerOf = (uid: string, facts: ProfileFacts): Viewer => ({ uid, orgId: facts.orgId, role: facts.role });

/** The access-check queries, answered from single-document lookups issued together. */
export function directoryStore(docs: DirectoryDocs, access: AgentAccessCache): DirectoryStore {
  return {
    viewer: async (uid) => viewerOf(uid, await docs.profile(uid)),
    readableAgents: (reader, agentIds) => access.readable(reader, agentIds),
    heldDecision: (reader, agentId) => access.held(reader, agentId),
    async viewerAndAgent(uid, agentId) {
      const [profile, agent] = await Promise.all([docs.profile(uid), docs.agent(agentId)]);
      return { viewer: viewerOf(uid, profile), agent };
    },
    async viewerAndUser(uid, targetUid) {
      const [viewer, target] = await Promise.all([docs.profile(uid), docs.profile(targetUid)]);
      return { viewer: viewerOf(uid, viewer), target: target.exists ? { uid: targetUid, orgId: target.orgId } : null };
    },
    async viewerAndOrg(uid, orgId) {
      const [viewer, orgExists] = await Promise.all([docs.profile(uid), docs.orgExists(orgId)]);
      return { viewer: viewerOf(uid, viewer), orgExists };
    },
  };
}

/** Reads documents by path (`users/u1`, `agents/a1`, …) in one `getAll`; a missing one maps to null. */
export function firestoreDocumentReader(db: Firestore): (paths: string[]) => Promise<Map<string, DocumentData | null>> {
  return async (paths) => {
    if (paths.length === 0) return new Map();
    const snaps = await db.getAll(...paths.map((path) => db.doc(path)));
    return new Map(snaps.map((snap, i) => [paths[i], snap.exists ? (snap.data() ?? {}) : null]));
  };
}
