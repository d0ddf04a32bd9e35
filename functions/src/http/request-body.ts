/**
 * @module request-body
 * Reads and validates a JSON body, path or query in one step, so every route refuses malformed JSON
 * and schema violations with the same 400 envelope.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, invalidArgument } from "./errors";

/** The body parsed by `schema`; throws a 400 ApiError for invalid JSON or data. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
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
