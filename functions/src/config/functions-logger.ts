/**
 * @module functions-logger
 * The production `Logger`: Cloud Logging structured entries through firebase-functions.
 */
import { logger } from "firebase-functions";
import type { Logger } from "./logger";

/**
 * The entry's fields. firebase-functions writes the entry's own `message` (the event, with a stack at
 * error level) over a field of that name, so a caller's `message` is kept as `detail`.
 */
function entry(event: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const { message, ...rest } = fields;
  return message === undefined ? { event, ...rest } : { event, ...rest, detail: message };
}

export const functionsLogger: Logger = {
  info: (event, fields) => logger.info(event, entry(event, fields)),
  warn: (event, fields) => logger.warn(event, entry(event, fields)),
  error: (event, fields) => logger.error(event, entry(event, fields)),
};
