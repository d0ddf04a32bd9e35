/**
 * @module fail
 * Ends the process with one sentence that says what to do, instead of a stack trace.
 */
export function fail(sentence) {
  process.stderr.write(`\n✖ ${sentence}\n\n`);
  process.exit(1);
}
