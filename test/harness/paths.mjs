/**
 * @module paths
 * Where the harness finds things, relative to the repository root (never the current directory).
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PROJECT_ID = "demo-metrics";
export const EMULATOR_DIR = join(ROOT, ".emulator");
export const SECRET_FILE = join(ROOT, "functions", ".secret.local");
export const PARAMS_FILE = join(ROOT, "functions", ".env.local");
export const FIREBASE_BIN = join(ROOT, "node_modules", ".bin", "firebase");
/** Google's Firestore emulator as the machine image installs it (Debian package google-cloud-cli-firestore-emulator). */
export const SYSTEM_FIRESTORE_JAR = "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";
export const LAUNCHER_JAR = join(EMULATOR_DIR, "firestore-launcher.jar");
export const PORTS = { hosting: 5000, functions: 5001, firestore: 8080, auth: 9099, hub: 4400, logging: 4500 };
export const API_BASE = `http://127.0.0.1:${PORTS.functions}/${PROJECT_ID}/us-central1/api`;
