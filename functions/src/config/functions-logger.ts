/**
 * @module functions-logger
 * The production `Logger`: Cloud Logging structured entries through firebase-functions.
 */
import { logger } from "firebase-functions";
import type { Logger } from "./logger";

export const functionsLogger: Logger = {
  info: (event, fields) => logger.info(event, { event, ...fields }),
  warn: (event, fields) => logger.warn(event, { event, ...fields }),
  error: (event, fields) => logger.error(event, { event, ...fields }),
};
