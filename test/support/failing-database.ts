/**
 * @module failing-database
 * A view database whose first event record or first fold fails, as a function instance that dies
 * mid-work would: before its commit (nothing lands) or after it (the commit landed, the function still
 * failed), so Cloud Functions delivers the same event again, or Cloud Tasks runs the fold again.
 */
import type { ViewDatabase } from "../../functions/src/agent-views/view-transaction";

export type Failure = "before-commit" | "after-commit";

/** `db`, except that its first `recordEvent` (or, with `fold`, its first transaction) fails as `failure` says. */
export function failingOnce(db: ViewDatabase, failure: Failure, what: "record" | "fold" = "record"): ViewDatabase {
  let failed = false;
  const fail = async <T>(run: () => Promise<T>): Promise<T> => {
    if (failed) return run();
    failed = true;
    if (failure === "before-commit") throw new Error("the instance died before the commit");
    await run();
    throw new Error("the commit landed, then the instance died");
  };
  return {
    readView: (agentId) => db.readView(agentId),
    deltas: what === "record" ? { ...db.deltas, recordEvent: (eventId, deltas) => fail(() => db.deltas.recordEvent(eventId, deltas)) } : db.deltas,
    transact: (work, options) => (what === "fold" ? fail(() => db.transact(work, options)) : db.transact(work, options)),
  };
}
