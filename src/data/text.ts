// Character-level text data: a vocabulary of the characters a text uses, the text as token ids, and windows of
// it as samples for a language model:
//
//   sample i = ids[i·stride … i·stride + window − 1]        (token ids: the input of an Embedding)
//   target 'sequence' (default): ids[i·stride + 1 … i·stride + window], the next character at every step
//   target 'next':               ids[i·stride + window], the character after the window
//
// The corpora in Debian packages (wamerican's word list, fortunes-min's fortunes) are read by data/node/text.ts.
import { checkOptions } from "../engine/options.js";
import { Dataset } from "./dataset.js";
import { DataError } from "./errors.js";

/** The most distinct characters a vocabulary may have (ids are stored as float32, exact far beyond this). */
export const MAX_VOCABULARY = 65_536;

export class CharVocabulary {
  private readonly index = new Map<string, number>();

  /** The characters, in order of their ids (code-point order). */
  constructor(readonly chars: readonly string[]) {
    chars.forEach((c, i) => this.index.set(c, i));
  }

  /** The characters of `text`, sorted by code point. */
  static fromText(text: string, name = "text"): CharVocabulary {
    const chars = [...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    if (chars.length === 0) throw new DataError(name, "the text is empty");
    if (chars.length > MAX_VOCABULARY) throw new DataError(name, `${chars.length} distinct characters, more than the ${MAX_VOCABULARY} a vocabulary may have`);
    return new CharVocabulary(chars);
  }

  get size(): number {
    return this.chars.length;
  }

  /** The ids of the characters of `text` (a character outside the vocabulary is a DataError naming it). */
  encode(text: string, name = "text"): Float32Array {
    const chars = Array.from(text);
    const ids = new Float32Array(chars.length);
    chars.forEach((c, i) => {
      const id = this.index.get(c);
      if (id === undefined) throw new DataError(name, `character ${JSON.stringify(c)} at position ${i} is not in the vocabulary`);
      ids[i] = id;
    });
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    return Array.from(ids, (id) => this.chars[id] ?? "\uFFFD").join("");
  }
}

export interface TextWindowOptions {
  /** Characters per sample (default 32). */
  window?: number;
  /** Characters between the starts of two samples (default: window, no overlap). */
  stride?: number;
  /** 'sequence' (default): the next character at every step; 'next': only the one after the window. */
  target?: "sequence" | "next";
  name?: string;
}

/** Windows of the token ids `ids` of a text over `vocabulary` as a Dataset (see the top of this file). */
export function textWindows(ids: Float32Array, vocabulary: CharVocabulary, options: TextWindowOptions = {}): Dataset {
  checkOptions("textWindows", options, ["window", "stride", "target", "name"]);
  const { window = 32, target = "sequence", name = "text" } = options;
  const stride = options.stride ?? window;
  for (const [option, value] of [["window", window], ["stride", stride]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`textWindows: ${option} must be a positive integer, got ${value}`);
  }
  if (target !== "sequence" && target !== "next") throw new RangeError(`textWindows: target must be 'sequence' or 'next', got '${String(target)}'`);
  if (ids.length < window + 1) throw new DataError(name, `${ids.length} characters are too few for one window of ${window} and its next character`);
  const samples = Math.floor((ids.length - window - 1) / stride) + 1;
  const perSample = target === "sequence" ? window : 1;
  const x = new Float32Array(samples * window), labels = new Int32Array(samples * perSample);
  for (let s = 0; s < samples; s++) {
    const start = s * stride;
    x.set(ids.subarray(start, start + window), s * window);
    if (target === "sequence") for (let t = 0; t < window; t++) labels[s * window + t] = ids[start + t + 1]!;
    else labels[s] = ids[start + window]!;
  }
  return new Dataset({ x, shape: [window], labels, labelSize: perSample, numClasses: vocabulary.size, vocabularySize: vocabulary.size, name });
}
