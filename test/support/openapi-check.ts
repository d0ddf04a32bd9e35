/**
 * @module openapi-check
 * Holds every answer of the API a test receives to the OpenAPI document the API serves: the status
 * must be one the route documents (or an error range), a documented body must validate against its
 * schema (with ajv, draft 2020-12, formats checked), and an answer documented without a body has
 * none. A test fails at the request whose answer the document does not describe.
 *
 * Two ways in: `checkedApp(app)` for an app called in process (`app.request`), and
 * `checkFetchedAnswers()` (the emulator suites' preload) for answers that come over the wire from the
 * Functions emulator or through the Hosting rewrite. What answers before the app (an undecodable path,
 * a path past the platform's limit, a JSON body the framework cannot parse: docs/SECURITY.md, "Before
 * the app") is not the API's, and is left to the hostile suites' own, stricter allowances.
 */
import { AssertionError } from "node:assert";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { buildOpenApiDocument } from "../../functions/src/contract/openapi";
import { createApp } from "../../functions/src/http/app";

type Json = Record<string, any>;
const DOC_ID = "openapi.json";
const doc = buildOpenApiDocument() as Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
ajv.addSchema(doc, DOC_ID);

const routes = Object.entries<Json>(doc.paths).map(([template, operations]) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
  operations,
}));

const validators = new Map<string, ValidateFunction>();
function validatorOf(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    const rooted = JSON.parse(key.replaceAll('"#/components/', `"${DOC_ID}#/components/`)) as Json;
    validate = ajv.compile(rooted);
    validators.set(key, validate);
  }
  return validate;
}

/** The API path of a URL (`/v1/...`), or null when the URL is not the API's. */
function apiPath(url: URL): string | null {
  const at = url.pathname.indexOf("/v1/");
  if (at < 0) return null;
  const base = url.pathname.slice(0, at);
  if (base !== "" && base !== "/api" && !base.endsWith("/us-central1/api")) return null;
  return url.pathname.slice(at);
}

/** Answers the app never saw: the platform's own, for paths it cannot decode or holds too long. */
function beforeTheApp(path: string): boolean {
  if (path.length > 4000) return true;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/**
 * What is wrong with an answer of the API, or null when the document describes it.
 * `body` is the answer's text ("" when there is none).
 */
export function describeMismatch(method: string, url: URL, status: number, contentType: string | null, body: string): string | null {
  const path = apiPath(url);
  if (path === null || beforeTheApp(url.pathname)) return null;
  const route = routes.find((r) => r.pattern.test(decodeURIComponent(path)));
  // HEAD is answered as GET without the body.
  const operation: Json | undefined = route?.operations[method === "HEAD" ? "get" : method.toLowerCase()];
  // No such route (or method): the app's 404, which is an error like any other.
  const answer: Json | undefined = operation ? (operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`]) : status >= 400 ? { $ref: "#/components/responses/Error" } : undefined;
  const where = `${method} ${path} → ${status}`;
  if (!answer) return `${where}: the document lists no such answer for ${route ? route.template : "an undocumented route"}`;
  const documented: Json = answer.$ref ? doc.components.responses[String(answer.$ref).split("/").pop()!] : answer;
  const schema: Json | undefined = documented.content?.["application/json"]?.schema;
  if (method === "HEAD") return body === "" ? null : `${where}: a HEAD answer with a body`;
  // A negotiated text form (a series as CSV): documented as a string, so its media type must be listed.
  const mediaType = contentType?.split(";")[0].trim().toLowerCase();
  if (mediaType && mediaType !== "application/json" && documented.content?.[mediaType]?.schema?.type === "string") return null;
  if (!schema) return body === "" ? null : `${where}: documented without a body, answered ${JSON.stringify(body.slice(0, 120))}`;
  if (!contentType?.includes("application/json")) return `${where}: answered ${contentType ?? "no content type"}, documented as JSON`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `${where}: the body is not JSON: ${JSON.stringify(body.slice(0, 120))}`;
  }
  const validate = validatorOf(schema);
  if (validate(parsed)) return null;
  const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
  return `${where}: the body does not match the document: ${errors}`;
}

async function assertDescribed(method: string, url: URL, response: Response): Promise<void> {
  const mismatch = describeMismatch(method, url, response.status, response.headers.get("content-type"), await response.clone().text());
  if (mismatch) throw new AssertionError({ message: `OpenAPI: ${mismatch}` });
}

const methodOf = (input: RequestInfo | URL, init?: RequestInit) => (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
const urlOf = (input: RequestInfo | URL, base: string) => new URL(input instanceof Request ? input.url : String(input), base);

/** An app whose in-process answers are held to the document (the app itself is unchanged). */
export function checkedApp<App extends { request: (input: RequestInfo | URL, init?: RequestInit, ...rest: any[]) => Response | Promise<Response> }>(app: App): App {
  const request = app.request;
  app.request = (async (input: RequestInfo | URL, init?: RequestInit, ...rest: unknown[]) => {
    const response = await request(input, init, ...rest);
    await assertDescribed(methodOf(input, init), urlOf(input, "http://localhost"), response);
    return response;
  }) as App["request"];
  return app;
}

/**
 * The Functions framework's own refusal of a JSON body it cannot parse (docs/SECURITY.md, "Before the
 * app"): a client error in HTML to a request that carried a body sent as JSON. The app never saw it.
 */
function frameworkRefusal(input: RequestInfo | URL, init: RequestInit | undefined, response: Response): boolean {
  const sent = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get("content-type") ?? "";
  const answered = response.headers.get("content-type") ?? "";
  return sent.includes("json") && init?.body != null && [400, 413, 415].includes(response.status) && answered.startsWith("text/html");
}

/**
 * A CORS preflight answered by firebase-functions' own `cors` wrapper, which the Functions emulator
 * switches on for every HTTPS function (`FIREBASE_DEBUG_FEATURES.enableCors`): 204, no body, before
 * the app. Deployed, the function declares no `cors`, and the app answers OPTIONS itself.
 */
const emulatorPreflight = (method: string, response: Response) => method === "OPTIONS" && response.status === 204;

/** Holds every answer `fetch` gets from the API to the document, for the rest of the process. */
export function checkFetchedAnswers(): void {
  const fetchOriginal = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetchOriginal(input, init);
    const method = methodOf(input, init);
    if (!frameworkRefusal(input, init, response) && !emulatorPreflight(method, response)) await assertDescribed(method, urlOf(input, "http://localhost"), response);
    return response;
  };
}

/** `createApp`, its in-process answers held to the document. */
export const createCheckedApp = (deps: Parameters<typeof createApp>[0]) => checkedApp(createApp(deps));
