/**
 * @module request-body
 * Reads and validates a JSON body, path or query in one step, so every route refuses malformed JSON,
 * oversize bodies and schema violations with the same 400 envelope.
 *
 * The body is read only when a route asks for it, after its authentication and permission checks,
 * so a caller who may not write learns nothing from a body's shape and costs no parse. Reading is
 * bounded by hono's `bodyLimit`: a `Content-Length` over the route's limit is refused at once, and a
 * body without one is read only up to the limit. (On Cloud Functions the framework has already
 * received, and for `application/json` parsed, up to 32 MiB before the app runs: see
 * docs/SECURITY.md "Before the app". The bound here is on what this app parses and validates.)
 * The contract has no 413, so an oversize body is a 400 `INVALID_ARGUMENT` saying the limit.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { ApiError, invalidArgument } from "./errors";

/** Largest body of a JSON route other than ingestion: a batchGet of 100 ids, a key's fields. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;
/** Largest ingestion body: 1000 interactions of generous size fit well inside it. */
export const MAX_INGEST_BODY_BYTES = 2 * 1024 * 1024;

const tooLarge = (maxBytes: number) => new ApiError("INVALID_ARGUMENT", `The request body exceeds ${maxBytes} bytes, the most this route reads.`);

/** The body's text, read up to `maxBytes`; throws a 400 ApiError past it. */
async function boundedText(c: Context, maxBytes: number): Promise<string> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
  // The middleware checks Content-Length, or reads the stream up to the limit and puts it back.
  await limit(c, async () => undefined);
  return c.req.text();
}

/**
 * The body parsed by `schema`; throws a 400 ApiError for a body over `maxBytes`, invalid JSON or data.
 * Call it after the route's permission checks.
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, maxBytes = MAX_JSON_BODY_BYTES): Promise<z.infer<S>> {
  const text = await boundedText(c, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("INVALID_ARGUMENT", "The request body must be valid JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidArgument("The request body", parsed.error);
  return parsed.data;
}

/** Path parameters parsed by `schema`; throws a 400 ApiError naming the bad parameter. */
export function pathParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.param());
  if (!parsed.success) throw invalidArgument("The path", parsed.error);
  return parsed.data;
}

/** Query parameters parsed by `schema`; throws a 400 ApiError naming the bad parameter. */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw invalidArgument("The query", parsed.error);
  return parsed.data;
}
