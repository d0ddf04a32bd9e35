/**
 * @module batch-read.test
 * Many-agent reads respect the contract's 100-id limit per batchGet, and a failed chunk fails only
 * its own ids.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { ApiRequestError } from "../../../web-client/src/lib/api-client";
import type { BatchGetResponse, MetricsResponse } from "metrics-functions/contract";
import { readAgentsInBatches } from "../../../web-client/src/lib/batch-read";

const responseFor = (id: string) => ({ data: { id } }) as unknown as MetricsResponse;

it("sends at most 100 ids per request, and a failed chunk fails only its ids", async () => {
  const ids = Array.from({ length: 250 }, (_, i) => `a${i}`);
  const sizes: number[] = [];
  const outcomes = await readAgentsInBatches(
    ids,
    async (chunk): Promise<BatchGetResponse> => {
      sizes.push(chunk.length);
      if (chunk.includes("a120")) throw new ApiRequestError(503, "UNAVAILABLE", "busy", 1);
      return { data: Object.fromEntries(chunk.filter((id) => id !== "a7").map((id) => [id, responseFor(id)])), notFound: ["a7"], forbidden: [] };
    },
    async () => assert.fail("the single-read fallback is only for servers without the route"),
  );
  assert.deepEqual(sizes.sort((a, b) => a - b), [50, 100, 100]);
  assert.equal(outcomes.size, 250);
  assert.ok("response" in outcomes.get("a0")!);
  assert.equal((outcomes.get("a7") as { error: ApiRequestError }).error.status, 404);
  assert.equal((outcomes.get("a150") as { error: ApiRequestError }).error.status, 503);
  assert.ok("response" in outcomes.get("a249")!);
});
