/**
 * @module hostile-world
 * The world every hostile suite attacks: mallory (a member of Globex, with an agent of her own) and
 * alice (owner of Acme, the victim, with an agent), both signed in through the Auth emulator, and
 * what mallory may read. The suites differ only in how requests reach the app.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import { signUp, unique } from "./emulators";

export interface HostileWorld {
  ids: { mallory: string; alice: string; globex: string; acme: string; mine: string; theirs: string };
  malloryToken: string;
  aliceToken: string;
  /** The `scope:id` of every metrics document mallory may read. */
  readable: Set<string>;
  /** The targets the request generator aims at, with mallory's key. */
  targets(malloryKey: string, token: string): { own: { agentId: string; uid: string; orgId: string }; victim: { agentId: string; uid: string; orgId: string }; credentials: { token: string; apiKey: string } };
}

/** Signs both users up and writes their organizations, profiles and agents to `db`. */
export async function seedHostileWorld(db: Firestore, prefixName: string): Promise<HostileWorld> {
  const prefix = unique(prefixName);
  const ids = { mallory: `${prefix}-mallory`, alice: `${prefix}-alice`, globex: `${prefix}-globex`, acme: `${prefix}-acme`, mine: `${prefix}-agent-m`, theirs: `${prefix}-agent-a` };
  // The Auth emulator's sign-in serves the default project, so the users live there.
  const malloryToken = await signUp(ids.mallory);
  const aliceToken = await signUp(ids.alice);
  const batch = db.batch();
  batch.set(db.doc(`${COLLECTIONS.organizations}/${ids.globex}`), { name: "Globex" });
  batch.set(db.doc(`${COLLECTIONS.organizations}/${ids.acme}`), { name: "Acme" });
  batch.set(db.doc(`${COLLECTIONS.users}/${ids.mallory}`), { orgId: ids.globex, role: "member" });
  batch.set(db.doc(`${COLLECTIONS.users}/${ids.alice}`), { orgId: ids.acme, role: "owner" });
  batch.set(db.doc(`${COLLECTIONS.agents}/${ids.mine}`), { name: "Mine", ownerId: ids.mallory, orgId: ids.globex, createdAt: Timestamp.now() });
  batch.set(db.doc(`${COLLECTIONS.agents}/${ids.theirs}`), { name: "Theirs", ownerId: ids.alice, orgId: ids.acme, createdAt: Timestamp.now() });
  await batch.commit();
  return {
    ids,
    malloryToken,
    aliceToken,
    readable: new Set([`agent:${ids.mine}`, `user:${ids.mallory}`, `org:${ids.globex}`]),
    targets: (apiKey, token) => ({ own: { agentId: ids.mine, uid: ids.mallory, orgId: ids.globex }, victim: { agentId: ids.theirs, uid: ids.alice, orgId: ids.acme }, credentials: { token, apiKey } }),
  };
}
