import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { Dataset } from "../src/data/dataset.js";
import { createEngine } from "../src/index.js";
import { Tanh } from "../src/nn/activations.js";
import { Linear } from "../src/nn/linear.js";
import { BCEWithLogitsLoss, CrossEntropyLoss, MSELoss } from "../src/nn/losses.js";
import { Sequential } from "../src/nn/sequential.js";
import { modelObjective } from "../src/train/hessian.js";
import { choleskySolveShifted, gradientDescent, hessianFree, lbfgs, newton } from "../src/train/second-order.js";

const digits = loadDigits().train.subset(Array.from({ length: 300 }, (_, i) => i));

async function linearModel(outputs: number) {
  const engine = await createEngine({ backend: "js" });
  return new Sequential([new Linear(64, outputs)]).compile(engine, { inputShape: [64], batchSize: 64, seed: 1 });
}

describe("second-order minimizers", () => {
  it("Newton converges quadratically on L2-regularized logistic regression: ‖g_{k+1}‖ / ‖g_k‖² stays bounded", async () => {
    // Digit 0 against the rest: a real, strongly convex (with the L2 term) problem.
    const targets = Float32Array.from(digits.labels!, (l) => (l === 0 ? 1 : 0));
    const binary = new Dataset({ x: Float32Array.from(digits.x, (v) => v * digits.scale + digits.offset), shape: [64], targets, name: "digit 0 vs rest" });
    const obj = modelObjective(await linearModel(1), new BCEWithLogitsLoss(), binary, { l2: 1e-2 });
    const trace = newton(obj, obj.read(), { tolerance: 1e-13 });
    expect(trace.converged).toBe(true);
    expect(trace.values.length).toBeLessThan(15);
    const g = trace.gradientNorms;
    // Once in the quadratic region the ratio e_{k+1} / e_k² is bounded (here by 10); the errors fall ≥ 10× per step.
    const tail = g.map((v, k) => [v, g[k + 1]] as const).filter(([v, next]) => next !== undefined && v < 1e-2 && next > 1e-14);
    expect(tail.length).toBeGreaterThanOrEqual(2);
    for (const [v, next] of tail) expect(next! / (v * v)).toBeLessThan(10);
    // Gradient descent's ratio e_{k+1} / e_k tends to a constant < 1: linear.
    const gd = gradientDescent(obj, obj.read(), { maxIterations: 400 });
    const r1 = gd.gradientNorms[300]! / gd.gradientNorms[299]!, r2 = gd.gradientNorms[399]! / gd.gradientNorms[398]!;
    expect(r1).toBeGreaterThan(0.5);
    expect(r2).toBeCloseTo(r1, 2);
  });

  it("softmax regression: Newton, L-BFGS and Hessian-free reach the same minimum; Newton in the fewest iterations", async () => {
    const obj = modelObjective(await linearModel(10), new CrossEntropyLoss(), digits, { l2: 1e-2 });
    const start = obj.read();
    const nt = newton(obj, start, { tolerance: 1e-9 });
    const lb = lbfgs(obj, start, { tolerance: 1e-7 });
    const hf = hessianFree(obj, start, { tolerance: 1e-9 });
    for (const t of [nt, lb, hf]) expect(t.converged).toBe(true);
    expect(lb.values.at(-1)!).toBeCloseTo(nt.values.at(-1)!, 10);
    expect(hf.values.at(-1)!).toBeCloseTo(nt.values.at(-1)!, 10);
    expect(nt.values.length).toBeLessThan(lb.values.length);
    expect(nt.memoryFloats).toBe(650 * 650);
    expect(hf.hessianVectors.at(-1)!).toBeGreaterThan(0);
  });

  it("Hessian-free trains a small tanh network (non-convex) to a stationary point; writing θ back sets the model's weights", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new Linear(64, 16), new Tanh(), new Linear(16, 10)]).compile(engine, { inputShape: [64], batchSize: 64, seed: 2 });
    const obj = modelObjective(model, new CrossEntropyLoss(), digits, { l2: 1e-3 });
    expect(obj.hessian).toBeNull();
    expect(() => newton(obj, obj.read())).toThrow("the dense Hessian is available only for a model that is one Linear layer");
    const trace = hessianFree(obj, obj.read(), { tolerance: 1e-5, maxIterations: 100 });
    expect(trace.values.at(-1)!).toBeLessThan(trace.values[0]! / 5);
    for (let k = 1; k < trace.values.length; k++) expect(trace.values[k]!).toBeLessThanOrEqual(trace.values[k - 1]!);
    obj.write(trace.theta);
    expect(model.parameters()[0]!.data[0]).toBe(Math.fround(trace.theta[0]!));
  });

  it("least squares (Linear + MSELoss): the objective is quadratic, so one Newton step lands on the minimum", async () => {
    const x = Float32Array.from({ length: 50 * 64 }, (_, i) => Math.sin(0.7 * i));
    const y = Float32Array.from({ length: 50 * 2 }, (_, i) => Math.cos(0.3 * i));
    const data = new Dataset({ x, shape: [64], targets: y, name: "least squares" });
    const obj = modelObjective(await linearModel(2), new MSELoss(), data, { l2: 1e-3 });
    const trace = newton(obj, obj.read(), { tolerance: 1e-10 });
    expect(trace.converged).toBe(true);
    expect(trace.values.length - 1).toBe(1);
  });

  it("the shifted Cholesky solve handles an indefinite matrix by adding τ I", () => {
    const x = choleskySolveShifted(Float64Array.of(2, 0, 0, -1), 2, Float64Array.of(2, 1));
    expect(x[0]).toBeGreaterThan(0);
    expect(Number.isFinite(x[1]!)).toBe(true);
    expect(Array.from(choleskySolveShifted(Float64Array.of(4, 2, 2, 3), 2, Float64Array.of(2, 1)))).toEqual([0.5, 0].map((v, i) => (i === 0 ? v : expect.closeTo(v, 12))));
  });
});
