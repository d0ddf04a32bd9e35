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
export async function sendHostile(requests: readonly HostileRequest[], send: (req: HostileRequest) => Promise<Response>, expect: HostileExpectations, replay: string, options: { via?: HostilePath } = {}): Promise<Map<number, number>> {
  const via = options.via ?? "app";
  const statuses = new Map<number, number>();
  for (const [i, req] of requests.entries()) {
    const res = await send(req);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const where = `request #${i} ${req.label} ${req.path.slice(0, 120)} (replay: ${replay})`;
    const text = await res.text();
    const front = via === "app" ? null : answeredBeforeTheApp(via, req, res.status, text);
    if (front) checkAnswerBeforeTheApp(where, front, req, res.status, text, expect);
    else if (via !== "app" && (res.headers.get("content-type") ?? "").startsWith("text/html")) checkFrameworkAnswer(where, req, res.status, text, expect);
    else checkHostileAnswer(where, req, res.status, text, expect);
  }
  return statuses;
}

/**
 * Where a hostile request is sent: to the app in process, to the deployed function through the
 * Functions emulator's port, or through the Hosting emulator's rewrite.
 */
export type HostilePath = "app" | "function" | "hosting";

/** The layers in front of the app that answer a request themselves (docs/SECURITY.md, "Before the app"). */
type FrontLayer = "express-router" | "hosting-emulator";

/**
 * Paths longer than this may fail the Hosting emulator's file lookup: the file system refuses a
 * path of PATH_MAX (4,096) bytes or more, and the lookup prefixes the public directory's path. (A
 * long segment alone does not: the lookup stops at the first missing directory, `api`.)
 */
const LOOKUP_MAY_FAIL_BYTES = 4_000;

/** superstatic's own answer when its file lookup throws. */
const isHostingEmulatorError = (status: number, text: string, head = false) => status === 500 && text === (head ? "" : "Unexpected error occurred.");

/** True when a path cannot be percent-decoded (`%C0%AF`): no router can match it. */
function undecodable(path: string): boolean {
  try {
    decodeURIComponent(path.split("?")[0]);
    return false;
  } catch {
    return true;
  }
}

/**
 * Which layer answers `req` before the app, if one does. An undecodable path is refused by Express's
 * router in the Functions framework (400). The Hosting emulator (superstatic) first looks the path up
 * as a static file, and that lookup throws for an undecodable path and for one too long for the file
 * system (`ENAMETOOLONG`), which it answers 500 "Unexpected error occurred." itself, before the
 * rewrite. That 500 is the emulator's: production Hosting is not superstatic. Near the length where
 * the lookup starts to fail the app may still answer, so for a long path the answer decides.
 */
function answeredBeforeTheApp(via: Exclude<HostilePath, "app">, req: HostileRequest, status: number, text: string): FrontLayer | null {
  const path = req.path.split("?")[0];
  if (via === "hosting" && undecodable(path)) return "hosting-emulator";
  if (via === "hosting" && Buffer.byteLength(path) > LOOKUP_MAY_FAIL_BYTES) return isHostingEmulatorError(status, text, req.method === "HEAD") ? "hosting-emulator" : null;
  return undecodable(path) ? "express-router" : null;
}

/** What a layer in front of the app may answer: its own refusal, nothing of anyone's, no stack trace. */
function checkAnswerBeforeTheApp(where: string, layer: FrontLayer, req: HostileRequest, status: number, text: string, expect: HostileExpectations): void {
  if (layer === "express-router") assert.equal(status, 400, `${where}: Express answered an undecodable path ${status} ${text.slice(0, 200)}`);
  else assert.ok(isHostingEmulatorError(status, text, req.method === "HEAD"), `${where}: the Hosting emulator answered ${status} ${text.slice(0, 200)}`);
  assert.equal(text.includes(expect.secret), false, `${where}: leaked another user's key`);
  assert.equal(/at .+\.(ts|js):\d+/.test(text), false, `${where}: leaked a stack trace`);
}

/**
 * Over the wire, the Functions framework parses JSON bodies before the app and answers the ones it
 * cannot parse itself, in HTML (docs/SECURITY.md, "Before the app"). Such an answer is allowed only
 * for a request with a body sent as JSON, only as a client error, and with no stack trace or secret.
 */
function checkFrameworkAnswer(where: string, req: HostileRequest, status: number, text: string, expect: HostileExpectations): void {
  const type = Object.entries(req.headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  assert.ok(type.includes("json") && (req.body ?? "").length > 0, `${where}: the framework answered a request it does not parse: ${status} ${text.slice(0, 200)}`);
  assert.ok([400, 413, 415].includes(status), `${where}: the framework answered ${status}`);
  assert.equal(text.includes(expect.secret), false, `${where}: leaked another user's key`);
  assert.equal(/at .+\.(ts|js):\d+/.test(text), false, `${where}: leaked a stack trace`);
}

/** The statuses a hostile run must have reached: past the authentication wall, into the handlers. */
export function assertReachedHandlers(statuses: ReadonlyMap<number, number>): void {
  for (const status of [200, 400, 401, 403, 404]) assert.ok((statuses.get(status) ?? 0) > 0, `no ${status} among ${JSON.stringify([...statuses])}`);
}
