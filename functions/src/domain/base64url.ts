/**
 * @module base64url
 * RFC 4648 §5 encoding without padding, the form keys and signatures travel in.
 */

/** Encodes bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** Decodes unpadded (or padded) base64url; returns null when the text is not base64url. */
export function fromBase64Url(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
  return Buffer.from(text, "base64url");
}
