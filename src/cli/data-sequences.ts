// The sequence datasets of the --data flag, each with options after a colon ('adding:len=100'):
//
//   adding[:len=50,samples=2000]           the adding problem (regression), T = len steps of 2 features
//   copy[:len=10,delay=20,symbols=8,samples=2000]   the copy task, a label per step
//   words[:window=32]                      wamerican's word list, character windows, the next character per step
//   fortunes[:window=64]                   fortunes-min's texts, the same
//   nile[:window=10]                       the Nile's annual flow, the next year from the `window` before
//
// Synthetic tasks: training samples from seed 0, a quarter as many test samples from seed 1. Texts: windows
// that do not overlap, split 90/10 at random (seed 0), the vocabulary of the whole text.
import type { Dataset } from "../data/dataset.js";
import { nileForecasting } from "../data/builtin/nile.js";
import { readFortunes, readWords } from "../data/node/text.js";
import { makeAddingProblem, makeCopyTask } from "../data/sequences.js";
import { CharVocabulary, textWindows } from "../data/text.js";
import { checkKnownOptions, parseSpec, type ParsedSpec } from "../lab/spec.js";
import type { LoadedData } from "./data.js";
import { UsageError } from "./usage.js";

export const SEQUENCE_DATA_NAMES = ["adding", "copy", "words", "fortunes", "nile"] as const;

/** The sequence dataset `text` names ('adding:len=100'), or null when it names none of them. */
export async function loadSequenceData(text: string): Promise<LoadedData | null> {
  const name = text.split(":")[0]!.trim().toLowerCase();
  if (!(SEQUENCE_DATA_NAMES as readonly string[]).includes(name)) return null;
  let spec: ParsedSpec;
  try {
    spec = parseSpec(text, "--data");
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const option = (key: string, fallback: number, min: number): number => {
    const v = spec.options[key] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new UsageError(`--data '${text}': ${key} must be an integer ≥ ${min}, got ${String(v)}`);
    return v;
  };
  const known = (keys: string[]) => {
    try {
      checkKnownOptions(spec, keys, "--data");
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (spec.positional.length) throw new UsageError(`--data '${text}': options are written key=value (e.g. '${name}:${keys[0]}=${spec.positional[0]}')`);
  };
  switch (name) {
    case "adding": {
      known(["len", "samples"]);
      const length = option("len", 50, 2), samples = option("samples", 2000, 4);
      return synthetic("adding", `the adding problem (Hochreiter & Schmidhuber 1997), ${length} steps: the sum of the two marked values (regression; answering 1 always scores 0.167)`,
        makeAddingProblem({ samples, length, seed: 0 }), makeAddingProblem({ samples: Math.ceil(samples / 4), length, seed: 1 }));
    }
    case "copy": {
      known(["len", "delay", "symbols", "samples"]);
      const o = { length: option("len", 10, 1), delay: option("delay", 20, 0), symbols: option("symbols", 8, 1) }, samples = option("samples", 2000, 4);
      return synthetic("copy", `the copy task: remember ${o.length} of ${o.symbols} symbols over ${o.delay} blank steps, then repeat them (a label per step)`,
        makeCopyTask({ ...o, samples, seed: 0 }), makeCopyTask({ ...o, samples: Math.ceil(samples / 4), seed: 1 }));
    }
    case "words":
    case "fortunes": {
      known(["window"]);
      const window = option("window", name === "words" ? 32 : 64, 1);
      const corpus = name === "words" ? await readWords() : await readFortunes();
      const vocabulary = CharVocabulary.fromText(corpus, name);
      const all = textWindows(vocabulary.encode(corpus, name), vocabulary, { window, name });
      const [train, test] = all.split(0.9, 0);
      const what = name === "words" ? "English words (Debian's wamerican word list)" : "fortunes (Debian's fortunes-min)";
      return {
        name,
        description: `${what}: windows of ${window} characters, the next character at every step, ${vocabulary.size} distinct characters; ${train!.length} train / ${test!.length} test windows`,
        train: train!.derive({ name: `${name} (train)` }),
        test: test!.derive({ name: `${name} (test)` }),
      };
    }
    default: {
      known(["window"]);
      const window = option("window", 10, 1);
      if (window > 80) throw new UsageError(`--data '${text}': window must be at most 80 (the series has 100 years), got ${window}`);
      const { train, test } = nileForecasting({ window });
      return {
        name: "nile",
        description: `the Nile's annual flow at Aswan 1871–1970 (public domain): the next year from the ${window} before, standardized; ${train.length} train / ${test.length} later test windows`,
        train, test,
      };
    }
  }
}

function synthetic(name: string, description: string, train: Dataset, test: Dataset): LoadedData {
  return {
    name,
    description: `${description}; ${train.length} train / ${test.length} test samples`,
    train: train.derive({ name: `${name} (train)` }),
    test: test.derive({ name: `${name} (test)` }),
  };
}
