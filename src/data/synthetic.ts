// Seeded synthetic datasets for small experiments (2-D classification and a nonlinear regression). The same
// options and seed give the same samples; samples come grouped by class, in generation order.
import { Rng } from "../engine/rng.js";
import { Dataset } from "./dataset.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface SyntheticOptions {
  /** Total number of samples. */
  samples?: number;
  /** Standard deviation of the Gaussian noise. */
  noise?: number;
  seed?: number;
}

/** Splits n samples over k classes as evenly as possible (the first n mod k classes get one more). */
function perClass(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

function checkCount(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${value}`);
}

function checkNoise(what: string, noise: number): void {
  if (!(noise >= 0 && Number.isFinite(noise))) throw new RangeError(`${what}: noise must be ≥ 0, got ${noise}`);
}

/**
 * k interleaved spiral arms in the plane, one class per arm. Point i of arm j, at r = (i + ½) / m for m points:
 *
 *   θ = 2π j / k + 2π · turns · r        x = (r cos θ, r sin θ) + noise · N(0, I)
 */
export function makeSpirals(options: SyntheticOptions & { arms?: number; turns?: number } = {}): Dataset {
  checkOptions("makeSpirals", options, ["samples", "noise", "seed", "arms", "turns"]);
  const { samples = 300, arms = 3, turns = 1, noise = 0.05, seed = 0 } = options;
  checkCount("makeSpirals: samples", samples, 1);
  checkCount("makeSpirals: arms", arms, 2);
  checkNoise("makeSpirals", noise);
  const rng = new Rng(seed);
  const x = new Float32Array(2 * samples), labels = new Int32Array(samples);
  let s = 0;
  perClass(samples, arms).forEach((m, j) => {
    for (let i = 0; i < m; i++, s++) {
      const r = (i + 0.5) / m;
      const theta = (2 * Math.PI * j) / arms + 2 * Math.PI * turns * r;
      x[2 * s] = r * Math.cos(theta) + noise * rng.normal();
      x[2 * s + 1] = r * Math.sin(theta) + noise * rng.normal();
      labels[s] = j;
    }
  });
  return new Dataset({ x, shape: [2], labels, numClasses: arms, name: "spirals" });
}

/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 on (cos t, sin t), class 1 on
 * (1 − cos t, ½ − sin t), t evenly spaced in [0, π], plus noise · N(0, I).
 */
export function makeMoons(options: SyntheticOptions = {}): Dataset {
  checkOptions("makeMoons", options, ["samples", "noise", "seed"]);
  const { samples = 200, noise = 0.1, seed = 0 } = options;
  checkCount("makeMoons: samples", samples, 2);
  checkNoise("makeMoons", noise);
  const rng = new Rng(seed);
  const x = new Float32Array(2 * samples), labels = new Int32Array(samples);
  const outer = Math.floor(samples / 2);
  for (let s = 0; s < samples; s++) {
    const inner = s >= outer ? 1 : 0;
    const m = inner ? samples - outer : outer;
    const i = inner ? s - outer : s;
    const t = m > 1 ? (Math.PI * i) / (m - 1) : 0;
    x[2 * s] = (inner ? 1 - Math.cos(t) : Math.cos(t)) + noise * rng.normal();
    x[2 * s + 1] = (inner ? 0.5 - Math.sin(t) : Math.sin(t)) + noise * rng.normal();
    labels[s] = inner;
  }
  return new Dataset({ x, shape: [2], labels, numClasses: 2, name: "moons" });
}

export interface BlobsOptions {
  samples?: number;
  /** Number of centres (drawn uniformly in `box`), or the centres themselves. */
  centers?: number | readonly (readonly number[])[];
  /** Features per sample when the centres are drawn (default 2). */
  features?: number;
  /** Standard deviation of each blob. */
  std?: number;
  /** Range of the drawn centres' coordinates. */
  box?: readonly [number, number];
  seed?: number;
}

/** Isotropic Gaussian blobs, one class per centre (scikit-learn's make_blobs): x = c_k + std · N(0, I). */
export function makeBlobs(options: BlobsOptions = {}): Dataset {
  checkOptions("makeBlobs", options, keysOf<BlobsOptions>({ samples: 1, centers: 1, features: 1, std: 1, box: 1, seed: 1 }));
  const { samples = 300, centers = 3, features = 2, std = 1, box = [-10, 10], seed = 0 } = options;
  checkCount("makeBlobs: samples", samples, 1);
  checkNoise("makeBlobs (std)", std);
  const rng = new Rng(seed);
  let cs: readonly (readonly number[])[];
  if (typeof centers === "number") {
    checkCount("makeBlobs: centers", centers, 1);
    checkCount("makeBlobs: features", features, 1);
    cs = Array.from({ length: centers }, () => Array.from({ length: features }, () => box[0] + (box[1] - box[0]) * rng.uniform()));
  } else {
    cs = centers;
    if (cs.length === 0 || cs.some((c) => c.length !== cs[0]!.length || c.length === 0)) {
      throw new RangeError("makeBlobs: centers must be a non-empty list of points of one dimension");
    }
  }
  const d = cs[0]!.length;
  const x = new Float32Array(d * samples), labels = new Int32Array(samples);
  let s = 0;
  perClass(samples, cs.length).forEach((m, k) => {
    for (let i = 0; i < m; i++, s++) {
      for (let j = 0; j < d; j++) x[d * s + j] = cs[k]![j]! + std * rng.normal();
      labels[s] = k;
    }
  });
  return new Dataset({ x, shape: [d], labels, numClasses: cs.length, name: "blobs" });
}

/**
 * Friedman's regression problem #1 (scikit-learn's make_friedman1): x uniform in [0, 1]^features (features ≥ 5,
 * only the first five matter) and one target
 *
 *   y = 10 sin(π x₀ x₁) + 20 (x₂ − ½)² + 10 x₃ + 5 x₄ + noise · N(0, 1)
 */
export function makeFriedman1(options: SyntheticOptions & { features?: number } = {}): Dataset {
  checkOptions("makeFriedman1", options, ["samples", "noise", "seed", "features"]);
  const { samples = 200, features = 5, noise = 1, seed = 0 } = options;
  checkCount("makeFriedman1: samples", samples, 1);
  checkCount("makeFriedman1: features", features, 5);
  checkNoise("makeFriedman1", noise);
  const rng = new Rng(seed);
  const x = new Float32Array(features * samples), targets = new Float32Array(samples);
  for (let s = 0; s < samples; s++) {
    const row = x.subarray(features * s, features * (s + 1));
    for (let j = 0; j < features; j++) row[j] = rng.uniform();
    const friedman = 10 * Math.sin(Math.PI * row[0]! * row[1]!) + 20 * (row[2]! - 0.5) ** 2 + 10 * row[3]! + 5 * row[4]!;
    targets[s] = friedman + noise * rng.normal();
  }
  return new Dataset({ x, shape: [features], targets, targetSize: 1, name: "friedman1" });
}
