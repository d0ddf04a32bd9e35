/**
 * @module firestore-rules
 * The block of firestore.rules that bounds the fields apps write, rendered from the contract's
 * `document-bounds.ts`, so the rules admit exactly what the functions' schemas parse and count.
 * `npm run rules:bounds` rewrites the block between its markers; a unit test fails while the
 * committed file is not what this renders.
 *
 *   node --import tsx scripts/firestore-rules.ts          rewrite the block in firestore.rules
 *   node --import tsx scripts/firestore-rules.ts --check  fail unless firestore.rules is current
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  ID_FORBIDDEN_CHARACTERS,
  ID_MAX_LENGTH,
  MAX_FUTURE_SKEW_MS,
  MAX_LATENCY_MS,
  MAX_SOURCE_BYTES,
  MAX_SOURCE_TOKENS,
  MAX_TOKENS_PER_INTERACTION,
  MODEL_MAX_LENGTH,
} from "../functions/src/contract/document-bounds";
import { INTERACTION_STATUSES } from "../functions/src/contract/schemas/interactions";
import { SOURCE_STATUSES, SOURCE_TYPES } from "../functions/src/contract/source-kinds";
import { interactionDocumentSchema } from "../functions/src/documents/interaction-documents";
import { contextSourceSchema } from "../functions/src/documents/source-documents";

export const RULES_PATH = fileURLToPath(new URL("../firestore.rules", import.meta.url));
const BEGIN = "    // <document-bounds>";
const END = "    // </document-bounds>";

/** A rules string literal of `text` (a backslash is escaped in rules strings as in JavaScript). */
const literal = (text: string) => `'${text.replaceAll("\\", "\\\\")}'`;

const list = (values: readonly string[]) => `[${values.map(literal).join(", ")}]`;

/** The fields of a document schema, and those it requires. */
function fieldsOf(schema: { shape: Record<string, { safeParse(value: undefined): { success: boolean } }> }) {
  const all = Object.keys(schema.shape);
  return { all, required: all.filter((field) => !schema.shape[field].safeParse(undefined).success) };
}

/** The rules functions that bound each written field, from the contract's numbers. */
export function renderBoundsBlock(): string {
  const lines = [
    BEGIN,
    "    // Written by scripts/firestore-rules.ts from functions/src/contract/document-bounds.ts, the bounds the",
    "    // functions' schemas parse with: edit them there and run `npm run rules:bounds`, never here.",
    `    // A document id as the API accepts one (contract/schemas/ids.ts): 1 to ${ID_MAX_LENGTH} characters, no '/' or control character, not reserved.`,
    `    function isId(v) { return v is string && v.size() > 0 && v.size() <= ${ID_MAX_LENGTH} && v.matches(${literal(`^[^${ID_FORBIDDEN_CHARACTERS}]+$`)}) && v != '.' && v != '..' && !v.matches('__.*__'); }`,
    `    function isModel(v) { return v is string && v.size() > 0 && v.size() <= ${MODEL_MAX_LENGTH}; }`,
    `    function isTokenCount(v) { return v is int && v >= 0 && v <= ${MAX_TOKENS_PER_INTERACTION}; }`,
    `    function isLatency(v) { return (v is int || v is float) && v >= 0 && v <= ${MAX_LATENCY_MS}; }`,
    `    function isSourceBytes(v) { return v is int && v >= 0 && v <= ${MAX_SOURCE_BYTES}; }`,
    `    function isSourceTokens(v) { return v is int && v >= 0 && v <= ${MAX_SOURCE_TOKENS}; }`,
    `    function isSourceType(v) { return v in ${list(SOURCE_TYPES)}; }`,
    `    function isSourceStatus(v) { return v in ${list(SOURCE_STATUSES)}; }`,
    `    function isInteractionStatus(v) { return v in ${list(INTERACTION_STATUSES)}; }`,
    `    function sourceFields() { return ${list(fieldsOf(contextSourceSchema).all)}; }`,
    `    function requiredSourceFields() { return ${list(fieldsOf(contextSourceSchema).required)}; }`,
    `    function interactionFields() { return ${list(fieldsOf(interactionDocumentSchema).all)}; }`,
    `    function requiredInteractionFields() { return ${list(fieldsOf(interactionDocumentSchema).required)}; }`,
    "    // Not more than the API's clock-skew allowance in the future (MAX_FUTURE_SKEW_MS).",
    `    function isWithinSkew(v) { return v is timestamp && v <= request.time + duration.value(${MAX_FUTURE_SKEW_MS}, 'ms'); }`,
    END,
  ];
  return lines.join("\n");
}

/** `rules` with its bounds block replaced by the rendered one. */
export function withCurrentBounds(rules: string): string {
  const begin = rules.indexOf(BEGIN);
  const end = rules.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`firestore.rules has no "${BEGIN.trim()}" … "${END.trim()}" block`);
  return rules.slice(0, begin) + renderBoundsBlock() + rules.slice(end + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const current = readFileSync(RULES_PATH, "utf8");
  const next = withCurrentBounds(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("firestore.rules' bounds block is stale: run `npm run rules:bounds`.");
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(RULES_PATH, next);
    console.log("firestore.rules: bounds block rewritten");
  }
}
