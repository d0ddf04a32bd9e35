/**
 * The Hosting page's main script stays small: it is built here from the current sources (Vite, into
 * a temporary folder, as `npm run build` does into web-client/dist) and its entry chunk must be at
 * most 250 kB minified. What keeps it there is web-client/src/firebase/connection.ts: Firestore
 * lite and an Auth with one persistence; importing a value from the full `firebase/firestore`
 * again adds about 360 kB and fails this test.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB_CLIENT = fileURLToPath(new URL("../../../web-client/", import.meta.url));
const VITE = fileURLToPath(new URL("../../../node_modules/vite/bin/vite.js", import.meta.url));
const MAX_MAIN_BYTES = 250_000;

test("the built page's main script is at most 250 kB minified", () => {
  const outDir = mkdtempSync(join(tmpdir(), "web-client-bundle-"));
  try {
    const built = spawnSync(process.execPath, [VITE, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], { cwd: WEB_CLIENT, encoding: "utf8" });
    assert.equal(built.status, 0, built.stderr);
    const html = readFileSync(join(outDir, "index.html"), "utf8");
    const entries = [...html.matchAll(/<script type="module"[^>]*\ssrc="\/([^"]+\.js)"/g)].map((m) => m[1]);
    assert.equal(entries.length, 1, `one entry script in index.html (found ${entries.join(", ")})`);
    const bytes = statSync(join(outDir, entries[0])).size;
    assert.ok(bytes <= MAX_MAIN_BYTES, `${entries[0]} is ${bytes} bytes, over ${MAX_MAIN_BYTES}`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
