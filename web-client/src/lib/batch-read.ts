/**
 * @module batch-read
 * Splits a many-agent read into `POST /v1/agents/metrics:batchGet` requests of at most 100 ids (the
 * contract's limit) and turns each answer into one outcome per id, so the cache can treat every id
 * like a single read. A server without the batch route (404 for the route itself, as before the
 * route shipped) is read one agent at a time instead.
 */
import { ApiRequestError } from "./api-client";
import { MAX_BATCH_IDS, type BatchGetResponse, type MetricsResponse } from "metrics-functions/contract";

/** What became of one id: its response, or why there is none. */
export type BatchOutcome = { response: MetricsResponse } | { error: ApiRequestError };

function outcomesOf(ids: readonly string[], body: BatchGetResponse): Map<string, BatchOutcome> {
  const outcomes = new Map<string, BatchOutcome>();
  for (const id of ids) {
    const response = body.data?.[id];
    if (response) outcomes.set(id, { response });
    else if (body.forbidden?.includes(id)) outcomes.set(id, { error: new ApiRequestError(403, "PERMISSION_DENIED", `You may not read agent ${id}.`) });
    else outcomes.set(id, { error: new ApiRequestError(404, "NOT_FOUND", `No metrics for agent ${id}.`) });
  }
  return outcomes;
}

const isMissingRoute = (error: unknown) => error instanceof ApiRequestError && error.status === 404;

/**
 * Reads `ids` in chunks; a chunk whose request fails gives that error to each of its ids.
 * @example const outcomes = await readAgentsInBatches(["a1", "a2"], (ids) => api.batchGetAgentMetrics(ids), (id) => api.agentMetrics(id));
 */
export async function readAgentsInBatches(
  ids: readonly string[],
  fetchBatch: (ids: string[]) => Promise<BatchGetResponse>,
  fetchOne: (id: string) => Promise<MetricsResponse>,
): Promise<Map<string, BatchOutcome>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_BATCH_IDS) chunks.push(ids.slice(i, i + MAX_BATCH_IDS));
  const outcomes = new Map<string, BatchOutcome>();
  await Promise.all(
    chunks.map(async (chunk) => {
      try {
        for (const [id, outcome] of outcomesOf(chunk, await fetchBatch(chunk))) outcomes.set(id, outcome);
      } catch (error) {
        if (!isMissingRoute(error)) {
          const failure = error instanceof ApiRequestError ? error : new ApiRequestError(0, "BAD_RESPONSE", String(error));
          for (const id of chunk) outcomes.set(id, { error: failure });
          return;
        }
        await Promise.all(
          chunk.map(async (id) => {
            try {
              outcomes.set(id, { response: await fetchOne(id) });
            } catch (single) {
              outcomes.set(id, { error: single instanceof ApiRequestError ? single : new ApiRequestError(0, "BAD_RESPONSE", String(single)) });
            }
          }),
        );
      }
    }),
  );
  return outcomes;
}
