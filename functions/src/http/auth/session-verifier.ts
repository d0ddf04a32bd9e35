/**
 * @module session-verifier
 * Turns a session credential into a user id. The Firebase implementation verifies ID tokens locally
 * against Google's cached public keys (the Auth emulator's unsigned tokens when
 * FIREBASE_AUTH_EMULATOR_HOST is set) and checks session cookies for revocation.
 */
import type { Auth } from "firebase-admin/auth";
import type { SessionCredential } from "./credentials";

export interface SessionVerifier {
  /** The verified user id, or null when the credential is invalid, expired or revoked. */
  verify(credential: SessionCredential): Promise<string | null>;
}

export function firebaseSessionVerifier(auth: Auth): SessionVerifier {
  return {
    async verify(credential) {
      try {
        const decoded =
          credential.kind === "idToken" ? await auth.verifyIdToken(credential.token) : await auth.verifySessionCookie(credential.token, true);
        return decoded.uid;
      } catch {
        return null;
      }
    },
  };
}
