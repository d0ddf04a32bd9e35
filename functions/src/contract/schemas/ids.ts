/**
 * @module ids
 * Document ids as this product accepts them: usable as a Firestore document id and in a URL path
 * segment. Anything else is refused before it reaches Firestore.
 */
import { z } from "zod";
import { ID_FORBIDDEN_CHARACTERS, ID_MAX_LENGTH } from "../document-bounds";

/**
 * A string of 1 to `max` UTF-16 units. zod's own `max` counts code points (as JSON Schema's maxLength
 * does), Firestore rules' `size()` counts UTF-16 units: the refinement holds the schema to the rules'
 * count, so a string the rules admit always parses and one they refuse never does.
 */
export const boundedText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => text.length <= max, `must be at most ${max} UTF-16 code units`);

/** An id of an agent, user, organization or source: 1 to 128 characters, no slash, not reserved. */
export const documentId = boundedText(ID_MAX_LENGTH)
  .regex(new RegExp(`^[^${ID_FORBIDDEN_CHARACTERS}]+$`), "must not contain '/' or control characters")
  .refine((id) => id !== "." && id !== ".." && !/^__.*__$/.test(id), "is a reserved Firestore id");
