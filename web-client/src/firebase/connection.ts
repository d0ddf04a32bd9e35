/**
 * @module connection
 * Starts the Firebase web SDK once for the page. Behind the Hosting emulator it connects Auth and
 * Firestore to the emulators that Hosting names (any ports); deployed, it uses the project config
 * that Hosting serves at `/__/firebase/init.json`.
 *
 * Only what the page uses is bundled. Firestore is `firebase/firestore/lite`: the page makes single
 * reads, one query and one write (directory.ts), so it needs no listeners, offline cache or
 * WebChannel transport, which with their regex engine (re2js) are most of the full SDK. Auth is
 * `initializeAuth` with one persistence, IndexedDB (the first that `getAuth` would have picked, so a
 * signed-in user is restored across reloads and tabs as before), and no popup/redirect resolver:
 * the page signs in with email and password only. docs/WEB-CLIENT.md has the bundle's size.
 */
import { initializeApp, type FirebaseOptions } from "firebase/app";
import { connectAuthEmulator, indexedDBLocalPersistence, initializeAuth, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore/lite";
import { discoverEmulatorHosts } from "./emulator-hosts";

/** The local project: a `demo-` id never reaches a real project. */
const DEMO_CONFIG: FirebaseOptions = { projectId: "demo-metrics", apiKey: "demo-api-key", authDomain: "demo-metrics.firebaseapp.com" };

export interface FirebaseConnection {
  auth: Auth;
  db: Firestore;
  /** True when talking to emulators. */
  emulated: boolean;
}

async function hostedConfig(): Promise<FirebaseOptions | null> {
  try {
    const response = await fetch("/__/firebase/init.json", { cache: "no-store" });
    const config = response.ok ? ((await response.json()) as FirebaseOptions | null) : null;
    return config?.apiKey && config.projectId ? config : null;
  } catch {
    return null;
  }
}

/**
 * The page's Auth and Firestore, connected to the emulators when Hosting names them.
 * @example const { auth, db } = await connectFirebase();
 */
export async function connectFirebase(): Promise<FirebaseConnection> {
  const emulators = await discoverEmulatorHosts();
  const emulated = emulators.auth !== undefined || emulators.firestore !== undefined;
  const app = initializeApp(emulated ? DEMO_CONFIG : ((await hostedConfig()) ?? DEMO_CONFIG));
  const auth = initializeAuth(app, { persistence: indexedDBLocalPersistence });
  const db = getFirestore(app);
  if (emulators.auth) connectAuthEmulator(auth, `http://${emulators.auth}`, { disableWarnings: true });
  if (emulators.firestore) connectFirestoreEmulator(db, emulators.firestore.host, emulators.firestore.port);
  return { auth, db, emulated };
}
