/**
 * @module load-world
 * The mixed load's world, in a Firestore emulator process of its own (`firestore-process.ts`: the run
 * stops and restarts it) and a project of its own (`demo-metrics-load`: no trigger fires and no other
 * suite writes, so the hourly reconcile that ends a run sees only this run's agents): two
 * organizations, several users signed in through the Auth emulator, a few agents each.
 * API keys are created later through the app's own `POST /v1/api-keys` (load-instance.ts).
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { parseKeyring, type Keyring } from "../../functions/src/signing/signing";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { signUp, unique } from "../support/emulators";
import { firestoreAt, startFirestoreProcess, type FirestoreProcess } from "./firestore-process";

export const LOAD_PROJECT_ID = "demo-metrics-load";

export interface LoadUser {
  uid: string;
  idToken: string;
  agentIds: string[];
}

export interface LoadWorld {
  /** The load's own Firestore emulator. */
  firestore: FirestoreProcess;
  /** A client straight to it (seeding and the final checks never go through the outage proxy). */
  db: Firestore;
  keyring: Keyring;
  pepper: string;
  prefix: string;
  users: LoadUser[];
  /** Every agent of the run. */
  agentIds: string[];
}

/**
 * Starts the load's Firestore emulator, and creates `users` users (alternating between two
 * organizations) with `agentsPerUser` agents each. `world.firestore.stop()` ends it.
 */
export async function createLoadWorld(users: number, agentsPerUser: number): Promise<LoadWorld> {
  const secrets = readLocalSecrets();
  const firestore = await startFirestoreProcess(LOAD_PROJECT_ID);
  const db = firestoreAt(firestore.address, LOAD_PROJECT_ID);
  const prefix = unique("load");
  const orgs = [`${prefix}-org-a`, `${prefix}-org-b`];
  const now = Timestamp.now();
  const batch = db.batch();
  orgs.forEach((orgId) => batch.set(db.doc(`${COLLECTIONS.organizations}/${orgId}`), { name: orgId }));
  const list = await Promise.all(
    Array.from({ length: users }, async (_, u): Promise<LoadUser> => {
      // The Auth emulator's sign-in serves the default project, so the users live there.
      const uid = `${prefix}-user-${u}`;
      const idToken = await signUp(uid);
      const orgId = orgs[u % orgs.length];
      batch.set(db.doc(`${COLLECTIONS.users}/${uid}`), { orgId, role: "member", displayName: `Load ${u}` });
      const agentIds = Array.from({ length: agentsPerUser }, (_, a) => `${prefix}-agent-${u}-${a}`);
      agentIds.forEach((agentId) => batch.set(db.doc(`${COLLECTIONS.agents}/${agentId}`), { name: agentId, ownerId: uid, orgId, createdAt: now }));
      return { uid, idToken, agentIds };
    }),
  );
  await batch.commit();
  return { firestore, db, keyring: parseKeyring(secrets.METRICS_SIGNING_KEYRING), pepper: secrets.API_KEY_PEPPER, prefix, users: list, agentIds: list.flatMap((u) => u.agentIds) };
}
