// Long-memory tasks from the literature that separate a vanilla RNN from an LSTM, seeded, the sequence length a
// knob. Both need information from far back in the sequence, so the gradient must carry it over many steps.
//
//   adding problem   (Hochreiter & Schmidhuber 1997, experiment 4, in the form of Le, Jaitly & Hinton 2015)
//                    input [T, 2]: channel 0 values U(0, 1); channel 1 marks two steps with 1, one in each half of
//                    the sequence. Target: the sum of the two marked values (regression). Always answering 1 gives
//                    a mean squared error of 1/6 ≈ 0.167: a model must beat that to have learnt anything.
//   copy task        (Hochreiter & Schmidhuber 1997; Arjovsky, Shah & Bengio 2016) tokens: `length` symbols from
//                    1..symbols, `delay` blanks (0), a delimiter (symbols + 1), then length − 1 blanks, T = 2·length
//                    + delay steps. Labels, one per step: blank for the first length + delay steps, then the symbols
//                    in order. Guessing blanks and then uniformly gives a cross-entropy of
//                    length · ln(symbols) / T per step.
import { checkOptions } from "../engine/options.js";
import { Rng } from "../engine/rng.js";
import { Dataset } from "./dataset.js";

export interface AddingProblemOptions {
  /** Sequences (default 1000). */
  samples?: number;
  /** Steps per sequence T (default 50). */
  length?: number;
  seed?: number;
}

function checkCount(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${value}`);
}

/** The adding problem: samples of shape [length, 2], one target each (the sum of the two marked values). */
export function makeAddingProblem(options: AddingProblemOptions = {}): Dataset {
  checkOptions("makeAddingProblem", options, ["samples", "length", "seed"]);
  const { samples = 1000, length = 50, seed = 0 } = options;
  checkCount("makeAddingProblem: samples", samples, 1);
  checkCount("makeAddingProblem: length", length, 2);
  const rng = new Rng(seed);
  const x = new Float32Array(samples * length * 2), targets = new Float32Array(samples);
  const half = Math.floor(length / 2);
  for (let s = 0; s < samples; s++) {
    const row = s * length * 2;
    for (let t = 0; t < length; t++) x[row + 2 * t] = rng.uniform();
    const a = Math.floor(rng.uniform() * half), b = half + Math.floor(rng.uniform() * (length - half));
    x[row + 2 * a + 1] = 1;
    x[row + 2 * b + 1] = 1;
    targets[s] = x[row + 2 * a]! + x[row + 2 * b]!;
  }
  return new Dataset({ x, shape: [length, 2], targets, targetSize: 1, name: `adding problem (T = ${length})` });
}

export interface CopyTaskOptions {
  samples?: number;
  /** Symbols to remember and copy (default 10). */
  length?: number;
  /** Blank steps between the symbols and the delimiter (default 20). */
  delay?: number;
  /** Distinct symbols (default 8). */
  symbols?: number;
  seed?: number;
}

/** The copy task: token sequences of 2·length + delay steps, one label per step. */
export function makeCopyTask(options: CopyTaskOptions = {}): Dataset {
  checkOptions("makeCopyTask", options, ["samples", "length", "delay", "symbols", "seed"]);
  const { samples = 1000, length = 10, delay = 20, symbols = 8, seed = 0 } = options;
  checkCount("makeCopyTask: samples", samples, 1);
  checkCount("makeCopyTask: length", length, 1);
  checkCount("makeCopyTask: delay", delay, 0);
  checkCount("makeCopyTask: symbols", symbols, 1);
  const T = 2 * length + delay;
  const rng = new Rng(seed);
  const x = new Float32Array(samples * T), labels = new Int32Array(samples * T);
  for (let s = 0; s < samples; s++) {
    const row = s * T;
    for (let i = 0; i < length; i++) {
      const symbol = 1 + Math.floor(rng.uniform() * symbols);
      x[row + i] = symbol;
      labels[row + length + delay + i] = symbol;
    }
    x[row + length + delay] = symbols + 1;
  }
  return new Dataset({
    x, shape: [T], labels, labelSize: T, numClasses: symbols + 1, vocabularySize: symbols + 2,
    name: `copy task (${length} symbols, delay ${delay})`,
  });
}
