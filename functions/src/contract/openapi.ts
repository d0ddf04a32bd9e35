/**
 * @module openapi
 * The OpenAPI 3.1 document of the API, generated from the route table (`api-routes.ts`) and the zod
 * schemas in it with zod 4's own JSON Schema output (`z.toJSONSchema`, draft 2020-12, which OpenAPI 3.1
 * takes as it is). No OpenAPI library: the routes stay plain Hono handlers, and the document needs
 * nothing zod does not already produce. Named schemas (`.meta({ id })`) become components and are
 * referenced; the rest is inlined. Answers are described as they are sent (`io: "output"`), requests as
 * they may be written (`io: "input"`: a default makes a field optional).
 */
import { z } from "zod";
import { API_ROUTES, type ApiRoute, type ResponseHeader } from "./api-routes";
import { ERROR_STATUS } from "./error-codes";
import { API_OVERVIEW } from "./api-overview";
import { errorEnvelope } from "./schemas/errors";

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & { openapi: "3.1.0"; paths: Record<string, Record<string, unknown>> };

const SCHEMA_REF = "#/components/schemas/";
const TARGET = "draft-2020-12" as const;

/** A schema as OpenAPI holds it: without the `$schema` each standalone conversion carries. */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

const idOf = (schema: z.ZodType): string | undefined => z.globalRegistry.get(schema)?.id;

/** A request-side schema, inline (request schemas carry no named parts). */
const inputSchema = (schema: z.ZodType): JsonSchema => bare(z.toJSONSchema(schema, { target: TARGET, io: "input", unrepresentable: "any" }) as JsonSchema);

/**
 * An answer's schema: a reference when it is named, else inline, its named parts (which a standalone
 * conversion puts in `$defs`) pointing at the components instead.
 */
function outputSchema(schema: z.ZodType): JsonSchema {
  const id = idOf(schema);
  if (id) return { $ref: `${SCHEMA_REF}${id}` };
  const { $defs: _defs, ...inline } = bare(z.toJSONSchema(schema, { target: TARGET, io: "output", unrepresentable: "any" }) as JsonSchema);
  return JSON.parse(JSON.stringify(inline).replaceAll('"#/$defs/', `"${SCHEMA_REF}`)) as JsonSchema;
}

const HEADERS: Record<ResponseHeader, { description: string; schema: JsonSchema }> = {
  ETag: { description: "Strong validator of the signed revision (send it back as `If-None-Match`).", schema: { type: "string" } },
  "Cache-Control": { description: "How long the answer may be reused.", schema: { type: "string" } },
  Age: { description: "Seconds since a copy served from the instance's memory was read.", schema: { type: "integer" } },
  "RateLimit-Limit": { description: "The key's requests per minute.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window frees a request.", schema: { type: "integer" } },
  "Retry-After": { description: "Seconds to wait before asking again.", schema: { type: "integer" } },
  "Set-Cookie": { description: "The `__session` cookie (set, or cleared).", schema: { type: "string" } },
};

function parameters(route: ApiRoute): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, object] of [["path", route.params], ["query", route.query]] as const) {
    if (!object) continue;
    const schema = inputSchema(object) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = property;
      list.push({ name, in: where, required: where === "path" || (schema.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  return list;
}

function security(route: ApiRoute): JsonSchema[] {
  if (route.auth === "none") return [];
  if (route.auth === "session") return [{ sessionToken: [] }, { sessionCookie: [] }];
  const keyed = [{ sessionToken: [], apiKey: [] }, { sessionCookie: [], apiKey: [] }];
  return route.auth === "session+key|ingest-key" ? [...keyed, { apiKey: [] }] : keyed;
}

function operation(route: ApiRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    responses[status] = {
      description: answer.description,
      ...(answer.headers?.length ? { headers: Object.fromEntries(answer.headers.map((h) => [h, { $ref: `#/components/headers/${h}` }])) } : {}),
      ...(answer.body
        ? { content: { "application/json": { schema: outputSchema(answer.body) }, ...Object.fromEntries(Object.entries(answer.alsoAs ?? {}).map(([type, description]) => [type, { schema: { type: "string", description } }])) } }
        : route.path === "/v1/openapi.json"
          ? { content: { "application/json": { schema: { type: "object" } } } }
          : {}),
    };
  }
  responses["4XX"] = { $ref: "#/components/responses/Error" };
  responses["5XX"] = { $ref: "#/components/responses/Error" };
  const permission = route.permission ? `\n\nKey permission: \`${route.permission}\`.` : "";
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description || permission ? { description: `${route.description ?? ""}${permission}`.trim() } : {}),
    security: security(route),
    ...(route.params || route.query ? { parameters: parameters(route) } : {}),
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: inputSchema(route.body) } } } } : {}),
    responses,
  };
}

/** Builds the document; the same input gives the same document, key order included. */
export function buildOpenApiDocument(routes: readonly ApiRoute[] = API_ROUTES): OpenApiDocument {
  // Every named schema the routes reach is registered by now (their modules are imported above).
  const named = z.toJSONSchema(z.globalRegistry, { target: TARGET, io: "output", uri: (id) => `${SCHEMA_REF}${id}`, unrepresentable: "any" }) as { schemas: Record<string, JsonSchema> };
  const schemas = Object.fromEntries(Object.entries(named.schemas).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, schema]) => [id, bare(schema)]));
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: "3.1.0",
    info: { title: "Agent metrics API", version: "1", description: API_OVERVIEW },
    servers: [{ url: "/api", description: "Through Firebase Hosting (the function itself answers the same paths at its own URL)." }],
    paths,
    components: {
      schemas,
      responses: {
        Error: {
          description: `Any refusal or failure, its code deciding the status: ${Object.entries(ERROR_STATUS).map(([code, status]) => `\`${code}\` ${status}`).join(", ")}.`,
          headers: { "Retry-After": { $ref: "#/components/headers/Retry-After" } },
          content: { "application/json": { schema: outputSchema(errorEnvelope) } },
        },
      },
      headers: HEADERS,
      securitySchemes: {
        sessionToken: { type: "http", scheme: "bearer", bearerFormat: "Firebase ID token", description: "`Authorization: Bearer <Firebase ID token>`; wins over the cookie when both are sent." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "__session", description: "The cookie `POST /v1/session` sets." },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "A key of the session's user holding the route's permission; on ingestion, an ingest key (permissions exactly `write:interactions`) may be sent alone." },
      },
    },
  };
}
