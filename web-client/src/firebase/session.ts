/**
 * @module firebase-session
 * The one place the page touches the Firebase Auth SDK. On a local host it talks to the Auth
 * emulator, whose unsigned ID tokens the emulated functions accept, so no real project is needed.
 */
import { initializeApp } from "firebase/app";
import {
  connectAuthEmulator,
  getAuth,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut,
  type Auth,
  type User,
} from "firebase/auth";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);
const AUTH_EMULATOR_URL = "http://127.0.0.1:9099";

/** The signed-in user as the page needs it: who, and how to prove it to the API. */
export interface Session {
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** True once a user is signed in (restored sessions count once the SDK has loaded them). */
  isSignedIn(): boolean;
  /** A fresh ID token (the SDK refreshes it when near expiry), or null when signed out. */
  idToken(): Promise<string | null>;
  /** Calls `listener` now and on every sign-in or sign-out with the user's e-mail, or null. */
  onChange(listener: (email: string | null) => void): void;
}

/**
 * Starts Firebase for the `demo-metrics` project and returns the page's session.
 * @example const session = startSession(location.hostname); await session.signIn(email, password);
 */
export function startSession(hostname: string): Session {
  const app = initializeApp({ projectId: "demo-metrics", apiKey: "demo-api-key", authDomain: "demo-metrics.firebaseapp.com" });
  const auth: Auth = getAuth(app);
  if (LOCAL_HOSTS.has(hostname)) connectAuthEmulator(auth, AUTH_EMULATOR_URL, { disableWarnings: true });

  return {
    async signIn(email, password) {
      await signInWithEmailAndPassword(auth, email, password);
    },
    signOut: () => signOut(auth),
    isSignedIn: () => auth.currentUser !== null,
    idToken: async () => (auth.currentUser ? auth.currentUser.getIdToken() : null),
    onChange(listener) {
      onAuthStateChanged(auth, (user: User | null) => listener(user ? (user.email ?? user.uid) : null));
    },
  };
}
