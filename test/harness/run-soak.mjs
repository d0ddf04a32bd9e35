/**
 * @module run-soak
 * `npm run test:soak`: the long reliability runs, sized by arguments, inside one `firebase
 * emulators:exec`. Today: the convergence run of `test/emulator/convergence.emulator.test.ts` at the
 * size given (the fast size runs in `npm test`).
 * And the mixed load with a Firestore stop and restart in the middle (test/load/load-outage.soak.test.ts).
 *   npm run test:soak -- --operations 5000 --agents 40 --concurrency 12 --seed 42
 *   npm run test:soak -- --only load --load-seconds 120 --load-concurrency 24
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { FIREBASE_BIN, PROJECT_ID, ROOT } from "./paths.mjs";
import { emulatorEnv } from "./emulator-env.mjs";
import { fail } from "./fail.mjs";

const { values } = parseArgs({
  options: {
    operations: { type: "string", default: "1000" },
    agents: { type: "string", default: "12" },
    concurrency: { type: "string", default: "6" },
    seed: { type: "string", default: String(Date.now() % 100_000) },
    "load-seconds": { type: "string", default: "60" },
    "load-concurrency": { type: "string", default: "12" },
    only: { type: "string" },
  },
});
const only = values.only;
delete values.only;
if (only !== undefined && only !== "convergence" && only !== "load") fail(`--only must be convergence or load (got ${JSON.stringify(only)}).`);
for (const [name, value] of Object.entries(values)) {
  if (!/^\d+$/.test(value) || Number(value) < 1) fail(`--${name} must be a positive whole number (got ${JSON.stringify(value)}).`);
}

if (only !== "load") process.stdout.write(`› Convergence: ${values.operations} operations over ${values.agents} agents, concurrency ${values.concurrency}, seed ${values.seed}\n`);
if (only !== "convergence") process.stdout.write(`› Load: ${values["load-seconds"]} s at concurrency ${values["load-concurrency"]}, Firestore stopped and started again a third of the way in\n`);
const files = [only !== "load" && "test/emulator/convergence.emulator.test.ts", only !== "convergence" && "test/load/load-outage.soak.test.ts"].filter(Boolean);
const command = `node --import tsx --test --test-concurrency=1 --test-reporter=spec ${files.join(" ")}`;
const run = spawnSync(FIREBASE_BIN, ["emulators:exec", "--only", "auth,firestore,functions", "--project", PROJECT_ID, command], {
  cwd: ROOT,
  stdio: "inherit",
  env: emulatorEnv({
    CONVERGENCE_OPERATIONS: values.operations,
    CONVERGENCE_AGENTS: values.agents,
    CONVERGENCE_CONCURRENCY: values.concurrency,
    CONVERGENCE_SEED: values.seed,
    LOAD_SECONDS: values["load-seconds"],
    LOAD_CONCURRENCY: values["load-concurrency"],
  }),
});
process.exit(run.status ?? 1);
