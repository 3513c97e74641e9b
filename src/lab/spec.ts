// Text specs, as the command line takes them:   name[:part,part,...]
//
//   optimizer  'sgd:lr=0.05,momentum=0.9,nesterov'   'adam:lr=1e-3,betas=0.9/0.999'   (see spec-optimizers.ts)
//   schedule   'cosine:tMax=10'   'onecycle:maxLr=0.1'   'plateau'                       (see spec-schedules.ts)
//   model      'mlp:256,128'   'mlp:64,activation=tanh'   'cnn'                          (see spec-models.ts)
//
// A part is key=value (keys in camelCase, as the constructors name their options), a bare key (meaning true), or
// a bare number (a positional value: the layer widths of 'mlp'). Values are numbers, true/false, null, lists
// ('[0.9,0.999]' or '0.9/0.999') or words. Errors name the spec and the bad part.

import { didYouMean, suggest } from "../engine/options.js";

export { suggest };

export type SpecValue = number | boolean | string | null | number[];

export interface ParsedSpec {
  /** The whole text, for messages. */
  text: string;
  /** The name before ':', lowercased. */
  name: string;
  /** Bare numbers, in order. */
  positional: number[];
  /** key=value parts and bare keys (true), in order. */
  options: Record<string, SpecValue>;
}

/** A spec that cannot be understood: the message names the spec, the bad part and, when it helps, the choices. */
export class SpecError extends RangeError {
  override name = "SpecError";
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a spec into its name, positional numbers and options. `what` names the kind of spec in errors. */
export function parseSpec(text: string, what: string): ParsedSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const name = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim().toLowerCase();
  if (!KEY.test(name)) throw new SpecError(`${what} '${text}': expected a name, then optionally ':' and options (e.g. 'sgd:lr=0.1')`);
  const parsed: ParsedSpec = { text: trimmed, name, positional: [], options: {} };
  if (colon < 0) return parsed;
  for (const part of splitTopLevel(trimmed.slice(colon + 1), text, what)) {
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (NUMBER.test(part)) parsed.positional.push(Number(part));
      else if (KEY.test(part)) setOption(parsed, part, true, what);
      else throw new SpecError(`${what} '${text}': cannot read '${part}' (expected key=value, a flag or a number)`);
      continue;
    }
    const key = part.slice(0, eq).trim();
    if (!KEY.test(key)) throw new SpecError(`${what} '${text}': '${key}' in '${part}' is not an option name`);
    setOption(parsed, key, parseValue(part.slice(eq + 1).trim(), key, text, what), what);
  }
  return parsed;
}

function setOption(spec: ParsedSpec, key: string, value: SpecValue, what: string): void {
  if (Object.hasOwn(spec.options, key)) throw new SpecError(`${what} '${spec.text}': option '${key}' is given twice`);
  spec.options[key] = value;
}

/** Splits on commas outside brackets; empty parts are an error. */
function splitTopLevel(body: string, text: string, what: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i <= body.length; i++) {
    const c = body[i];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    if (depth < 0) throw new SpecError(`${what} '${text}': unbalanced ']'`);
    if ((c === "," && depth === 0) || i === body.length) {
      const part = body.slice(start, i).trim();
      if (part === "") throw new SpecError(`${what} '${text}': an empty option (two commas, or a trailing comma or colon)`);
      parts.push(part);
      start = i + 1;
    }
  }
  if (depth !== 0) throw new SpecError(`${what} '${text}': unbalanced '['`);
  return parts;
}

function parseValue(raw: string, key: string, text: string, what: string): SpecValue {
  if (raw === "") throw new SpecError(`${what} '${text}': option '${key}' has no value`);
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === "null") return null;
  if (NUMBER.test(raw)) return Number(raw);
  const list = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1).split(",") : raw.includes("/") ? raw.split("/") : null;
  if (list) {
    const items = list.map((s) => s.trim());
    if (items.every((s) => NUMBER.test(s))) return items.map(Number);
    throw new SpecError(`${what} '${text}': option '${key}' = '${raw}' is not a list of numbers`);
  }
  return raw;
}

/** Throws when the spec has options outside `known` (the message lists them). */
export function checkKnownOptions(spec: ParsedSpec, known: readonly string[], what: string): void {
  for (const key of Object.keys(spec.options)) {
    if (!known.includes(key)) {
      const hint = known.length ? `known options of '${spec.name}': ${known.join(", ")}` : `'${spec.name}' takes no options`;
      throw new SpecError(`${what} '${spec.text}': unknown option '${key}' (${hint})${didYouMean(key, known)}`);
    }
  }
}

/** Throws when the spec has positional numbers but takes none. */
export function checkNoPositional(spec: ParsedSpec, what: string): void {
  if (spec.positional.length) {
    throw new SpecError(`${what} '${spec.text}': unexpected value '${spec.positional[0]}' (options are written key=value)`);
  }
}

/** The options as text, e.g. 'lr=0.05, momentum=0.9, nesterov' (for labels). */
export function formatOptions(options: Record<string, SpecValue>): string {
  return Object.entries(options)
    .map(([k, v]) => (v === true ? k : `${k}=${Array.isArray(v) ? v.join("/") : String(v)}`))
    .join(", ");
}

/** "unknown X 'name' (known: a, b, c; did you mean 'b'?)" */
export function unknownName(what: string, text: string, name: string, known: readonly string[]): SpecError {
  const guess = suggest(name, known);
  return new SpecError(`${what} '${text}': unknown ${what} '${name}' (known: ${known.join(", ")}${guess ? `; did you mean '${guess}'?` : ""})`);
}
