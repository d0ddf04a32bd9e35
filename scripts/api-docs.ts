/**
 * @module api-docs
 * docs/API.md, generated from the OpenAPI document the API serves at `GET /v1/openapi.json` (which is
 * generated from the contract's route table and schemas), so the reference cannot drift from what
 * the server validates. `npm run docs:api` rewrites it; a unit test fails while the committed file is
 * not what this renders.
 *
 *   node --import tsx scripts/api-docs.ts          rewrite docs/API.md
 *   node --import tsx scripts/api-docs.ts --check  fail unless docs/API.md is current
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildOpenApiDocument, type OpenApiDocument } from "../functions/src/contract/openapi";

type Schema = Record<string, any>;

export const API_DOC_PATH = fileURLToPath(new URL("../docs/API.md", import.meta.url));
const REF = "#/components/schemas/";

const anchorOf = (name: string) => name.toLowerCase();
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** A schema in a few words: a link for a named one, bounds for numbers and strings. */
export function typeOf(schema: Schema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return "any";
  if (schema.$ref) {
    const name = String(schema.$ref).slice(REF.length);
    return `[${name}](#${anchorOf(name)})`;
  }
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" \\| ");
  if (schema.enum) return schema.enum.map((v: unknown) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  switch (schema.type) {
    case "null":
      return "null";
    case "boolean":
      return "boolean";
    case "string": {
      if (schema.format) return `string (${schema.format})`;
      const bounds = schema.minLength !== undefined || schema.maxLength !== undefined ? ` ${schema.minLength ?? 0}–${schema.maxLength ?? "…"} chars` : "";
      return `string${bounds}${schema.pattern && !bounds ? " (pattern)" : ""}`;
    }
    case "integer":
    case "number": {
      const safe = (n: unknown) => typeof n === "number" && Math.abs(n) < Number.MAX_SAFE_INTEGER;
      const min = safe(schema.minimum) ? schema.minimum : undefined;
      const max = safe(schema.maximum) ? schema.maximum : undefined;
      const range = min !== undefined || max !== undefined ? ` ${min ?? "…"}–${max ?? "…"}` : "";
      return `${schema.type}${range}`;
    }
    case "array": {
      const size = schema.minItems !== undefined || schema.maxItems !== undefined ? ` (${schema.minItems ?? 0}–${schema.maxItems ?? "…"})` : "";
      return `${typeOf(schema.items)}[]${size}`;
    }
    case "object":
      if (schema.properties) return "object";
      if (schema.propertyNames?.enum) return `{ ${schema.propertyNames.enum.map((k: string) => `${k}`).join(", ")} } of ${typeOf(schema.additionalProperties)}`;
      return schema.additionalProperties ? `map of ${typeOf(schema.additionalProperties)}` : "object";
    default:
      return "any";
  }
}

/** The fields of an object schema as table rows, nested objects flattened as `a.b`. */
function fieldRows(schema: Schema, prefix = ""): string[] {
  const required: string[] = schema.required ?? [];
  const rows: string[] = [];
  for (const [name, field] of Object.entries<Schema>(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    const note = [field.description, field.default !== undefined ? `default \`${JSON.stringify(field.default)}\`` : ""].filter(Boolean).join("; ");
    rows.push(`| \`${path}\` | ${typeOf(field)} | ${required.includes(name) ? "yes" : ""} | ${cell(note)} |`);
    if (field.type === "object" && field.properties) rows.push(...fieldRows(field, `${path}.`));
  }
  return rows;
}

const FIELD_HEAD = ["| field | type | required | notes |", "| --- | --- | --- | --- |"];

function schemaSection(schema: Schema): string[] {
  if (schema.$ref) return [`${typeOf(schema)}`, ""];
  if (schema.type === "object" && schema.properties) return [...FIELD_HEAD, ...fieldRows(schema), ""];
  return [typeOf(schema), ""];
}

function authOf(operation: Schema): string {
  const schemes: string[] = (operation.security ?? []).flatMap((s: Schema) => Object.keys(s));
  if (schemes.length === 0) return "none";
  if (!schemes.includes("apiKey")) return "session";
  return (operation.security as Schema[]).some((s) => Object.keys(s).join() === "apiKey") ? "session + key, or an ingest key alone" : "session + key";
}

export function renderApiMarkdown(doc: OpenApiDocument): string {
  const info = doc.info as Schema;
  const lines: string[] = [
    "# HTTP API",
    "",
    "<!-- Generated from the OpenAPI document (GET /v1/openapi.json) by `npm run docs:api`: edit functions/src/contract, not this file. -->",
    "",
    info.description,
    "",
    "## Routes",
    "",
  ];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(methods as Record<string, Schema>)) {
      lines.push(`### \`${method.toUpperCase()} ${path}\``, "", `${op.summary}. Auth: **${authOf(op)}**.`, "");
      if (op.description) lines.push(op.description, "");
      if (op.parameters?.length) {
        lines.push("| parameter | in | type | required | notes |", "| --- | --- | --- | --- | --- |");
        for (const p of op.parameters) {
          const note = [p.description, p.schema?.default !== undefined ? `default \`${JSON.stringify(p.schema.default)}\`` : ""].filter(Boolean).join("; ");
          lines.push(`| \`${p.name}\` | ${p.in} | ${typeOf(p.schema)} | ${p.required ? "yes" : ""} | ${cell(note)} |`);
        }
        lines.push("");
      }
      const body = op.requestBody?.content?.["application/json"]?.schema;
      if (body) lines.push("Request body:", "", ...schemaSection(body));
      lines.push("| status | answer | body |", "| --- | --- | --- |");
      for (const [status, answer] of Object.entries<Schema>(op.responses)) {
        if (answer.$ref) {
          lines.push(`| ${status} | the error envelope | [ErrorEnvelope](#errorenvelope) |`);
          continue;
        }
        const schema = answer.content?.["application/json"]?.schema;
        lines.push(`| ${status} | ${cell(answer.description)} | ${schema ? typeOf(schema) : "none"} |`);
      }
      lines.push("");
    }
  }
  lines.push("## Schemas", "");
  const schemas = ((doc.components as Schema).schemas ?? {}) as Record<string, Schema>;
  for (const [name, schema] of Object.entries(schemas)) {
    lines.push(`### ${name}`, "");
    if (schema.description) lines.push(schema.description, "");
    lines.push(...schemaSection(schema));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rendered = renderApiMarkdown(buildOpenApiDocument());
  if (process.argv.includes("--check")) {
    if (readFileSync(API_DOC_PATH, "utf8") !== rendered) {
      console.error("docs/API.md is stale: run `npm run docs:api`.");
      process.exit(1);
    }
  } else {
    writeFileSync(API_DOC_PATH, rendered);
    console.log(`wrote ${API_DOC_PATH}`);
  }
}
