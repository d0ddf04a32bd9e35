/**
 * @module params.test
 * The store budget a deployment may set from its environment: a positive integer, or the default.
 */
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { userStoreRequestsPerMinute } from "../../../functions/src/config/params";

const saved = process.env.USER_STORE_REQUESTS_PER_MINUTE;
afterEach(() => {
  if (saved === undefined) delete process.env.USER_STORE_REQUESTS_PER_MINUTE;
  else process.env.USER_STORE_REQUESTS_PER_MINUTE = saved;
});

test("USER_STORE_REQUESTS_PER_MINUTE: a positive integer is the budget; anything else leaves the default", () => {
  process.env.USER_STORE_REQUESTS_PER_MINUTE = "5000";
  assert.equal(userStoreRequestsPerMinute(), 5000);
  for (const bad of ["", "0", "-3", "1.5", "lots"]) {
    process.env.USER_STORE_REQUESTS_PER_MINUTE = bad;
    assert.equal(userStoreRequestsPerMinute(), undefined, JSON.stringify(bad));
  }
  delete process.env.USER_STORE_REQUESTS_PER_MINUTE;
  assert.equal(userStoreRequestsPerMinute(), undefined);
});
