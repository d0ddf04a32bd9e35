/**
 * @module connection
 * Starts the Firebase web SDK once for the page. Behind the Hosting emulator it connects Auth and
 * Firestore to the emulators that Hosting names (any ports); deployed, it uses the project config
 * that Hosting serves at `/__/firebase/init.json`.
 */
import { initializeApp, type FirebaseOptions } from "firebase/app";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
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
  const auth = getAuth(app);
  const db = getFirestore(app);
  if (emulators.auth) connectAuthEmulator(auth, `http://${emulators.auth}`, { disableWarnings: true });
  if (emulators.firestore) connectFirestoreEmulator(db, emulators.firestore.host, emulators.firestore.port);
  return { auth, db, emulated };
}
