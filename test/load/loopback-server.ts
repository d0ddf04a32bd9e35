/**
 * @module loopback-server
 * Plain Node HTTP servers on 127.0.0.1 for the read benchmark: the product's Hono app (through
 * `@hono/node-server`'s request listener, as a Cloud Functions instance would run it, without the
 * functions emulator's proxy in front) and each baseline. Every server charges the Firestore reads
 * made while it handles a request to that request (read-counter.ts) and keeps their distribution.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { withTally } from "./read-counter";

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface LoopbackServer {
  url: string;
  /** Firestore reads per request since the last `resetReads`, as reads → number of requests. */
  readsPerRequest(): Map<number, number>;
  resetReads(): void;
  close(): Promise<void>;
}

/** Serves `listener` on an ephemeral loopback port. */
export async function serveOnLoopback(listener: Listener): Promise<LoopbackServer> {
  let reads = new Map<number, number>();
  const server = createServer((req, res) =>
    withTally((finish) => {
      res.on("close", () => {
        const n = finish();
        reads.set(n, (reads.get(n) ?? 0) + 1);
      });
      return listener(req, res);
    }),
  );
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    readsPerRequest: () => new Map(reads),
    resetReads: () => void (reads = new Map()),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a fetch-style app (the Hono app's `fetch`). */
export const serveFetchApp = (fetch: (request: Request) => Response | Promise<Response>) => serveOnLoopback(getRequestListener(fetch));

/** The floor: answers every request with the same status, headers and bytes, with no other work. */
export function serveFixedBytes(body: Buffer, headers: Record<string, string>): Promise<LoopbackServer> {
  const head = { ...headers, "content-length": String(body.length) };
  return serveOnLoopback((_req, res) => {
    res.writeHead(200, head);
    res.end(body);
  });
}

/** Serves a JSON computation per request (the naive and aggregation baselines); no auth, no cache. */
export function serveJson(compute: (path: string) => Promise<unknown>): Promise<LoopbackServer> {
  return serveOnLoopback(async (req, res) => {
    try {
      const body = Buffer.from(JSON.stringify(await compute(req.url ?? "/")));
      res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(error instanceof Error ? error.message : String(error));
    }
  });
}
