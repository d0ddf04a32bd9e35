/**
 * @module directory
 * What the page reads and writes through the Firestore web SDK, under firestore.rules: the user's
 * profile, the agents they own, and new context sources (the one source collection a client writes
 * here). Metrics never come from here: they are read, signed, through the API.
 */
import { SOURCE_STATUSES, SOURCE_TYPES } from "metrics-functions/contract";
import { addDoc, collection, doc, getDoc, getDocs, query, serverTimestamp, where, type Firestore } from "firebase/firestore/lite";

export interface Profile {
  orgId: string | null;
  role: string | null;
  displayName: string | null;
}

export interface AgentSummary {
  id: string;
  name: string;
}

export { SOURCE_STATUSES, SOURCE_TYPES };

export interface NewSource {
  agentId: string;
  type: (typeof SOURCE_TYPES)[number];
  sizeBytes: number;
  tokenCount: number;
  status: (typeof SOURCE_STATUSES)[number];
}

const text = (value: unknown) => (typeof value === "string" ? value : null);

/** `users/{uid}` (readable by that user only); empty fields when there is no profile. */
export async function readProfile(db: Firestore, uid: string): Promise<Profile> {
  const data = (await getDoc(doc(db, "users", uid))).data() ?? {};
  return { orgId: text(data.orgId), role: text(data.role), displayName: text(data.displayName) };
}

/** The agents `uid` owns, by name. */
export async function listOwnedAgents(db: Firestore, uid: string): Promise<AgentSummary[]> {
  const snapshot = await getDocs(query(collection(db, "agents"), where("ownerId", "==", uid)));
  return snapshot.docs.map((d) => ({ id: d.id, name: text(d.get("name")) ?? d.id })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Adds a context source exactly as firestore.rules accepts it: every field, server timestamps, and
 * only to an agent the user owns. The source trigger then updates the agent's signed view.
 */
export async function addSource(db: Firestore, source: NewSource): Promise<string> {
  const ref = await addDoc(collection(db, "context_sources"), { ...source, createdAt: serverTimestamp(), updatedAt: serverTimestamp() });
  return ref.id;
}
