/**
 * @module bootstrap
 * Runs before `npm start`, `npm test` and `npm run bench`: installs what is missing, builds what the
 * emulators load, and prepares the local-only secrets and the Firestore emulator launcher. Uses only
 * Node's standard library, because on a fresh clone nothing else is installed yet.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";
import { fail } from "./fail.mjs";
import { prepareFirestoreLauncher, requireJava } from "./emulator-env.mjs";
import { ensureLocalParams, ensureLocalSecrets } from "./local-secrets.mjs";
import { requireRuntimeNode } from "./runtime-node.mjs";

function run(label, command, args) {
  process.stdout.write(`› ${label}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.error || result.status !== 0) fail(`${label} failed (see the output above); fix that and run the command again.`);
}

const LOCK = join(ROOT, "package-lock.json");
/** The lockfile's hash as of the last install: an unchanged lockfile with a new mtime (a checkout, a pull) needs no reinstall. */
const INSTALLED_LOCK = join(ROOT, "node_modules", ".installed-lock.sha256");
const lockHash = () => createHash("sha256").update(readFileSync(LOCK)).digest("hex");

function installIsCurrent() {
  if (!existsSync(LOCK)) return existsSync(join(ROOT, "node_modules", ".package-lock.json"));
  if (existsSync(INSTALLED_LOCK)) return readFileSync(INSTALLED_LOCK, "utf8").trim() === lockHash();
  // Installed before the hash was recorded: npm's own marker, newer than the lockfile, says it is current.
  const marker = join(ROOT, "node_modules", ".package-lock.json");
  const current = existsSync(marker) && statSync(marker).mtimeMs >= statSync(LOCK).mtimeMs;
  if (current) writeFileSync(INSTALLED_LOCK, lockHash());
  return current;
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: install Node 20.19 or newer and run the command again.`);
requireJava();
if (!installIsCurrent()) {
  const hasLock = existsSync(join(ROOT, "package-lock.json"));
  run("Installing dependencies (first run: a few minutes)", "npm", hasLock ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
  if (hasLock) writeFileSync(INSTALLED_LOCK, lockHash());
}
// Everything after this runs on the runtime Node that the install just brought (runtime-node.mjs).
requireRuntimeNode();
run("Building functions and web-client", "npm", ["run", "build", "--silent"]);
ensureLocalSecrets();
ensureLocalParams();
prepareFirestoreLauncher();
