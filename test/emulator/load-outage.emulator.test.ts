/**
 * The load through a Firestore stop and restart (test/load/load-outage-case.ts), short enough for
 * `npm test`; `npm run test:soak -- --only load` runs it longer and wider.
 */
import { test } from "node:test";
import { loadOutageTitle, loadThroughOutage } from "../load/load-outage-case";

const SECONDS = 30;
const CONCURRENCY = 8;
/** Shorter than the request deadline: requests may wait it out; the soak runs one longer. */
const OUTAGE_MS = 4_000;

test(loadOutageTitle(SECONDS, CONCURRENCY, OUTAGE_MS), { timeout: 5 * 60_000 }, () => loadThroughOutage(SECONDS, CONCURRENCY, OUTAGE_MS));
