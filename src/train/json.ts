// JSON that keeps NaN and ±Infinity (a scheduler's best metric starts at Infinity; a history has NaN for values not
// measured): such numbers are written as the strings "NaN", "Infinity" and "-Infinity" inside a {"$number": ...}
// object, which no real value takes, and read back as numbers.

const KEY = "$number";

export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? { [KEY]: String(v) } : v));
}

export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === KEY) return Number((v as Record<string, string>)[KEY]);
    }
    return v;
  });
}
