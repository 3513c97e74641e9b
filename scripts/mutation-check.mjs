// Checks that the kernel tests can fail: applies one small deliberate bug at a time to a kernel (assembly/) or to
// its twin (src/kernels/reference/), rebuilds the wasm when needed, runs the test file that must catch it, and
// restores the source (also on error or Ctrl-C), then rebuilds. Prints, per mutation, the tests that failed; exits
// with 1 if a mutation was not caught. `node scripts/mutation-check.mjs [M1 M5 ...]` runs a selection.
// It edits files of the working tree while it runs: do not run it next to other builds or tests of the same tree.
// (The property tests also carry permanent mutants, KernelSpec.mutants in test/helpers/kernel-property.ts.)
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const adamTests = ["test/kernels-adam.property.test.ts"];
const miscTests = ["test/kernels-misc.property.test.ts"];
const reduceTests = ["test/kernels-reduce.property.test.ts"];
const recurrentTests = ["test/kernels-recurrent.property.test.ts"];
/** [id, what, file, exact text, replacement, tests that must fail] */
const MUTATIONS = [
  ["M1", "adam scalar: the denominator subtracts eps", "assembly/optim/adam.ts", "const denom: f32 = sqrt<f32>(vi) * invBc2Sqrt + eps;", "const denom: f32 = sqrt<f32>(vi) * invBc2Sqrt - eps;", adamTests],
  ["M2", "adam f32x4: eps off by 1e-4 relative", "assembly/optim/adam.ts", "const denom = madd(f32x4.sqrt(vv), vInvBc2Sqrt, vEps);", "const denom = madd(f32x4.sqrt(vv), vInvBc2Sqrt, f32x4.mul(vEps, f32x4.splat(1.0001)));", adamTests],
  ["M3", "adam family f32x4: L2 weight decay dropped", "assembly/optim/adam.ts", "if (l2) vg = madd(vWd, vp, vg);", "if (l2 && false) vg = madd(vWd, vp, vg);", adamTests],
  ["M4", "nadam f32x4: √v / bc2 instead of √(v / bc2)", "assembly/optim/adam.ts", "f32x4.sqrt(f32x4.div(vv, vBc2))", "f32x4.div(f32x4.sqrt(vv), vBc2)", adamTests],
  ["M5", "adam twin: θ off by 2^-17 relative (64 ulps)", "src/kernels/reference/adam.ts", "h[p + i] = f(f(negStep * f(mi / denom)) + pi);", "h[p + i] = f(f(f(negStep * f(mi / denom)) + pi) * (1 + 2 ** -17));", adamTests],
  ["M6", "adam twin: θ off by 2^-20 relative (8 ulps)", "src/kernels/reference/adam.ts", "h[p + i] = f(f(negStep * f(mi / denom)) + pi);", "h[p + i] = f(f(f(negStep * f(mi / denom)) + pi) * (1 + 2 ** -20));", adamTests],
  ["M7", "sgd f32x4: weight decay with the wrong sign", "assembly/optim/sgd.ts", "const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));\n      v128.store(p + at(i), madd(vNegLr, vg, vp));", "const vg = madd(f32x4.neg(vWd), vp, f32x4.mul(vSign, v128.load(g + at(i))));\n      v128.store(p + at(i), madd(vNegLr, vg, vp));", ["test/kernels-sgd.property.test.ts"]],
  ["M8", "adagrad f32x4: subtracts eps", "assembly/optim/adagrad.ts", "const vStd = f32x4.add(f32x4.sqrt(vs), vEps);", "const vStd = f32x4.sub(f32x4.sqrt(vs), vEps);", miscTests],
  ["M9", "rmsprop f32x4 centered: v + a² instead of v − a²", "assembly/optim/rmsprop.ts", "vAvg = f32x4.add(f32x4.sqrt(f32x4.sub(vv, f32x4.mul(va, va))), vEps);", "vAvg = f32x4.add(f32x4.sqrt(f32x4.add(vv, f32x4.mul(va, va))), vEps);", miscTests],
  ["M10", "adadelta f32x4: eps dropped from the numerator", "assembly/optim/adadelta.ts", "f32x4.sqrt(f32x4.add(vu, vEps))", "f32x4.sqrt(vu)", miscTests],
  ["M11", "asgd f32x4: the average moves by μ(ax − θ) instead of μ(θ − ax)", "assembly/optim/asgd.ts", "madd(f32x4.sub(vNew, va), vMu, va)", "madd(f32x4.sub(va, vNew), vMu, va)", miscTests],
  ["M12", "reduce twin: partial sums combined as (s0 + s2) + (s1 + s3)", "src/kernels/reference/reduce.ts", "let total = (s0 + s1) + (s2 + s3);", "let total = (s0 + s2) + (s1 + s3);", reduceTests],
  ["M13", "reduce twin: the last tail element dropped", "src/kernels/reference/reduce.ts", "for (let i = end; i < n; i++) total += term(i);", "for (let i = end; i < n - 1; i++) total += term(i);", reduceTests],
  ["M14", "axpy f32x4: alpha off by 4 ulps", "assembly/linalg/reduce.ts", "madd(va, v128.load(x + at(i)), v128.load(y + at(i)))", "madd(f32x4.mul(va, f32x4.splat(1.0000005)), v128.load(x + at(i)), v128.load(y + at(i)))", reduceTests],
  ["R1", "lstm cell f32x4: c' = f c + g (the input gate dropped)", "assembly/nn/recurrent.ts", "madd(f, v128.load(cPrev + o + q), f32x4.mul(i, g))", "madd(f, v128.load(cPrev + o + q), g)", recurrentTests],
  ["R2", "lstm cell twin: tanh c off by 2^-20 relative", "src/kernels/reference/nn/recurrent.ts", "const t = tanhf32(cv);", "const t = f(tanhf32(cv) * (1 + 2 ** -20));", recurrentTests],
  ["R3", "lstm backward f32x4: the forget gate's gradient from f, not cPrev", "assembly/nn/recurrent.ts", "f32x4.mul(dct, v128.load(cPrev + o + q))", "f32x4.mul(dct, f)", recurrentTests],
  ["R4", "gru cell f32x4: h' = (h − n)(1 − z) + n", "assembly/nn/recurrent.ts", "madd(f32x4.sub(v128.load(hPrev + o + q), n), z, n)", "madd(f32x4.sub(v128.load(hPrev + o + q), n), f32x4.sub(f32x4.splat(1), z), n)", recurrentTests],
  ["R5", "gru backward scalar: the direct term dh z not carried", "assembly/nn/recurrent.ts", "if (carry) store<f32>(dhPrev + o + q, d * z + load<f32>(dhPrev + o + q));", "if (carry) store<f32>(dhPrev + o + q, load<f32>(dhPrev + o + q));", recurrentTests],
  ["R6", "recurrent layers: truncated BPTT never cuts", "src/nn/recurrent.ts", "return t > 0 && t % this.tbptt === 0;", "return false;", ["test/nn-recurrent.test.ts"]],
];

