/**
 * @module permissions.test
 * The key page offers the permissions the browser knows; they must be exactly the server's, or a
 * checkbox would ask for a permission the API refuses with 400.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { PERMISSIONS as SERVER_PERMISSIONS } from "../../../functions/src/domain/permissions";
import { PERMISSIONS } from "../../../web-client/src/lib/api-types";

it("the browser's permission list is the server's", () => {
  assert.deepEqual([...PERMISSIONS], [...SERVER_PERMISSIONS]);
});
