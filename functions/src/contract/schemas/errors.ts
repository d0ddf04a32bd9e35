/**
 * @module errors
 * The error envelope every failed request answers with: never a stack trace or a store's message.
 */
import { z } from "zod";
import { ERROR_CODES } from "../error-codes";

export const errorEnvelope = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      retryAfterSeconds: z.number().int().nonnegative().optional(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "ErrorEnvelope", description: "What every failed request answers: the code decides the HTTP status." });
export type ErrorEnvelope = z.infer<typeof errorEnvelope>;
