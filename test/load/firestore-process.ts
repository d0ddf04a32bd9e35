/**
 * @module firestore-process
 * A Firestore emulator process of the load run's own, so the run can stop it and start it again
 * (the firebase-tools one serves every other suite and the triggers, and must stay up). It runs the
 * same jar firebase-tools runs. The emulator keeps its data only in memory, where production keeps
 * it durably: a restart exports the data first and starts the new process from that export, so a
 * document acknowledged before the stop is there after it, as it would be in production.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Firestore } from "firebase-admin/firestore";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { EMULATOR_DIR } from "../harness/paths.mjs";

export interface FirestoreProcess {
  /** `host:port` of the emulator (the same across restarts). */
  readonly address: string;
  /** Exports the data, kills the process, and starts a new one from the export; resolves once it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const STARTUP_LIMIT_MS = 60_000;
const LOG_FILE = join(EMULATOR_DIR, "load-firestore.log");

/** Starts an emulator for `projectId` on a free loopback port. */
export async function startFirestoreProcess(projectId: string): Promise<FirestoreProcess> {
  const jar = emulatorJar();
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  mkdirSync(EMULATOR_DIR, { recursive: true });
  const log = createWriteStream(LOG_FILE, { flags: "a" });
  const exportRoot = mkdtempSync(join(tmpdir(), "load-firestore-"));

  const launch = async (seed?: string): Promise<ChildProcess> => {
    const args = ["-Duser.language=en", "-jar", jar, "--host=127.0.0.1", `--port=${port}`, `--project_id=${projectId}`];
    if (seed) args.push(`--seed_from_export=${seed}`);
    const child = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    await untilAnswering(address, child);
    return child;
  };
  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });

  let child = await launch();
  // A run that dies must not leave the emulator behind.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  let exports = 0;
  return {
    address,
    async restart() {
      const name = `export-${++exports}`;
      const res = await fetch(`http://${address}/emulator/v1/projects/${projectId}:export`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ database: `projects/${projectId}/databases/(default)`, export_directory: exportRoot, export_name: name }),
      });
      if (!res.ok) throw new Error(`exporting the load emulator's data failed: ${res.status} ${await res.text()}`);
      await kill(child);
      child = await launch(join(exportRoot, name, `${name}.overall_export_metadata`));
    },
    async stop() {
      await kill(child);
      process.off("exit", onExit);
      log.end();
    },
  };
}

/** A Firestore client of `projectId` that connects to `address`. */
export function firestoreAt(address: string, projectId: string): Firestore {
  // The client takes FIRESTORE_EMULATOR_HOST over any host setting, and reads it only when built.
  const emulator = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = address;
  try {
    return new Firestore({ projectId });
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = emulator;
  }
}

/** The jar firebase-tools runs: the launcher the harness made for the machine's emulator, else the one firebase-tools downloaded. */
function emulatorJar(): string {
  const configured = process.env.FIRESTORE_EMULATOR_BINARY_PATH;
  if (configured && existsSync(configured)) return configured;
  const cache = join(homedir(), ".cache", "firebase", "emulators");
  const downloaded = existsSync(cache) ? readdirSync(cache).filter((f) => /^cloud-firestore-emulator-v[\d.]+\.jar$/.test(f)).sort() : [];
  if (downloaded.length === 0) throw new Error("No Firestore emulator jar found: run the load through `npm run test:soak` (firebase-tools provides one).");
  return join(cache, downloaded[downloaded.length - 1]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function untilAnswering(address: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + STARTUP_LIMIT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the load's Firestore emulator exited with ${child.exitCode} while starting (see ${LOG_FILE})`);
    const ok = await fetch(`http://${address}/`).then((res) => res.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the load's Firestore emulator did not answer within ${STARTUP_LIMIT_MS / 1000} s (see ${LOG_FILE})`);
}
