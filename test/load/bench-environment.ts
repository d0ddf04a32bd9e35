/**
 * @module bench-environment
 * The machine and versions a run used, recorded next to its figures (emulator timings mean little
 * without them).
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { resolve } from "node:path";

/** Where the machine image's gcloud component list records the packaged Firestore emulator's version. */
const GCLOUD_FIRESTORE_SNAPSHOT = "/usr/lib/google-cloud-sdk/.install/cloud-firestore-emulator.snapshot.json";

export interface BenchEnvironment {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  firebaseTools: string;
  firestoreEmulator: string;
  /** The 1-minute load average as the measurements began and ended, this run's emulators included: a hint of other work competing. */
  loadAverage1m: { start: number; end: number };
}

/** The 1-minute load average now (record it at the start, pass it to `benchEnvironment` at the end). */
export const loadNow = () => Math.round(loadavg()[0] * 100) / 100;

function firestoreEmulatorVersion(): string {
  if (!process.env.FIRESTORE_EMULATOR_BINARY_PATH || !existsSync(GCLOUD_FIRESTORE_SNAPSHOT)) return "the one firebase-tools downloads";
  const snapshot = JSON.parse(readFileSync(GCLOUD_FIRESTORE_SNAPSHOT, "utf8")) as { components?: Array<{ id: string; version?: { version_string?: string } }> };
  const version = snapshot.components?.find((c) => c.id === "cloud-firestore-emulator")?.version?.version_string;
  return version ? `${version} (gcloud package)` : "gcloud package, version unknown";
}

/** What every benchmark result starts with: when, how it was invoked, how long it took, where, with what options. */
export interface ResultHeader<O> {
  generatedAt: string;
  command: string;
  durationMs: number;
  environment: BenchEnvironment;
  options: O;
}

/** The header of a result whose measurements began at `startedAt` (`performance.now()`) under load `loadAtStart`. */
export function resultHeader<O>(command: string, options: O, startedAt: number, loadAtStart: number): ResultHeader<O> {
  return { generatedAt: new Date().toISOString(), command, durationMs: performance.now() - startedAt, environment: benchEnvironment(loadAtStart), options };
}

export function benchEnvironment(loadAtStart: number): BenchEnvironment {
  const tools = JSON.parse(readFileSync(resolve(__dirname, "../../node_modules/firebase-tools/package.json"), "utf8")) as { version: string };
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    firebaseTools: tools.version,
    firestoreEmulator: firestoreEmulatorVersion(),
    loadAverage1m: { start: loadAtStart, end: loadNow() },
  };
}
