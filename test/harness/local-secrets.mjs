/**
 * @module local-secrets
 * The emulator's secrets live in `functions/.secret.local` (git-ignored), which the Functions
 * emulator reads for `defineSecret` values. They are generated on first run on each machine, so no
 * secret is ever committed, and the same file lets in-process tests and the demo seeder use the
 * exact values the emulated functions use. The emulator's values of the plain (non-secret) params go in
 * `functions/.env.local` (git-ignored, read only by the emulator): without a value the Functions
 * emulator prompts for a param even when it has a default, which would hang `npm test`. A deployed
 * project gets its values the usual way (`firebase deploy` asks once and keeps them in `.env.<project>`).
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PARAMS_FILE, ROOT, SECRET_FILE } from "./paths.mjs";

/** Writes the local secrets file if it is missing; needs the functions build (for the keyring format). */
export function ensureLocalSecrets() {
  if (existsSync(SECRET_FILE)) return;
  const require = createRequire(import.meta.url);
  const { generateKeyringSecret } = require(join(ROOT, "functions", "lib", "signing", "signing.js"));
  const keyring = JSON.stringify(generateKeyringSecret(`local-${new Date().toISOString().slice(0, 10)}`));
  const pepper = randomBytes(32).toString("base64url");
  // Single quotes keep the JSON literal in firebase-tools' dotenv parser.
  writeFileSync(SECRET_FILE, `METRICS_SIGNING_KEYRING='${keyring}'\nAPI_KEY_PEPPER='${pepper}'\n`, { mode: 0o600 });
}

/** The emulator's values of the plain params (the defaults of functions/src/config/params.ts). */
const LOCAL_PARAMS = { RETENTION_DAYS: "30" };

/** Writes `functions/.env.local` if it is missing. */
export function ensureLocalParams() {
  if (existsSync(PARAMS_FILE)) return;
  writeFileSync(PARAMS_FILE, Object.entries(LOCAL_PARAMS).map(([name, value]) => `${name}=${value}\n`).join(""));
}

/**
 * The local secrets as a name → value map.
 * @returns {Record<string, string>}
 */
export function readLocalSecrets() {
  /** @type {Record<string, string>} */
  const values = {};
  for (const line of readFileSync(SECRET_FILE, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)='(.*)'$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}
