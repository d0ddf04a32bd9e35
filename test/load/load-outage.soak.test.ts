/**
 * The load through a Firestore stop and restart (test/load/load-outage-case.ts), at the size asked:
 * `npm run test:soak -- --only load [--load-seconds 60 --load-concurrency 12]`.
 */
import { test } from "node:test";
import { loadOutageTitle, loadThroughOutage } from "./load-outage-case";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 12);
/** Longer than the request deadline (10 s): requests waiting on the store answer 503 during it. */
const OUTAGE_MS = 12_000;

test(loadOutageTitle(SECONDS, CONCURRENCY, OUTAGE_MS), { timeout: 10 * 60_000 }, () => loadThroughOutage(SECONDS, CONCURRENCY, OUTAGE_MS));
