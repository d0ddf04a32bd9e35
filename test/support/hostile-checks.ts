/**
 * @module hostile-checks
 * What every answer to a hostile request must show, whatever serves it (the app over in-memory stores,
 * or over the emulators): no 5xx, no stack trace, no secret of another user, every refusal in the
 * contract's envelope with no metrics in it, and no metrics the caller may not read.
 */
import assert from "node:assert/strict";
import type { HostileRequest } from "./hostile-requests";

const CODES: Record<number, string> = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED" };

/** Every metrics document anywhere in a JSON answer, as `scope:id`. */
export function metricsScopes(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => metricsScopes(item, out));
  else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.scope === "string" && typeof record.id === "string") out.push(`${record.scope}:${record.id}`);
    Object.values(record).forEach((item) => metricsScopes(item, out));
  }
  return out;
}

export interface HostileExpectations {
  /** The `scope:id` of every metrics document the caller may read. */
  readable: ReadonlySet<string>;
  /** Text of another user's that must never appear (the name of one of their keys). */
  secret: string;
}

/** Asserts what the answer `status`/`text` to `req` must show; `where` names the request in a failure. */
function checkHostileAnswer(where: string, req: HostileRequest, status: number, text: string, expect: HostileExpectations): void {
  assert.ok(status < 500, `${where}: answered ${status} ${text.slice(0, 200)}`);
  assert.equal(text.includes(expect.secret), false, `${where}: leaked another user's key`);
  assert.equal(/at .+\.(ts|js):\d+/.test(text), false, `${where}: leaked a stack trace`);
  if (req.method === "HEAD" || status === 204 || status === 304) return;
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  if (status >= 400) {
    assert.equal(body.error?.code, CODES[status], `${where}: envelope code for ${status}: ${text.slice(0, 200)}`);
    assert.equal(typeof body.error?.message, "string", `${where}: envelope message`);
    assert.deepEqual(metricsScopes(body), [], `${where}: a refusal carries no metrics`);
  } else {
    for (const scope of metricsScopes(body)) assert.ok(expect.readable.has(scope), `${where}: served ${scope}, which the caller may not read`);
  }
}

/**
 * Sends each of `requests` through `send` (which may also do what the caller's world needs after a
 * request, such as signing in again after a revocation), checks every answer, and returns how many
 * answers had each status. `replay` says, in a failure, how to send the same requests again.
 */
export async function sendHostile(requests: readonly HostileRequest[], send: (req: HostileRequest) => Promise<Response>, expect: HostileExpectations, replay: string): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (const [i, req] of requests.entries()) {
    const res = await send(req);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    checkHostileAnswer(`request #${i} ${req.label} ${req.path.slice(0, 120)} (replay: ${replay})`, req, res.status, await res.text(), expect);
  }
  return statuses;
}

/** The statuses a hostile run must have reached: past the authentication wall, into the handlers. */
export function assertReachedHandlers(statuses: ReadonlyMap<number, number>): void {
  for (const status of [200, 400, 401, 403, 404]) assert.ok((statuses.get(status) ?? 0) > 0, `no ${status} among ${JSON.stringify([...statuses])}`);
}
