/**
 * @module hostile-requests
 * A seeded generator of hostile HTTP requests against every route of the contract: wrong methods,
 * missing and doubled headers, malformed and truncated JSON, huge bodies, deep nesting, unicode and
 * control characters, prototype keys, path tricks, overlong ids, numbers out of range, wrong types and
 * other users' ids. The same seed gives the same requests, so a failure replays from its seed; the
 * requests are plain data so they can be sent in process (`app.request`) or over the network.
 */
import { mulberry32 } from "./seeded-random";

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What was done to the request, for the failure message. */
  label: string;
}

/** The ids and credentials the generator mixes in: the caller's own and someone else's. */
export interface HostileTargets {
  own: { agentId: string; uid: string; orgId: string };
  victim: { agentId: string; uid: string; orgId: string };
  credentials: { token: string; apiKey: string };
}

type Slot = "agent" | "uid" | "org" | "key";
interface RouteTemplate {
  method: string;
  path: string;
  body?: (pick: Picker) => unknown;
}

type Picker = ReturnType<typeof picker>;

function picker(random: () => number) {
  const int = (max: number) => Math.floor(random() * max);
  return {
    random,
    int,
    chance: (p: number) => random() < p,
    one: <T>(items: readonly T[]): T => items[int(items.length)],
  };
}

const interaction = (p: Picker, i: number) => ({
  id: `c-${i}`,
  model: p.one(["gpt-4o", "claude-sonnet", "__proto__", "constructor", "m".repeat(300), "\u0000x", "é🙂"]),
  inputTokens: p.one([10, -1, 1.5, 1e309, Number.MAX_SAFE_INTEGER + 2, "10", null]),
  outputTokens: 5,
  latencyMs: p.one([120, -5, "fast", 1e12]),
  status: p.one(["success", "error", "timeout", "cancelled", "unknown", 1]),
  // The last five lie outside Firestore's Timestamp range, or cross its edges through their offsets.
  occurredAt: p.one(["2026-11-23T10:00:00Z", "yesterday", "2026-13-45T99:99:99Z", 0, "\u202e2026", "0000-06-15T12:00:00Z", "10000-01-01T00:00:00Z", "+010000-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"]),
});

/** Every route of the contract, with a plausible body for those that take one. */
const ROUTES: RouteTemplate[] = [
  { method: "GET", path: "/v1/health" },
  { method: "GET", path: "/v1/signing-keys" },
  { method: "GET", path: "/v1/agents/{agent}/metrics" },
  { method: "POST", path: "/v1/agents/metrics:batchGet", body: (p) => ({ agentIds: Array.from({ length: p.one([0, 1, 3, 100, 101]) }, (_, i) => `a-${i}`) }) },
  { method: "POST", path: "/v1/agents/{agent}/metrics:refresh" },
  { method: "GET", path: "/v1/users/{uid}/metrics" },
  { method: "GET", path: "/v1/orgs/{org}/metrics" },
  { method: "POST", path: "/v1/agents/{agent}/interactions", body: (p) => ({ interactions: Array.from({ length: p.one([0, 1, 2, 5]) }, (_, i) => interaction(p, i)) }) },
  { method: "GET", path: "/v1/cache/stats" },
  {
    method: "POST",
    path: "/v1/api-keys",
    body: (p) => ({
      name: p.one(["ci", "", " ", "x".repeat(101), "\u0000", "🙂"]),
      permissions: p.one([["read:agent-metrics"], ["admin:all"], ["read:everything"], [], "read:agent-metrics", [1]]),
      expiresInDays: p.one([undefined, 1, 0, -1, 3651, 1.5, "7"]),
      rateLimitPerMinute: p.one([undefined, 60, 0, 100_001, 1e309]),
    }),
  },
  { method: "GET", path: "/v1/api-keys" },
  { method: "DELETE", path: "/v1/api-keys/{key}" },
  { method: "GET", path: "/v1/api-keys/{key}/usage" },
  { method: "POST", path: "/v1/session", body: (p) => ({ idToken: p.one(["not-a-token", "", 5, null, "a".repeat(10_000)]) }) },
  { method: "DELETE", path: "/v1/session" },
];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const TRICKY_IDS = [
  "..",
  ".",
  "%2e%2e",
  "a%2Fb",
  "%00",
  "a%0Ab",
  "__proto__",
  "constructor",
  "__name__",
  "%E0%A4%A",
  "%F0%9F%99%82",
  "%20",
  "a?b=c",
  "a#b",
  "%u0041",
  "x".repeat(129),
  "y".repeat(5000),
  "%E2%80%AE" + "evil",
  "%C0%AF",
];

function fillSlot(slot: Slot, p: Picker, t: HostileTargets): string {
  const own = { agent: t.own.agentId, uid: t.own.uid, org: t.own.orgId, key: "key-unknown" }[slot];
  const victim = { agent: t.victim.agentId, uid: t.victim.uid, org: t.victim.orgId, key: "key-of-someone-else" }[slot];
  const roll = p.random();
  if (roll < 0.25) return encodeURIComponent(own);
  if (roll < 0.5) return encodeURIComponent(victim);
  return p.one(TRICKY_IDS);
}

