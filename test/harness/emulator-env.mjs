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
  // The Functions emulator starts one worker process per concurrent invocation and gives each 30 s
  // to load the code; on a busy 2-core machine a burst of concurrent requests can pass that, and the
  // emulator then fails the request ("Failed to load function"). Production has no such limit.
  const env = runtimeEnv({ FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? "120", ...extra });
  if (existsSync(LAUNCHER_JAR)) env.FIRESTORE_EMULATOR_BINARY_PATH = LAUNCHER_JAR;
  return env;
}