const only = process.argv.slice(2);
const buildWasm = () => execFileSync("node", ["scripts/build-wasm.mjs"], { stdio: "inherit" });
let restore = null;
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => (restore?.(), process.exit(130)));

let missed = 0;
for (const [id, what, file, from, to, tests] of MUTATIONS) {
  if (only.length && !only.includes(id)) continue;
  const original = readFileSync(file, "utf8");
  if (original.split(from).length !== 2) throw new Error(`${id}: the text to mutate is not found exactly once in ${file}`);
  const wasm = file.startsWith("assembly/");
  restore = () => writeFileSync(file, original);
  try {
    writeFileSync(file, original.replace(from, to));
    if (wasm) buildWasm();
    const run = spawnSync("npx", ["vitest", "run", ...tests], { encoding: "utf8" });
    const out = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*m/g, "");
    const failed = [...new Set([...out.matchAll(/^\s+[×✗] (.*?)(?: \d+ms)?$/gm)].map((m) => m[1]))];
    if (!failed.length) missed++;
    console.log(`${id} ${what}: ${failed.length ? `caught by ${failed.length} test(s)` : "NOT CAUGHT"}`);
    for (const t of failed) console.log(`    ${t}`);
  } finally {
    restore();
    restore = null;
    if (wasm) buildWasm();
  }
}
process.exit(missed ? 1 : 0);
