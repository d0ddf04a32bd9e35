/**
 * @module request-headers
 * Request headers read straight from Node's `IncomingMessage` when the app runs behind
 * @hono/node-server, as it does in a function instance (and in the benchmark's server). Hono's
 * `c.req.header()` reads the request's WHATWG `Headers`, which the adapter builds on first use from
 * every raw header, with WebIDL checks on each: a few percent of an edge hit's CPU for the handful of
 * headers a read looks at. Without Node's message (`app.request()` in tests), Hono's own reader answers.
 * Names are passed in lower case, as Node keys them.
 */
import type { Context } from "hono";
import { parse } from "hono/utils/cookie";

type NodeBindings = { incoming?: { headers?: Record<string, string | string[] | undefined> } } | undefined;

/** The value of request header `name` (lower case), or undefined. */
export function requestHeader(c: Context, name: Lowercase<string>): string | undefined {
  const headers = (c.env as NodeBindings)?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  // Node joins repeated headers itself, except a few it keeps as lists.
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The value of cookie `name`, or undefined. */
export function requestCookie(c: Context, name: string): string | undefined {
  const header = requestHeader(c, "cookie");
  return header ? parse(header, name)[name] : undefined;
}
