/**
 * @module ids
 * Document ids as this product accepts them: usable as a Firestore document id and in a URL path
 * segment. Anything else is refused before it reaches Firestore.
 */
import { z } from "zod";

/** An id of an agent, user, organization or source: 1 to 128 characters, no slash, not reserved. */
export const documentId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^/\u0000-\u001f\u007f]+$/, "must not contain '/' or control characters")
  .refine((id) => id !== "." && id !== ".." && !/^__.*__$/.test(id), "is a reserved Firestore id");
