/**
 * @module read-counter
 * Firestore document reads, MEASURED in-process: firebase-admin's Firestore client is patched where
 * every read converges, and each read is charged to the HTTP request during which it happened.
 *
 * Billing followed: one read per document fetched by a get (found or missing), one per document a
 * query returns and at least one per query, and one per started 1,000 index entries an aggregation
 * query matches. The patched points are the client's internal convergence points rather than the
 * public methods, because the public ones call each other (`DocumentReference.get` is a `getAll`,
 * `Transaction.get` of a query is `Query._get`), and patching both would count twice:
 *  - `DocumentReader._get`: `DocumentReference.get`, `Firestore.getAll`, transactional gets;
 *  - `Query._get`: `Query.get` and transactional queries;
 *  - `AggregateQuery._get`: `count()`/`sum()`/`avg()`, charged from the result's `count`, which every
 *    aggregation of the benchmark asks for (one read when it is absent).
 *
 * Attribution uses AsyncLocalStorage: a request opens a tally that its reads go to until its
 * response has finished; reads outside any open tally (timers of the rate limiter and usage
 * recorder, or late work after a response) go to `background`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

interface Tally {
  reads: number;
  open: boolean;
}

const requireFromHere = createRequire(__filename);
const FIRESTORE_BUILD = "@google-cloud/firestore/build/src";
const tallies = new AsyncLocalStorage<Tally>();
const counted = { total: 0, background: 0 };
let installed = false;

function charge(reads: number): void {
  counted.total += reads;
  const tally = tallies.getStore();
  if (tally?.open) tally.reads += reads;
  else counted.background += reads;
}

type AsyncMethod = (this: unknown, ...args: unknown[]) => Promise<unknown>;

function wrap(proto: Record<string, unknown>, name: string, readsOf: (result: unknown) => number): void {
  const original = proto[name] as AsyncMethod;
  if (typeof original !== "function") throw new Error(`the Firestore client has no ${name} to count reads at: update read-counter.ts for this version`);
  proto[name] = async function (this: unknown, ...args: unknown[]) {
    const response = await original.apply(this, args);
    charge(readsOf(response));
    return response;
  };
}

/** Patches the Firestore client once; safe to call again. */
export function installReadCounter(): void {
  if (installed) return;
  installed = true;
  const { DocumentReader } = requireFromHere(`${FIRESTORE_BUILD}/document-reader`);
  const { Query } = requireFromHere(`${FIRESTORE_BUILD}/reference/query`);
  const { AggregateQuery } = requireFromHere(`${FIRESTORE_BUILD}/reference/aggregate-query`);
  wrap(DocumentReader.prototype, "_get", (r) => (r as { result: unknown[] }).result.length);
  wrap(Query.prototype, "_get", (r) => Math.max(1, (r as { result: { size: number } }).result.size));
  wrap(AggregateQuery.prototype, "_get", (r) => {
    const count = (r as { result: { data(): Record<string, unknown> } }).result.data().count;
    return typeof count === "number" ? Math.max(1, Math.ceil(count / 1000)) : 1;
  });
}

/** Runs `handle` with a fresh tally; `finish` closes it and returns the reads charged to it. */
export function withTally<T>(handle: (finish: () => number) => T): T {
  const tally: Tally = { reads: 0, open: true };
  return tallies.run(tally, () =>
    handle(() => {
      tally.open = false;
      return tally.reads;
    }),
  );
}

/** Reads counted since the counter was installed: all of them, and those outside any request. */
export const readTotals = () => ({ ...counted });

/** Reads per request over a set of requests: the mean, the median, the largest, and how many requests made none. */
export interface ReadsSummary {
  requests: number;
  mean: number;
  p50: number;
  max: number;
  withoutReads: number;
}

/** Summarizes a reads → requests distribution (`LoopbackServer.readsPerRequest`). */
export function summarizeReads(distribution: ReadonlyMap<number, number>): ReadsSummary {
  const entries = [...distribution].sort(([a], [b]) => a - b);
  const requests = entries.reduce((sum, [, n]) => sum + n, 0);
  const total = entries.reduce((sum, [reads, n]) => sum + reads * n, 0);
  let seen = 0;
  const p50 = entries.find(([, n]) => (seen += n) >= requests / 2)?.[0] ?? 0;
  return { requests, mean: requests ? total / requests : 0, p50, max: entries.at(-1)?.[0] ?? 0, withoutReads: distribution.get(0) ?? 0 };
}
