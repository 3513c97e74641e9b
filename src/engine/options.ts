// Options objects of the public API: one check for all of them. An unknown key (a typo, torch's snake_case, a
// synonym) is a RangeError naming it and, when one is close, the option that was probably meant:
//
//   new Adam(p, { learningRate: 0.5 })   →   Adam: unknown option 'learningRate' (known: lr, betas, …); did you mean 'lr'?
//
// Lowest layer (engine), so that every other layer can use it.

/** Throws a RangeError when `options` is not a plain options object, or holds a key outside `known`. */
export function checkOptions(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const got = options === null ? "null" : Array.isArray(options) ? "an array" : `${typeof options} ${String(options)}`;
    throw new RangeError(`${where}: options must be an object (got ${got})`);
  }
  // for…in rather than Object.keys: no array per call, since clipGradNorm checks its options at every step.
  for (const key in options) {
    if (Object.hasOwn(options, key) && !known.includes(key)) throw new RangeError(unknownOptionMessage(where, key, known));
  }
}

/** "where: unknown option 'key' (known: a, b, c); did you mean 'b'?"; `what` replaces "option" (e.g. "field"). */
export function unknownOptionMessage(where: string, key: string, known: readonly string[], what = "option"): string {
  return `${where}: unknown ${what} '${key}' (${known.length ? `known: ${known.join(", ")}` : "takes no options"})${didYouMean(key, known)}`;
}

/** "; did you mean 'b'?" when a known name is close to `key`, else "". */
export function didYouMean(key: string, known: readonly string[]): string {
  const guess = suggest(key, known);
  return guess ? `; did you mean '${guess}'?` : "";
}

/** Words people write for an option that has a shorter name here (as torch names it). */
const SYNONYMS: Record<string, string[]> = {
  lr: ["learningrate", "rate", "stepsize"],
  eps: ["epsilon"],
  betas: ["beta", "beta1", "beta2"],
  weightDecay: ["decay", "l2", "wd"],
  nonFinite: ["nanpolicy", "onnan", "nan", "naninf"],
};

/** The known name closest to a misspelt one, when close enough to suggest (else null). */
export function suggest(name: string, known: readonly string[]): string | null {
  const flat = normalize(name);
  // The same words in another case or separator (weight_decay, WeightDecay), or a known synonym.
  for (const k of known) if (normalize(k) === flat) return k;
  for (const k of known) if (SYNONYMS[k]?.includes(flat)) return k;
  // An abbreviation by initials, either way: learningRate → lr, wd → weightDecay.
  const initials = (s: string) => words(s).map((w) => w[0]).join("");
  for (const k of known) if (k.length > 1 && (initials(name) === k.toLowerCase() || initials(k) === flat)) return k;
  // A known name cut short (batch → batchSize), at three letters or more.
  if (flat.length >= 3) for (const k of known) if (normalize(k).startsWith(flat)) return k;
  let best: string | null = null, bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(flat, normalize(k));
    if (d < bestDistance) (best = k), (bestDistance = d);
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : null;
}

function normalize(s: string): string {
  return s.toLowerCase().replace(/[_\- ]/g, "");
}

/** camelCase / snake_case / kebab-case words, lowercased. */
function words(s: string): string[] {
  return s.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[_\- ]+/).filter(Boolean);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The keys of an options type, for checkOptions, written once as an object so that tsc checks them both ways (a
 * key missing from the list, or one the type lacks, is a compile error): `keysOf<FitOptions>({ optimizer: 1, ... })`.
 */
export function keysOf<T extends object>(keys: { [K in keyof Required<T>]: 1 }): readonly string[] {
  return Object.keys(keys);
}
