/**
 * @module rate-limiter-memory
 * The per-address limiter's memory and store cost after many distinct addresses (#26, finding 5),
 * measured in process with no emulator: `POST /v1/session`'s limit is taken for each of `--addresses`
 * distinct client addresses (keyed-hashed, as the route does), then the heap is measured after a
 * full GC, and the shared counter's writes are counted.
 *
 *   node --expose-gc --import tsx test/load/rate-limiter-memory.ts --addresses 100000
 */
import { RateLimiter, MAX_KEYS } from "../../functions/src/rate-limits/rate-limiter";
import { takeSessionMint } from "../../functions/src/http/caller-limits";
import { clientAddressHash } from "../../functions/src/http/client-address";
import { parsePepperRing } from "../../functions/src/signing/keyed-hash";

const flag = process.argv.indexOf("--addresses");
const addresses = flag === -1 ? 100_000 : Number(process.argv[flag + 1]);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const heapMB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const peppers = parsePepperRing("bench-pepper-of-at-least-32-characters!!");
let adds = 0;
const limiter = new RateLimiter({ add: async (_key, _window, delta) => (adds++, delta) });
async function main() {
  const before = heapMB();
  const start = Date.now();
  for (let i = 0; i < addresses; i++) {
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    takeSessionMint(limiter, clientAddressHash(peppers, address, 0), start + Math.floor((i * 1000) / addresses));
  }
  await limiter.sync();
  const after = heapMB();
  console.log(JSON.stringify({ addresses, keysHeld: limiter.size, maxKeys: MAX_KEYS, heapBeforeMB: +before.toFixed(1), heapAfterMB: +after.toFixed(1), deltaMB: +(after - before).toFixed(1), bytesPerKeyHeld: Math.round(((after - before) * 2 ** 20) / limiter.size), storeAdds: adds }));
}

void main();
