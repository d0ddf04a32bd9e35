/**
 * @module session
 * The signed-in user as the page needs it: who, and how to prove it to the API. The Auth emulator's
 * unsigned ID tokens are accepted by the emulated functions, so no real project is needed locally.
 */
import { onAuthStateChanged, signInWithEmailAndPassword, signOut, type Auth } from "firebase/auth";

export interface SignedInUser {
  uid: string;
  email: string;
}

export interface Session {
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** The signed-in user, or null (a restored session counts once the SDK has loaded it). */
  user(): SignedInUser | null;
  /** A fresh ID token (the SDK refreshes it when near expiry), or null when signed out. */
  idToken(): Promise<string | null>;
  /** Calls `listener` once the SDK knows the user, and on every sign-in or sign-out. */
  onChange(listener: (user: SignedInUser | null) => void): void;
}

/**
 * The session over an initialised Auth instance.
 * @example const session = sessionOf(auth); await session.signIn("alice@acme.test", "demo-password");
 */
export function sessionOf(auth: Auth): Session {
  const current = (): SignedInUser | null => (auth.currentUser ? { uid: auth.currentUser.uid, email: auth.currentUser.email ?? auth.currentUser.uid } : null);
  return {
    async signIn(email, password) {
      await signInWithEmailAndPassword(auth, email, password);
    },
    signOut: () => signOut(auth),
    user: current,
    idToken: async () => (auth.currentUser ? auth.currentUser.getIdToken() : null),
    onChange(listener) {
      onAuthStateChanged(auth, () => listener(current()));
    },
  };
}
