/**
 * Request headers and cookies read the same behind @hono/node-server (from Node's message) as through
 * Hono's own request (`app.request()`), including a cookie among others and a repeated header.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { requestCookie, requestHeader } from "../../../functions/src/http/request-headers";

const app = new Hono().get("/", (c) =>
  c.json({ key: requestHeader(c, "x-api-key") ?? null, session: requestCookie(c, "__session") ?? null, missing: requestHeader(c, "if-none-match") ?? null, via: c.env ? "node" : "hono" }),
);
const headers = { "X-API-Key": "mk_test_abc", Cookie: "theme=dark; __session=s3cr3t; other=1" };

test("through Hono's own request", async () => {
  const body = await (await app.request("/", { headers })).json();
  assert.deepEqual(body, { key: "mk_test_abc", session: "s3cr3t", missing: null, via: "hono" });
});

test("through Node's message, as a function instance serves it", async () => {
  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    assert.deepEqual(await (await fetch(url, { headers })).json(), { key: "mk_test_abc", session: "s3cr3t", missing: null, via: "node" });
    const repeated = await (await fetch(url, { headers: [["X-API-Key", "a"], ["X-API-Key", "b"]] })).json();
    assert.equal(repeated.key, "a, b", "repeated values are joined as the Headers API joins them");
  } finally {
    server.close();
  }
});