/** Nested arrays or objects `depth` levels deep, as JSON text (built as text: no recursion). */
function deepJson(depth: number, asObject: boolean): string {
  return asObject ? '{"a":'.repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth);
}

function hostileBody(template: RouteTemplate, p: Picker): { body?: string; label: string } {
  const valid = template.body ? JSON.stringify(template.body(p)) : undefined;
  switch (p.int(11)) {
    case 0:
      return { body: valid, label: "plausible body" };
    case 1:
      return { body: valid ? valid.slice(0, Math.max(1, p.int(valid.length))) : "{", label: "truncated JSON" };
    case 2:
      return { body: p.one(["{", "}", "nul", "{'a':1}", '{"a":NaN}', '{"a":1,}', "\u0000", "[1,2", '"\\ud800"', "{}{}"]), label: "malformed JSON" };
    case 3:
      return { body: deepJson(p.one([64, 5_000, 5_000, 100_000]), p.chance(0.5)), label: "deep nesting" };
    case 4:
      return { body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}},"agentIds":["a"],"interactions":[]}', label: "prototype keys" };
    case 5:
      return { body: p.one(["null", "true", "1", '"text"', "[]", "1e309", "-0", "[{}]"]), label: "wrong top-level type" };
    case 6:
      return { body: JSON.stringify({ name: "\u0000\u0007\u001b[31m\u202e", agentIds: ["\ud83d", "\u0000"], interactions: [{ id: "\u2028" }] }), label: "control and unicode characters" };
    case 7:
      return { body: p.chance(0.05) ? "x".repeat(3 * 1024 * 1024) : "x".repeat(p.int(64 * 1024)), label: "large body" };
    case 8:
      return { body: JSON.stringify({ agentIds: [1, null, {}, []], interactions: "all", name: 5, permissions: { a: 1 }, idToken: [] }), label: "wrong field types" };
    case 9:
      return { body: "", label: "empty body" };
    default:
      return { body: undefined, label: "no body" };
  }
}

function hostileHeaders(p: Picker, t: HostileTargets): { headers: Record<string, string>; label: string } {
  const bearer = `Bearer ${t.credentials.token}`;
  const headers: Record<string, string> = { authorization: bearer, "x-api-key": t.credentials.apiKey, "content-type": "application/json" };
  // Seven in ten requests keep valid credentials, so they reach validation and the access checks.
  switch (p.chance(0.7) ? -1 : p.int(7)) {
    case 0:
      delete headers.authorization;
      return { headers, label: "no session" };
    case 1:
      delete headers["x-api-key"];
      return { headers, label: "no key" };
    case 2:
      headers.authorization = `${bearer}, Bearer other`;
      headers["x-api-key"] = `${t.credentials.apiKey}, ${t.credentials.apiKey}`;
      return { headers, label: "doubled headers" };
    case 3:
      headers.authorization = p.one(["Bearer", "Basic abc", "bearer  ", `Bearer ${"a".repeat(8000)}`, "Bearer \u00ff\u00fe"]);
      return { headers, label: "malformed authorization" };
    case 4:
      headers["x-api-key"] = p.one(["mk_test_", "mk_live_AAAAAAAAAAAAAAAAAAAAAA000000", "sk_test_123", "k".repeat(5000), " "]);
      return { headers, label: "malformed key" };
    case 5:
      headers["content-type"] = p.one(["text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16"]);
      return { headers, label: "wrong content type" };
    case 6:
      delete headers.authorization;
      headers.cookie = p.one(["__session=garbage", "__session=", `__session=${"c".repeat(5000)}`, "__session=a; __session=b"]);
      headers.origin = p.one(["https://evil.example", "null"]);
      return { headers, label: "cookie session from a foreign origin" };
    default:
      return { headers, label: "valid credentials" };
  }
}

/**
 * `count` hostile requests from `seed`, spread over every route. Most carry valid credentials, so
 * they reach validation and access checks rather than stopping at authentication.
 */
export function hostileRequests(seed: number, count: number, targets: HostileTargets): HostileRequest[] {
  const p = picker(mulberry32(seed));
  const out: HostileRequest[] = [];
  for (let i = 0; i < count; i++) {
    const template = ROUTES[i % ROUTES.length];
    const method = p.chance(0.15) ? p.one(METHODS) : template.method;
    let path = template.path.replace(/\{(agent|uid|org|key)\}/g, (_, slot: Slot) => fillSlot(slot, p, targets));
    if (p.chance(0.1)) path = p.one([path.replace("/v1/", "/api/v1/"), `${path}/`, path.replace("/v1/", "//v1//"), `${path}?x=${"q".repeat(p.int(3000))}`, path.toUpperCase()]);
    const headers = hostileHeaders(p, targets);
    const body = method === "GET" || method === "HEAD" ? { body: undefined, label: "no body" } : hostileBody(template, p);
    out.push({ method, path, headers: headers.headers, body: body.body, label: `${method} ${template.path} [${headers.label}; ${body.label}]` });
  }
  return out;
}
