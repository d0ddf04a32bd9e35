/**
 * @module emulators
 * Access to the emulators that `firebase emulators:exec` started for this run. Hosts come only from
 * the environment it sets; a suite run without them fails at once with a sentence saying how to run
 * it, rather than passing vacuously.
 */
import { getApps, initializeApp, type App } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";

export const PROJECT_ID = "demo-metrics";
/** A project in the same emulator where no function triggers fire: for driving handlers by hand. */
export const ISOLATED_PROJECT_ID = "demo-metrics-isolated";

export function requireEmulators(): void {
  for (const name of ["FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "FIREBASE_EMULATOR_HUB"]) {
    if (!process.env[name]) throw new Error(`${name} is not set: run emulator suites through \`npm test\` (firebase emulators:exec).`);
  }
}

function app(projectId: string): App {
  requireEmulators();
  return getApps().find((a) => a.name === projectId) ?? initializeApp({ projectId }, projectId);
}

export const adminDb = (projectId = PROJECT_ID) => getFirestore(app(projectId));
export const adminAuth = (projectId = PROJECT_ID) => getAuth(app(projectId));

/** The base URL of the `api` function, found through the emulator hub. */
export async function apiBaseUrl(): Promise<string> {
  requireEmulators();
  const res = await fetch(`http://${process.env.FIREBASE_EMULATOR_HUB}/emulators`);
  const list = (await res.json()) as Record<string, { host: string; port: number }>;
  const functions = list.functions;
  if (!functions) throw new Error("The Functions emulator is not running in this emulators:exec.");
  return `http://${functions.host}:${functions.port}/${PROJECT_ID}/us-central1/api`;
}

/** The base URL of the Hosting emulator (which rewrites `/api/**` to the `api` function), found through the hub. */
export async function hostingBaseUrl(): Promise<string> {
  requireEmulators();
  const list = (await (await fetch(`http://${process.env.FIREBASE_EMULATOR_HUB}/emulators`)).json()) as Record<string, { host: string; port: number }>;
  if (!list.hosting) throw new Error("The Hosting emulator is not running in this emulators:exec.");
  return `http://${list.hosting.host}:${list.hosting.port}`;
}

/** Creates a user with a password and returns a fresh ID token for it. */
export async function signUp(uid: string, projectId = PROJECT_ID): Promise<string> {
  await adminAuth(projectId).createUser({ uid, email: emailOf(uid), password: PASSWORD });
  return signIn(uid);
}

/** A fresh ID token for a user made by `signUp` (after a revocation, for one). */
export async function signIn(uid: string): Promise<string> {
  const res = await fetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any`,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: emailOf(uid), password: PASSWORD, returnSecureToken: true }) },
  );
  const body = (await res.json()) as { idToken?: string };
  if (!body.idToken) throw new Error(`sign-in failed for ${uid}`);
  return body.idToken;
}

const PASSWORD = "test-password-1";
const emailOf = (uid: string) => `${uid.toLowerCase()}@example.test`;

/** Polls `probe` until it returns a value that `done` accepts, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    last = await probe();
  }
  return last;
}

/** A suffix that keeps each test's documents apart from every other test's. */
/** Deletes every document of `projectId` in the Firestore emulator (its own endpoint). */
export async function clearProject(projectId: string): Promise<void> {
  const res = await fetch(`http://${process.env.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: "DELETE" });
  if (!res.ok) throw new Error(`clearing the documents of ${projectId} failed: ${res.status}`);
}

export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** What a keyed call answers: the status, the raw text and the parsed body (null when empty). */
export interface KeyedAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/**
 * Calls the API as a keyed client does: the session token and the API key on every request, JSON
 * bodies, and `fresh` for `Cache-Control: no-cache` (the stored view, as a client that just wrote
 * asks). `credentials` is read at each call, so a suite can set it in its `before`.
 */
export function keyedCaller(credentials: () => { base: string; token: string; key: string }) {
  return async (path: string, init: { method?: string; body?: unknown; fresh?: boolean } = {}): Promise<KeyedAnswer> => {
    const { base, token, key } = credentials();
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? "GET",
      headers: { Authorization: `Bearer ${token}`, "X-API-Key": key, "content-type": "application/json", ...(init.fresh && { "Cache-Control": "no-cache" }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
  };
}
