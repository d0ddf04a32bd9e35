/**
 * @module session-issuer
 * Mints and revokes the `__session` cookie behind `POST` and `DELETE /v1/session`.
 */
import type { Auth } from "firebase-admin/auth";

/** Session cookies last five days; Firebase allows up to two weeks. */
export const SESSION_COOKIE_TTL_MS = 5 * 86_400_000;
/** A session cookie is only minted from a sign-in this recent, as Firebase recommends. */
export const RECENT_SIGN_IN_MS = 5 * 60_000;

export interface SessionIssuer {
  /** The uid and sign-in time of a valid, unrevoked ID token, or null. */
  inspectIdToken(idToken: string): Promise<{ uid: string; authTimeMs: number } | null>;
  createSessionCookie(idToken: string, expiresInMs: number): Promise<string>;
  /** Revokes every refresh token and session cookie of `uid`. */
  revokeSessions(uid: string): Promise<void>;
}

export function firebaseSessionIssuer(auth: Auth): SessionIssuer {
  return {
    async inspectIdToken(idToken) {
      try {
        const decoded = await auth.verifyIdToken(idToken, true);
        return { uid: decoded.uid, authTimeMs: decoded.auth_time * 1000 };
      } catch {
        return null;
      }
    },
    createSessionCookie: (idToken, expiresIn) => auth.createSessionCookie(idToken, { expiresIn }),
    revokeSessions: (uid) => auth.revokeRefreshTokens(uid),
  };
}
