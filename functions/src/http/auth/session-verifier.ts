/**
 * @module session-verifier
 * Turns a session credential into a user. The Firebase implementation verifies ID tokens and session
 * cookies and checks both for revocation (one Auth call; `cached-session-verifier.ts` keeps that off
 * the hot path). On the emulator, FIREBASE_AUTH_EMULATOR_HOST makes it accept the emulator's tokens.
 */
import type { Auth } from "firebase-admin/auth";
import type { SessionCredential } from "./credentials";

export interface VerifiedSession {
  uid: string;
  /** When the credential itself expires. */
  expiresAtMs: number;
  /** The custom claim `operator: true`, set with the Admin SDK (`permissions.ts`, OPERATOR_PERMISSIONS). */
  operator: boolean;
}

export interface SessionVerifier {
  /** The verified session, or null when the credential is invalid, expired or revoked. */
  verify(credential: SessionCredential): Promise<VerifiedSession | null>;
}

export function firebaseSessionVerifier(auth: Auth): SessionVerifier {
  return {
    async verify(credential) {
      try {
        const decoded =
          credential.kind === "idToken" ? await auth.verifyIdToken(credential.token, true) : await auth.verifySessionCookie(credential.token, true);
        return { uid: decoded.uid, expiresAtMs: decoded.exp * 1000, operator: decoded.operator === true };
      } catch {
        return null;
      }
    },
  };
}
