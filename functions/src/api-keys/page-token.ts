/**
 * @module page-token
 * AIP-158 page tokens of the key listing. A token holds the position of the last key a page showed,
 * in the listing's order (newest first: `createdAt` descending, then the public key id descending,
 * which orders keys made in the same millisecond), as base64url of a small JSON object; clients treat
 * it as opaque. It names only what that page already showed, never a key's stored hash (the document
 * id), and it is not signed: a forged token can only start the caller's own listing at another place.
 */
import { z } from "zod";
import { KEY_ID_PATTERN } from "./api-key-format";
import { fromBase64Url } from "../contract/base64url";

/** Where a page ended: the last key it showed. */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

const tokenPayload = z.strictObject({
  v: z.literal(1),
  t: z.number().int().min(0).max(8.64e15),
  id: z.string().regex(KEY_ID_PATTERN),
});

/**
 * The token that continues a listing after `position`.
 * @example encodePageToken({ createdAt: new Date(0), id: "key_AAAAAAAAAAAAAAAA" }) // "eyJ2IjoxLCJ0IjowLCJpZCI6..."
 */
export function encodePageToken(position: ListPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, t: position.createdAt.getTime(), id: position.id })).toString("base64url");
}

/** The position a token names, or null when it is not a token `encodePageToken` made. */
export function decodePageToken(token: string): ListPosition | null {
  const bytes = fromBase64Url(token);
  if (!bytes) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return null;
  }
  const parsed = tokenPayload.safeParse(payload);
  return parsed.success ? { createdAt: new Date(parsed.data.t), id: parsed.data.id } : null;
}
