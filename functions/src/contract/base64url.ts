/**
 * @module base64url
 * RFC 4648 §5 encoding without padding, the form keys, signatures and page tokens travel in, written
 * with `btoa`/`atob` so the same code runs in Node and in browsers. Decoding is strict: anything that
 * is not base64url answers null, so a mangled value can never verify.
 */

/** Encodes bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes base64url (padding optional) into bytes; null when the text is not valid base64url.
 * @example fromBase64Url("AQID") // Uint8Array [1, 2, 3]
 */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
  const unpadded = text.replace(/=+$/, "");
  // A single leftover character carries only 6 bits: no byte string encodes to that length.
  if (unpadded.length % 4 === 1) return null;
  const base64 = unpadded.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
