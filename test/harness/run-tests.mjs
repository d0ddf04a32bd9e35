/**
 * @module run-tests
 * `npm test`: the unit suites first (no emulator, seconds), then every emulator-backed suite inside
 * one `firebase emulators:exec`, which sets FIRESTORE_EMULATOR_HOST and friends for the tests and
 * tears the emulators down afterwards: the emulator and rules suites, and the browser suites, which
 * drive Chromium against the pages Hosting serves from web-client/dist (built by bootstrap).
 * `--unit` runs only the first part. `--only <substring>[,<substring>...]` keeps only the test files
 * whose path contains one of the substrings (unit, emulator, rules and browser alike): a quick run of
 * the suites a change touches; `npm test` always runs them all.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { FIREBASE_BIN, PROJECT_ID, ROOT } from "./paths.mjs";
import { emulatorEnv } from "./emulator-env.mjs";
import { runtimeEnv } from "./runtime-node.mjs";

function findTests(dir, suffix) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path, suffix));
    else if (name.endsWith(suffix)) out.push(relative(ROOT, path));
  }
  return out.sort();
}

const nodeTest = (files, preload = []) => ["node", "--import", "tsx", ...preload.flatMap((p) => ["--import", p]), "--test", "--test-reporter=spec", ...files];
/** Emulator and browser suites hold every answer the API gives them to its OpenAPI document. */
const CHECK_ANSWERS = ["./test/support/openapi-preload.ts"];

const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? "").split(",").filter(Boolean) : [];
const selected = (files) => (only.length ? files.filter((file) => only.some((part) => file.includes(part))) : files);

function section(title) {
  process.stdout.write(`\n━━ ${title} ━━\n`);
}

// `--no-typecheck`: for a quick run of a few suites while someone else's edit does not compile yet; `npm test` always checks.
if (!process.argv.includes("--no-typecheck")) {
  section("Type check (functions, web-client and tests)");
  const typecheck = spawnSync("npm", ["run", "typecheck", "--silent"], { cwd: ROOT, stdio: "inherit" });
  if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);
}

section("Unit tests (pure logic, no emulator)");
const unitFiles = selected(findTests(join(ROOT, "test", "unit"), ".test.ts"));
const unitCommand = nodeTest(unitFiles);
const unit = unitFiles.length ? spawnSync(unitCommand[0], unitCommand.slice(1), { cwd: ROOT, stdio: "inherit", env: runtimeEnv() }) : { status: 0 };
if (unit.status !== 0 || process.argv.includes("--unit")) process.exit(unit.status ?? 1);

section("Emulator and browser tests (Auth, Firestore, Functions and Hosting emulators)");
const emulatorFiles = selected([...findTests(join(ROOT, "test", "emulator"), ".emulator.test.ts"), ...findTests(join(ROOT, "test", "rules"), ".rules.test.ts")]);
const browserFiles = selected(findTests(join(ROOT, "test", "browser"), ".browser.test.ts"));
if (emulatorFiles.length + browserFiles.length === 0) process.exit(0);
// The browser suites run after the others, in the same emulators: Chromium's load would otherwise
// slow the triggers that the emulator suites poll with rate-limited keys. Both parts always run;
// the command fails when either does.
const command = !emulatorFiles.length
  ? nodeTest(browserFiles, CHECK_ANSWERS).join(" ")
  : browserFiles.length
  ? `${nodeTest(emulatorFiles, CHECK_ANSWERS).join(" ")}; status=$?; ${nodeTest(browserFiles, CHECK_ANSWERS).join(" ")} && exit $status`
  : nodeTest(emulatorFiles, CHECK_ANSWERS).join(" ");
const emulated = spawnSync(FIREBASE_BIN, ["emulators:exec", "--only", "auth,firestore,functions,hosting", "--project", PROJECT_ID, command], {
  cwd: ROOT,
  stdio: "inherit",
  env: emulatorEnv(),
});
process.exit(emulated.status ?? 1);
