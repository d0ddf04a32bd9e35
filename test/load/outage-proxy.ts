/**
 * @module outage-proxy
 * A TCP proxy on loopback between the app's Firestore client and the load's Firestore emulator: the
 * network between them. During an outage it destroys every open connection and refuses (resets) new
 * ones, which is what a client sees when the backend process dies, while the run stops the emulator
 * and starts it again from its data (`firestore-process.ts`); holding the app off first means no write
 * lands between the export and the stop. `resume` accepts connections again.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface OutageProxy {
  /** `host:port` to give a Firestore client instead of the emulator's. */
  readonly address: string;
  /** Cuts every open connection and refuses new ones until `resume`. */
  down(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Proxies `target` (`host:port`) on an ephemeral loopback port. */
export async function startOutageProxy(target: string): Promise<OutageProxy> {
  const [targetHost, targetPort] = splitHost(target);
  const open = new Set<Socket>();
  let down = false;

  const server: Server = createServer((client) => {
    if (down) return void client.resetAndDestroy();
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => undefined);
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    down() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    resume() {
      down = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function splitHost(hostPort: string): [string, number] {
  const at = hostPort.lastIndexOf(":");
  return [hostPort.slice(0, at), Number(hostPort.slice(at + 1))];
}
