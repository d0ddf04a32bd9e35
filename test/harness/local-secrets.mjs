/**
 * @module local-secrets
 * The emulator's secrets live in `functions/.secret.local` (git-ignored), which the Functions
 * emulator reads for `defineSecret` values. They are generated on first run on each machine, so no
 * secret is ever committed, and the same file lets in-process tests and the demo seeder use the
 * exact values the emulated functions use.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT, SECRET_FILE } from "./paths.mjs";

/** Writes the local secrets file if it is missing; needs the functions build (for the keyring format). */
export function ensureLocalSecrets() {
  if (existsSync(SECRET_FILE)) return;
  const require = createRequire(import.meta.url);
  const { generateKeyringSecret } = require(join(ROOT, "functions", "lib", "domain", "signing.js"));
  const keyring = JSON.stringify(generateKeyringSecret(`local-${new Date().toISOString().slice(0, 10)}`));
  const pepper = randomBytes(32).toString("base64url");
  // Single quotes keep the JSON literal in firebase-tools' dotenv parser.
  writeFileSync(SECRET_FILE, `METRICS_SIGNING_KEYRING='${keyring}'\nAPI_KEY_PEPPER='${pepper}'\n`, { mode: 0o600 });
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
