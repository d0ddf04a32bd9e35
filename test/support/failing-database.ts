/**
 * @module failing-database
 * A view database whose first transaction fails, as a function instance that dies mid-event would:
 * before its commit (nothing lands) or after it (the commit landed, the function still failed), so
 * Cloud Functions delivers the same event again.
 */
import type { ViewDatabase } from "../../functions/src/views/view-transaction";

export type Failure = "before-commit" | "after-commit";

/** `db`, except that its first transaction fails as `failure` says. */
export function failingOnce(db: ViewDatabase, failure: Failure): ViewDatabase {
  let failed = false;
  return {
    readView: (agentId) => db.readView(agentId),
    readAgentSnapshots: (agentIds, asOf) => db.readAgentSnapshots(agentIds, asOf),
    transact: async (work, options) => {
      if (failed) return db.transact(work, options);
      failed = true;
      if (failure === "before-commit") {
        return db.transact(async (tx) => {
          await work(tx);
          throw new Error("the instance died before the commit");
        }, options);
      }
      await db.transact(work, options);
      throw new Error("the commit landed, then the instance died");
    },
  };
}
