/**
 * @module credentials
 * Pulls the caller's credentials out of request headers, without judging them. A request may carry
 * a session as `Authorization: Bearer <ID token>` or as the `__session` cookie (the only cookie
 * Firebase Hosting forwards to functions); the bearer token wins when both are present.
 */

export type SessionCredential = { kind: "idToken"; token: string } | { kind: "sessionCookie"; token: string };

/** Longest credential accepted; Firebase ID tokens and session cookies are far shorter. */
const MAX_CREDENTIAL_LENGTH = 8192;

/** The session credential in the headers, or null when there is none (or it is unusably long). */
export function sessionCredential(authorization: string | undefined, sessionCookie: string | undefined): SessionCredential | null {
  const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (bearer && bearer.length <= MAX_CREDENTIAL_LENGTH) return { kind: "idToken", token: bearer };
  if (sessionCookie && sessionCookie.length <= MAX_CREDENTIAL_LENGTH) return { kind: "sessionCookie", token: sessionCookie };
  return null;
}
