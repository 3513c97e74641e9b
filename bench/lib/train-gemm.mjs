// GEMM throughput for the training benchmark: the three forms (nn, tn, nt) of m×n×k = 128×784×256, and the three
// products of a dense layer 784→256 on a batch of 128 in the form each framework computes them, for wasm-optim's
// kernels (called through an engine, with the pack scratch of GEMM_PACK_FLOATS) and TF.js-wasm's tf.matMul with
// transposeA / transposeB. GFLOP/s = 2·m·n·k / median seconds per call (benchmark package), in `rounds` rounds
// that alternate the frameworks; the reported figure is the median over the rounds.
import { createEngine, GEMM_PACK_FLOATS } from "../../dist/index.js";
import { median, time } from "./suite.mjs";

/** m×n×k = 128×784×256 in each form: C[m×n] = op(A)·op(B), k summed (the target shape of issue 3). */
const FORMS = ["nn", "tn", "nt"].map((form) => ({ case: "128×784×256", form, m: 128, n: 784, k: 256 }));

/**
 * Dense 784→256, batch 128. wasm-optim's Linear keeps W as [out, in] (PyTorch): forward X·Wᵀ (nt), ∂W += dYᵀ·X (tn),
 * dX = dY·W (nn). TF.js's dense keeps its kernel K as [in, out]: forward X·K (nn), ∂K = Xᵀ·dY (tn), dX = dY·Kᵀ (nt).
 */
const LAYER = [
  { case: "dense 784→256 forward", ours: { form: "nt", m: 128, n: 256, k: 784 }, tf: { form: "nn", m: 128, n: 256, k: 784 } },
  { case: "dense 784→256 weight gradient", ours: { form: "tn", m: 256, n: 784, k: 128, accumulate: 1 }, tf: { form: "tn", m: 784, n: 256, k: 128 } },
  { case: "dense 784→256 input gradient", ours: { form: "nn", m: 128, n: 784, k: 256 }, tf: { form: "nt", m: 128, n: 784, k: 256 } },
];

function randomFill(a, seed) {
  let x = seed;
  for (let i = 0; i < a.length; i++) a[i] = (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

/** The call C (+)= op(A)·op(B) of one product on wasm-optim's kernels. */
function oursCall(engine, pack, { form, m, n, k, accumulate = 0 }) {
  const a = engine.allocF32(m * k), b = engine.allocF32(k * n), c = engine.allocF32(m * n);
  randomFill(a.array, 1), randomFill(b.array, 2);
  const gemm = engine.kernels[`f32_gemm_${form}`];
  return () => gemm(c.ptr, a.ptr, b.ptr, m, n, k, accumulate, pack.ptr);
}

/** The call of one product on TF.js (the current backend): tf.matMul with the form's transposes. */
function tfCall(tf, { form, m, n, k }) {
  const ta = form[0] === "t", tb = form[1] === "t";
  const tensor = (rows, cols, seed) => {
    const v = new Float32Array(rows * cols);
    randomFill(v, seed);
    return tf.tensor2d(v, [rows, cols]);
  };
  const a = ta ? tensor(k, m, 1) : tensor(m, k, 1), b = tb ? tensor(n, k, 2) : tensor(k, n, 2);
  return { run: () => tf.matMul(a, b, ta, tb).dispose(), dispose: () => tf.dispose([a, b]) };
}

/** Rows { key, case, framework, form, m, n, k, gflops (median of rounds), rounds: [GFLOP/s per round] }; the two
 * frameworks' rows of the same product share the key. */
export async function measureGemm(tf, { rounds = 2, maxTime = 1 } = {}) {
  const engine = await createEngine({ initialMemoryMiB: 32 });
  const pack = engine.allocF32(GEMM_PACK_FLOATS);
  const products = [
    ...FORMS.flatMap((p) => [{ case: p.case, framework: "wasm-optim", spec: p }, { case: p.case, framework: "tfjs-wasm", spec: p }]),
    ...LAYER.flatMap((p) => [{ case: p.case, framework: "wasm-optim", spec: p.ours }, { case: p.case, framework: "tfjs-wasm", spec: p.tf }]),
  ].map(({ case: name, framework, spec }) => {
    const key = name === FORMS[0].case ? `${name} ${spec.form}` : name; // the same key for both frameworks' rows
    return { key, case: name, framework, form: spec.form, m: spec.m, n: spec.n, k: spec.k, spec, rounds: [] };
  });
  await tf.setBackend("wasm");
  await tf.ready();
  const calls = products.map((p) => (p.framework === "wasm-optim" ? { run: oursCall(engine, pack, p.spec) } : tfCall(tf, p.spec)));
  for (let r = 0; r < rounds; r++) {
    products.forEach((p, i) => {
      const seconds = time(`${p.framework} ${p.case} ${p.form}`, calls[i].run, { maxTime }).median;
      p.rounds.push((2 * p.m * p.n * p.k) / seconds / 1e9);
    });
  }
  calls.forEach((c) => c.dispose?.());
  return products.map(({ spec, ...p }) => ({ ...p, gflops: median(p.rounds) }));
}
