/**
 * @module emulator-env
 * Makes firebase-tools run Google's preinstalled Firestore emulator when the machine has it.
 *
 * The packaged jar has no Main-Class, so `java -jar` cannot start it; firebase-tools runs
 * `java -jar $FIRESTORE_EMULATOR_BINARY_PATH`. A manifest-only launcher jar names the main class and
 * puts the packaged jar on its class path. On a machine without that jar, firebase-tools downloads
 * its own emulator as usual and none of this applies.
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EMULATOR_DIR, LAUNCHER_JAR, SYSTEM_FIRESTORE_JAR } from "./paths.mjs";
import { fail } from "./fail.mjs";
import { runtimeEnv } from "./runtime-node.mjs";

/** Fails with a clear sentence when Java is missing (every Firebase emulator but Auth needs it). */
export function requireJava() {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    fail("Java is not installed, and the Firestore emulator needs it: install Java 17 or newer (on Debian: apt-get install openjdk-17-jre-headless) and run the command again.");
  }
}

/** Creates the launcher jar once, when the machine has Google's packaged Firestore emulator. */
export function prepareFirestoreLauncher() {
  if (!existsSync(SYSTEM_FIRESTORE_JAR) || existsSync(LAUNCHER_JAR)) return;
  mkdirSync(EMULATOR_DIR, { recursive: true });
  const manifest = join(EMULATOR_DIR, "launcher-manifest.txt");
  writeFileSync(
    manifest,
    "Main-Class: com.google.cloud.datastore.emulator.firestore.CloudFirestore\n" + `Class-Path: file:${SYSTEM_FIRESTORE_JAR}\n`,
  );
  const made = spawnSync("jar", ["cfm", LAUNCHER_JAR, manifest], { encoding: "utf8" });
  rmSync(manifest, { force: true });
  if (made.error || made.status !== 0) {
    fail("Could not build the Firestore emulator launcher: the `jar` tool of a JDK is needed (on Debian: apt-get install openjdk-17-jdk-headless).");
  }
}

/**
 * The environment for firebase-tools: the runtime Node first on PATH (so firebase-tools, the
 * Functions emulator and the tests it runs use it), and the launcher when present, else
 * firebase-tools' default.
 */
export function emulatorEnv(extra = {}) {
  const env = runtimeEnv({
    // The Functions emulator runs one invocation per worker process and ignores `concurrency`
    // (firebase-tools#5503): each invocation beyond the idle workers starts a new Node process, up to
    // FUNCTIONS_EMULATOR_PARALLEL (default 50) at once. A burst of 300 trigger events on a 2-core
    // machine then starts dozens of processes that load the code together, and every request waits
    // for them (16 concurrent ingests of 45 items: 26 s at 50, 3-5 s at 2-4, measured). A few per
    // core keeps invocations concurrent without that; production serves 80 per instance.
    FUNCTIONS_EMULATOR_PARALLEL: process.env.FUNCTIONS_EMULATOR_PARALLEL ?? String(Math.max(4, 2 * availableParallelism())),
    // Each new worker process gets 30 s to load the code by default; on a busy machine a burst can
    // pass that, and the emulator then fails the request ("Failed to load function").
    FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? "120",
    // The emulators' own Express servers (the Functions emulator's front, which routes a request to
    // its function) answer some requests before the function runs, an undecodable path among them;
    // outside production mode Express puts the error's stack trace in that answer. Deployed
    // functions run in production mode (functions/.env says so for emulated ones), and Google's
    // front end has no such page: the emulators run as production does.
    NODE_ENV: "production",
    ...extra,
  });
  if (existsSync(LAUNCHER_JAR)) env.FIRESTORE_EMULATOR_BINARY_PATH = LAUNCHER_JAR;
  return env;
}
