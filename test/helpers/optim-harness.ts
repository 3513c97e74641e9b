// Runs an optimizer on the reference problem on every backend and checks it three ways: the SIMD, scalar and
// JavaScript kernels agree bit for bit (relaxed SIMD within a tolerance, it fuses multiply-adds), all follow the
// PyTorch trajectory in test/data/optim/<case>.json, and stateDict/loadStateDict resume bit-identically.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type Backend, type Engine, type Optimizer, type Parameter } from "../../src/index.js";
import { gradient, initialParams, loss, N } from "./problem.js";

export type MakeOptimizer = (params: Parameter[]) => Optimizer<any>;

interface Reference {
  steps: number;
  trajectory: number[][];
}

export function loadReference(name: string): Reference {
  return JSON.parse(readFileSync(new URL(`../data/optim/${name}.json`, import.meta.url), "utf8"));
}

/** The shapes of the three tensors w, b, v (20 + 1 + 16 = 37 values); optimizers that treat matrices apart
 * (Adafactor, Muon) take others, e.g. [[4, 5], [1], [2, 2, 4]]. */
export type Shapes = readonly (readonly number[])[];
const FLAT: Shapes = [[20], [1], [16]];

/** Splits the 37 parameters into three tensors packed in one flat buffer (one contiguous run). */
export function makeParams(engine: Engine, shapes: Shapes = FLAT): Parameter[] {
  const p0 = initialParams();
  let k = 0;
  return engine.parameters(shapes.map((shape, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return { values: p0.subarray(k, (k += size)), shape, name: ["w", "b", "v"][i]! };
  }));
}

function flat(params: Parameter[]): Float32Array {
  const out = new Float32Array(N);
  let k = 0;
  for (const p of params) out.set(p.data, k), (k += p.length);
  return out;
}

/** One step: gradient at the current parameters, then optimizer.step() (or step(closure) for closure-based ones). */
export function stepOnce(opt: Optimizer<any>, params: Parameter[]): void {
  const closure = () => {
    const x = flat(params);
    const g = new Float32Array(N);
    gradient(x, g);
    let k = 0;
    for (const p of params) p.grad.set(g.subarray(k, k + p.length)), (k += p.length);
    return loss(x);
  };
  const step = opt.step as (closure?: () => number) => unknown;
  if (step.length > 0) step.call(opt, closure);
  else closure(), step.call(opt);
}

export async function trajectory(backend: Backend, make: MakeOptimizer, steps: number, shapes: Shapes = FLAT): Promise<Float32Array[]> {
  const engine = await createEngine({ backend });
  const params = makeParams(engine, shapes);
  const opt = make(params);
  const out: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    stepOnce(opt, params);
    out.push(flat(params));
  }
  return out;
}

/** max over elements of |x − y| / (atol + rtol |y|): at most 1 when x is within tolerance of y. */
export function closeness(x: ArrayLike<number>, y: ArrayLike<number>, rtol: number, atol: number): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    const e = Math.abs(x[i]! - y[i]!) / (atol + rtol * Math.abs(y[i]!));
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}

export interface CaseOptions {
  /** Tolerance against PyTorch (default rtol 2e-4, atol 2e-5). */
  rtol?: number;
  atol?: number;
  /** The tensors' shapes (default three vectors). */
  shapes?: Shapes;
}

/** Declares the tests of one optimizer case against test/data/optim/<name>.json. */
export function optimizerCase(name: string, make: MakeOptimizer, options: CaseOptions = {}): void {
  const { rtol = 2e-4, atol = 2e-5, shapes = FLAT } = options;
  describe(name, () => {
    const ref = loadReference(name);
    it("simd, scalar and js agree bit for bit; relaxed-simd within tolerance; all follow PyTorch", async () => {
      const js = await trajectory("js", make, ref.steps, shapes);
      for (const backend of ["simd", "scalar"] as const) {
        const t = await trajectory(backend, make, ref.steps, shapes);
        t.forEach((row, s) => expect(row, `${backend} step ${s + 1}`).toEqual(js[s]));
      }
      const relaxed = await trajectory("relaxed-simd", make, ref.steps, shapes);
      relaxed.forEach((row, s) => expect(closeness(row, js[s]!, rtol, atol), `relaxed step ${s + 1}`).toBeLessThanOrEqual(1));
      // The parameters must move, or the comparison proves nothing.
      expect(closeness(js[ref.steps - 1]!, initialParams(), 1e-3, 1e-3)).toBeGreaterThan(1);
      js.forEach((row, s) => expect(closeness(row, ref.trajectory[s]!, rtol, atol), `vs PyTorch, step ${s + 1}`).toBeLessThanOrEqual(1));
    });

    it("resumes bit-identically from stateDict", () => expectResumesBitIdentically(make, ref.steps, Math.floor(ref.steps / 2), "simd", shapes));
  });
}

/** Runs `steps` steps on simd in one go, and again stopping after step k: the parameters and a clone of the
 * stateDict go to a fresh optimizer on `resumeOn`, which does the rest. The end must be the same, bit for bit. */
export async function expectResumesBitIdentically(make: MakeOptimizer, steps: number, k: number, resumeOn: Backend = "simd", shapes: Shapes = FLAT): Promise<void> {
  const whole = await trajectory("simd", make, steps, shapes);
  const engineA = await createEngine({ backend: "simd" });
  const paramsA = makeParams(engineA, shapes);
  const optA = make(paramsA);
  for (let s = 0; s < k; s++) stepOnce(optA, paramsA);
  const saved = structuredClone(optA.stateDict());
  const engineB = await createEngine({ backend: resumeOn });
  const paramsB = makeParams(engineB, shapes);
  paramsB.forEach((p, i) => p.data.set(paramsA[i]!.data));
  const optB = make(paramsB);
  optB.loadStateDict(saved);
  for (let s = k; s < steps; s++) stepOnce(optB, paramsB);
  expect(flat(paramsB), `resumed on ${resumeOn} after step ${k}`).toEqual(whole[steps - 1]);
}
