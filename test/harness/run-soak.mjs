/**
 * @module run-soak
 * `npm run test:soak`: the long reliability runs, sized by arguments, inside one `firebase
 * emulators:exec`. Today: the convergence run of `test/emulator/convergence.emulator.test.ts` at the
 * size given (the fast size runs in `npm test`).
 *   npm run test:soak -- --operations 5000 --agents 40 --concurrency 12 --seed 42
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
  },
});
for (const [name, value] of Object.entries(values)) {
  if (!/^\d+$/.test(value) || Number(value) < 1) fail(`--${name} must be a positive whole number (got ${JSON.stringify(value)}).`);
}

process.stdout.write(`› Soak: ${values.operations} operations over ${values.agents} agents, concurrency ${values.concurrency}, seed ${values.seed}\n`);
const command = "node --import tsx --test --test-reporter=spec test/emulator/convergence.emulator.test.ts";
const run = spawnSync(FIREBASE_BIN, ["emulators:exec", "--only", "auth,firestore,functions", "--project", PROJECT_ID, command], {
  cwd: ROOT,
  stdio: "inherit",
  env: emulatorEnv({
    CONVERGENCE_OPERATIONS: values.operations,
    CONVERGENCE_AGENTS: values.agents,
    CONVERGENCE_CONCURRENCY: values.concurrency,
    CONVERGENCE_SEED: values.seed,
  }),
});
process.exit(run.status ?? 1);
