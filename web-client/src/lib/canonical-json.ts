/**
 * @module canonical-json
 * The browser twin of the server's canonical serialization, the bytes a view signature covers; it
 * must match `functions/src/domain/canonical-json.ts` byte for byte or every signature fails.
 */

/**
 * Serializes `value` with keys sorted (default string order) at every depth and no whitespace.
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
      // JSON.stringify would quietly turn these into "null", which the server never signs.
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number");
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        if (record[key] === undefined) throw new TypeError(`canonicalJson: undefined at "${key}"`);
        parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot serialize ${typeof value}`);
  }
}
