/**
 * The OpenAPI document: valid OpenAPI 3.1 (checked with a validator of the specification's own JSON
 * Schemas), served without credentials, naming exactly the routes the app mounts, and rendered into
 * docs/API.md, which must be current.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createApp } from "../../../functions/src/http/app";
import { API_ROUTES } from "../../../functions/src/contract/api-routes";
import { buildOpenApiDocument } from "../../../functions/src/contract/openapi";
import { API_DOC_PATH, renderApiMarkdown } from "../../../scripts/api-docs";
import { describeMismatch } from "../../support/openapi-check";
import { fakeWorld } from "../../support/fakes";

test("GET /v1/openapi.json needs no credentials and validates as OpenAPI 3.1", async () => {
  const app = createApp(fakeWorld().deps);
  const res = await app.request("/v1/openapi.json");
  assert.equal(res.status, 200);
  const doc = (await res.json()) as { openapi: string };
  assert.equal(doc.openapi, "3.1.0");
  const result = await new Validator().validate(doc as never);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
  assert.deepEqual(doc, JSON.parse(JSON.stringify(buildOpenApiDocument())), "the served document is the generated one");
});

/** A mounted Hono path as OpenAPI writes it: `:name` → `{name}`, a literal `:name{literal}` → the literal. */
const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)(?:\{([^}]+)\})?/g, (_, name: string, literal?: string) => literal ?? `{${name}}`);

test("the document names every route the app mounts, and only those", () => {
  const app = createApp(fakeWorld().deps);
  const mounted = new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
      .map((r) => `${r.method} ${openApiPath(r.path)}`),
  );
  const documented = new Set(API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`));
  assert.deepEqual([...mounted].sort(), [...documented].sort());
});

test("docs/API.md is what the document renders (npm run docs:api writes it)", () => {
  assert.equal(readFileSync(API_DOC_PATH, "utf8"), renderApiMarkdown(buildOpenApiDocument()), "docs/API.md is stale: run `npm run docs:api`");
});

test("an answer the document does not describe is named, with why", () => {
  const url = new URL("http://localhost/v1/agents/a1/metrics");
  const envelope = JSON.stringify({ error: { code: "NOT_FOUND", message: "No such route." } });
  assert.equal(describeMismatch("GET", url, 403, "application/json", JSON.stringify({ error: { code: "PERMISSION_DENIED", message: "no" } })), null);
  assert.match(describeMismatch("GET", url, 200, "application/json", JSON.stringify({ data: {} })) ?? "", /does not match the document/);
  assert.match(describeMismatch("GET", url, 201, "application/json", envelope) ?? "", /no such answer/);
  assert.match(describeMismatch("GET", url, 403, "text/html", "<h1>no</h1>") ?? "", /documented as JSON/);
  assert.match(describeMismatch("DELETE", new URL("http://localhost/v1/session"), 204, null, "bye") ?? "", /without a body/);
  assert.equal(describeMismatch("GET", new URL("http://localhost/v1/nowhere"), 404, "application/json", envelope), null, "an unknown route's 404 is the envelope");
  assert.equal(describeMismatch("GET", new URL("http://localhost/index.html"), 200, "text/html", "<html>"), null, "not the API");
});
