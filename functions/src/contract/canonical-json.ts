/**
 * @module canonical-json
 * The one serialization that signatures are computed over: the JSON Canonicalization Scheme of
 * RFC 8785 (JCS) for the values a view holds. Keys are sorted by their UTF-16 code units (what
 * JavaScript's default sort compares) at every depth, no whitespace is emitted, and numbers and
 * strings are written as ECMAScript's `JSON.stringify` writes them (which is what JCS prescribes), so
 * the bytes depend only on the data, never on insertion order or on the order Firestore returns map
 * fields in. Server and browser both use this module; any change here is a change of the signature
 * format and needs a new message header (`signed-message.ts`).
 */

/** A JSON value as it may appear in a signed document. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Serializes `value` canonically.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 * @throws TypeError for values JSON cannot represent exactly (undefined, NaN, Infinity, functions).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number");
      // -0 and 0 must serialize alike: JSON.stringify already prints "0" for both.
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      const parts: string[] = [];
      for (const key of keys) {
        if (record[key] === undefined) throw new TypeError(`canonicalJson: undefined at "${key}"`);
        parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot serialize ${typeof value}`);
  }
}
