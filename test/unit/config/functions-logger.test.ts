/**
 * The production logger's entries as Cloud Logging receives them (firebase-functions writes one JSON
 * line per entry): the event is the entry's message, and a caller's own `message` field survives as
 * `detail` instead of being overwritten.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { functionsLogger } from "../../../functions/src/config/functions-logger";

/** The JSON entries written to stdout and stderr while `run` runs. */
function captured(run: () => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const grab = (chunk: unknown) => (lines.push(String(chunk)), true);
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
  }
  return lines.flatMap((line) => line.split("\n")).filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("an entry carries the event as its message and as a field, with the caller's fields", () => {
  const [entry] = captured(() => functionsLogger.warn("api-key.refused", { reason: "revoked", keyId: "key_x" }));
  assert.equal(entry.message, "api-key.refused");
  assert.equal(entry.event, "api-key.refused");
  assert.equal(entry.severity, "WARNING");
  assert.deepEqual([entry.reason, entry.keyId], ["revoked", "key_x"]);
});

test("a caller's message field is kept as detail, not overwritten by the entry's own", () => {
  const [entry] = captured(() => functionsLogger.error("api.unhandled", { message: "deadline exceeded", grpcCode: 4 }));
  // At error level firebase-functions makes the message a stack (so Error Reporting groups it), headed by the event.
  assert.match(String(entry.message), /^Error: api\.unhandled\n/);
  assert.equal(entry.event, "api.unhandled");
  assert.equal(entry.detail, "deadline exceeded");
  assert.equal(entry.grpcCode, 4);
  assert.equal(entry.severity, "ERROR");
});
