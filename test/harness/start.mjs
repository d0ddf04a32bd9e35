/**
 * @module start
 * `npm start`: starts the Auth, Firestore, Functions and Hosting emulators on the contract's ports,
 * waits until the API answers, loads the demo data, prints where to look, and stays up until Ctrl-C,
 * when it lets firebase-tools shut the emulators down cleanly.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { API_BASE, EMULATOR_DIR, FIREBASE_BIN, PORTS, PROJECT_ID, ROOT } from "./paths.mjs";
import { emulatorEnv } from "./emulator-env.mjs";
import { runtimeEnv } from "./runtime-node.mjs";
import { fail } from "./fail.mjs";

const LOG = join(EMULATOR_DIR, "emulators.log");
const STARTUP_TIMEOUT_MS = 180_000;

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer().once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

for (const [name, port] of Object.entries(PORTS)) {
  if (!(await portIsFree(port))) {
    fail(`Port ${port} (${name} emulator) is already in use: stop whatever holds it (an earlier \`npm start\`? try \`lsof -i :${port}\`) and run \`npm start\` again.`);
  }
}

mkdirSync(EMULATOR_DIR, { recursive: true });
const log = createWriteStream(LOG);
process.stdout.write(`› Starting the emulators (log: ${LOG.replace(ROOT + "/", "")})…\n`);
const emulators = spawn(FIREBASE_BIN, ["emulators:start", "--only", "auth,firestore,functions,hosting", "--project", PROJECT_ID], {
  cwd: ROOT,
  env: emulatorEnv(),
  stdio: ["ignore", "pipe", "pipe"],
});
emulators.stdout.pipe(log);
emulators.stderr.pipe(log);
let exited = false;
emulators.on("exit", (code) => {
  exited = true;
  if (!stopping) {
    const tail = readFileSync(LOG, "utf8").trim().split("\n").slice(-15).join("\n");
    fail(`The emulators stopped unexpectedly (exit ${code}). Last lines of the log:\n${tail}`);
  }
  process.exit(0);
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\n› Stopping the emulators…\n");
    if (!exited) emulators.kill("SIGINT");
  });
}

async function waitForApi() {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${API_BASE}/v1/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!exited) fail(`The API did not answer within ${STARTUP_TIMEOUT_MS / 1000} s; see ${LOG}.`);
}

await waitForApi();
process.stdout.write("› Loading demo data…\n");
const seeder = spawn("node", ["--import", "tsx", join("test", "harness", "seed-demo.ts")], {
  cwd: ROOT,
  stdio: "inherit",
  env: runtimeEnv({
    FIRESTORE_EMULATOR_HOST: `127.0.0.1:${PORTS.firestore}`,
    FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${PORTS.auth}`,
  }),
});
seeder.on("exit", (code) => {
  if (code !== 0) {
    stopping = true;
    emulators.kill("SIGINT");
    return;
  }
  process.stdout.write("Everything is up. Press Ctrl-C to stop the emulators.\n");
});
