/**
 * @module emulator-hosts
 * Where the Auth and Firestore emulators listen, learnt from the Hosting emulator that serves the
 * page: its `/__/firebase/init.js?useEmulator=true` names every running emulator's host and port,
 * so the page works on whatever ports the emulators were given. Deployed Hosting answers the same
 * script without emulators, and the page then talks to the real services.
 */

export interface EmulatorHosts {
  /** "host:port" of the Auth emulator. */
  auth?: string;
  firestore?: { host: string; port: number };
}

const EMULATORS_LINE = /var firebaseEmulators = (\{[\s\S]*?\n\});/;

/**
 * The emulators named in the Hosting emulator's init script; empty when it names none.
 * @example emulatorHostsFrom('var firebaseEmulators = {\n  "auth": { "hostAndPort": "127.0.0.1:9099" }\n};').auth // "127.0.0.1:9099"
 */
export function emulatorHostsFrom(initScript: string): EmulatorHosts {
  const match = EMULATORS_LINE.exec(initScript);
  if (!match) return {};
  let listed: Record<string, { host?: unknown; port?: unknown; hostAndPort?: unknown }>;
  try {
    listed = JSON.parse(match[1]);
  } catch {
    return {};
  }
  const hosts: EmulatorHosts = {};
  if (typeof listed.auth?.hostAndPort === "string") hosts.auth = listed.auth.hostAndPort;
  const { host, port } = listed.firestore ?? {};
  if (typeof host === "string" && typeof port === "number") hosts.firestore = { host, port };
  return hosts;
}

/** Fetches the init script from the page's own origin; no emulators when it cannot be read. */
export async function discoverEmulatorHosts(): Promise<EmulatorHosts> {
  try {
    const response = await fetch("/__/firebase/init.js?useEmulator=true", { cache: "no-store" });
    return response.ok ? emulatorHostsFrom(await response.text()) : {};
  } catch {
    return {};
  }
}
