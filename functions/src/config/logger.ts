/**
 * @module logger
 * The structured logger handlers receive. Production passes firebase-functions' logger; tests pass a
 * recorder so they can assert what was (and was not) logged. Every message is a stable event name
 * plus fields, never free text with values spliced in.
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}
