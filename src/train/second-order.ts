// Full-batch minimizers of a SecondOrderObjective (train/hessian.ts), in float64, each recording its trace:
//
//   gradientDescent  θ ← θ − γ ∇f                                      (γ default 1 / λ_max(H(θ₀)), by power iteration)
//   lbfgs            d = −H̃ ∇f, H̃ from the last m pairs (s, y) by the two-loop recursion; θ ← θ + t d
//   newton           d = −(H + τ I)⁻¹ ∇f, τ = 0 when the Cholesky factorization of H succeeds, else grown ×10
//                    from 1e-8·max|H_ii| until it does (a modified Newton step); θ ← θ + t d.  Needs the dense
//                    Hessian: n² float64s (8 n² bytes) and n³/3 flops per step
//   hessianFree      truncated Newton (Martens 2010): d from conjugate gradients on (H + λ I) d = −∇f with exact H v
//                    products, stopped at ‖r‖ ≤ min(0.5, √‖∇f‖) ‖∇f‖, at negative curvature, or after maxCg
//                    iterations; λ (Levenberg-Marquardt damping) ×2/3 when the quadratic model predicted the decrease
//                    well (ρ > 3/4), ×3/2 when badly (ρ < 1/4); θ ← θ + t d.  Memory: a few n-vectors
//
// t: backtracking from 1, halved until f(θ + t d) ≤ f(θ) + 1e-4 t ∇fᵀd (Armijo); all but gradient descent.
// Each stops when ‖∇f‖ ≤ tolerance or after maxIterations. Cost is counted in gradient evaluations and H v
// products, and wall time.
import { checkOptions, keysOf } from "../engine/options.js";
import type { SecondOrderObjective } from "./hessian.js";

export interface MinimizeOptions {
  /** Stop when ‖∇f‖ ≤ tolerance (default 1e-8). */
  tolerance?: number;
  maxIterations?: number;
  /** gradientDescent's step (default 1 / λ_max). */
  lr?: number;
  /** lbfgs' history (default 10). */
  history?: number;
  /** hessianFree's conjugate-gradient iterations per step (default 50) and initial damping (default 1). */
  maxCg?: number;
  damping?: number;
}

export interface MinimizeTrace {
  method: "gradient-descent" | "lbfgs" | "newton" | "hessian-free";
  /** Per iteration, from the start: f, ‖∇f‖, seconds since the start, gradient evaluations, H v products. */
  values: number[];
  gradientNorms: number[];
  seconds: number[];
  gradients: number[];
  hessianVectors: number[];
  /** The most float64 values the method held at once beyond θ and ∇f (the Hessian's n², L-BFGS' 2 m n …). */
  memoryFloats: number;
  theta: Float64Array;
  converged: boolean;
}

/** Work done so far; `stalled` when a line search found no decrease (f is flat to rounding): the run stops. */
interface Counts {
  gradients: number;
  hessianVectors: number;
  stalled: boolean;
}

const MINIMIZE_OPTIONS = keysOf<MinimizeOptions>({ tolerance: 1, maxIterations: 1, lr: 1, history: 1, maxCg: 1, damping: 1 });

/** The loop every method shares: the trace, the stopping test; `step` moves θ and returns the new f and ∇f. */
function minimize(
  method: MinimizeTrace["method"], objective: SecondOrderObjective, theta0: Float64Array, options: MinimizeOptions, defaultIterations: number,
  memoryFloats: number, step: (theta: Float64Array, f: number, g: Float64Array, counts: Counts) => number,
): MinimizeTrace {
  checkOptions(method, options, MINIMIZE_OPTIONS);
  const { tolerance = 1e-8, maxIterations = defaultIterations } = options;
  const theta = Float64Array.from(theta0);
  const g = new Float64Array(objective.size);
  const counts = { gradients: 1, hessianVectors: 0, stalled: false };
  const started = performance.now();
  let f = objective.value(theta, g);
  const trace: MinimizeTrace = { method, values: [], gradientNorms: [], seconds: [], gradients: [], hessianVectors: [], memoryFloats, theta, converged: false };
  const record = () => {
    trace.values.push(f);
    trace.gradientNorms.push(norm(g));
    trace.seconds.push((performance.now() - started) / 1000);
    trace.gradients.push(counts.gradients);
    trace.hessianVectors.push(counts.hessianVectors);
  };
  record();
  for (let k = 0; k < maxIterations && !(norm(g) <= tolerance) && Number.isFinite(f) && !counts.stalled; k++) {
    f = step(theta, f, g, counts);
    record();
  }
  trace.converged = norm(g) <= tolerance;
  return trace;
}

export function gradientDescent(objective: SecondOrderObjective, theta0: Float64Array, options: MinimizeOptions = {}): MinimizeTrace {
  const lr = options.lr ?? 1 / largestEigenvalue(objective, theta0);
  return minimize("gradient-descent", objective, theta0, options, 5000, 0, (theta, _f, g, counts) => {
    for (let i = 0; i < theta.length; i++) theta[i]! -= lr * g[i]!;
    counts.gradients++;
    return objective.value(theta, g);
  });
}

export function lbfgs(objective: SecondOrderObjective, theta0: Float64Array, options: MinimizeOptions = {}): MinimizeTrace {
  const m = options.history ?? 10;
  const s: Float64Array[] = [], y: Float64Array[] = [];
  return minimize("lbfgs", objective, theta0, options, 1000, 2 * m * objective.size, (theta, f, g, counts) => {
    // Two-loop recursion: d = −H̃ g.
    const q = Float64Array.from(g);
    const alphas: number[] = [];
    for (let i = s.length - 1; i >= 0; i--) {
      const a = dot(s[i]!, q) / dot(y[i]!, s[i]!);
      alphas[i] = a;
      axpy(q, -a, y[i]!);
    }
    if (s.length) scale(q, dot(s.at(-1)!, y.at(-1)!) / dot(y.at(-1)!, y.at(-1)!));
    else scale(q, 1 / Math.max(1, norm(g)));
    for (let i = 0; i < s.length; i++) axpy(q, alphas[i]! - dot(y[i]!, q) / dot(y[i]!, s[i]!), s[i]!);
    const d = q.map((v) => -v);
    const before = Float64Array.from(theta), gBefore = Float64Array.from(g);
    const next = lineSearch(objective, theta, f, g, d, counts);
    const sk = theta.map((v, i) => v - before[i]!), yk = g.map((v, i) => v - gBefore[i]!);
    if (dot(sk, yk) > 1e-12 * norm(sk) * norm(yk)) {
      s.push(sk), y.push(yk);
      if (s.length > m) s.shift(), y.shift();
    }
    return next;
  });
}

export function newton(objective: SecondOrderObjective, theta0: Float64Array, options: MinimizeOptions = {}): MinimizeTrace {
  const hessian = objective.hessian;
  if (!hessian) throw new RangeError("newton: the dense Hessian is available only for a model that is one Linear layer (use hessianFree)");
  const n = objective.size;
  return minimize("newton", objective, theta0, options, 100, n * n, (theta, f, g, counts) => {
    const h = hessian(theta);
    const d = choleskySolveShifted(h, n, g.map((v) => -v));
    return lineSearch(objective, theta, f, g, d, counts);
  });
}

export function hessianFree(objective: SecondOrderObjective, theta0: Float64Array, options: MinimizeOptions = {}): MinimizeTrace {
  const maxCg = options.maxCg ?? 50;
  let lambda = options.damping ?? 1;
  return minimize("hessian-free", objective, theta0, options, 200, 4 * objective.size, (theta, f, g, counts) => {
    const hv = (v: Float64Array) => {
      counts.hessianVectors++;
      const out = objective.hessianVector(theta, v);
      axpy(out, lambda, v);
      return out;
    };
    const gNorm = norm(g);
    const d = conjugateGradient(hv, g, maxCg, Math.min(0.5, Math.sqrt(gNorm)) * gNorm);
    // ρ = actual / predicted decrease, the model being q(d) = gᵀd + ½ dᵀ(H + λI)d.
    const predicted = dot(g, d) + 0.5 * dot(d, hv(d));
    const next = lineSearch(objective, theta, f, g, d, counts);
    const rho = (next - f) / predicted;
    if (rho > 0.75) lambda *= 2 / 3;
    else if (rho < 0.25) lambda *= 1.5;
    return next;
  });
}

/** CG on A d = −g from d = 0, until ‖r‖ ≤ tol, negative curvature, or maxIterations. */
function conjugateGradient(apply: (v: Float64Array) => Float64Array, g: Float64Array, maxIterations: number, tol: number): Float64Array {
  const d = new Float64Array(g.length);
  const r = g.map((v) => -v);
  const p = Float64Array.from(r);
  let rr = dot(r, r);
  for (let k = 0; k < maxIterations && Math.sqrt(rr) > tol; k++) {
    const ap = apply(p);
    const curvature = dot(p, ap);
    if (!(curvature > 0)) return k === 0 ? r : d; // negative curvature: the steepest descent direction, or what CG had
    const alpha = rr / curvature;
    axpy(d, alpha, p);
    axpy(r, -alpha, ap);
    const next = dot(r, r);
    for (let i = 0; i < p.length; i++) p[i] = r[i]! + (next / rr) * p[i]!;
    rr = next;
  }
  return d;
}

/** Armijo backtracking along d from θ (moved in place, ∇f rewritten); returns the new f. After 30 halvings without
 * a decrease θ stays and the run is marked stalled. */
function lineSearch(objective: SecondOrderObjective, theta: Float64Array, f: number, g: Float64Array, d: Float64Array, counts: Counts): number {
  const slope = dot(g, d);
  const start = Float64Array.from(theta);
  for (let k = 0, t = 1; k < 30; k++, t *= 0.5) {
    for (let i = 0; i < theta.length; i++) theta[i] = start[i]! + t * d[i]!;
    counts.gradients++;
    if (objective.value(theta) <= f + 1e-4 * t * slope) return objective.value(theta, g);
  }
  theta.set(start);
  counts.stalled = true;
  return f;
}

/** Solves (H + τ I) x = b with the smallest τ ∈ {0, 1e-8·max H_ii · 10^k} for which Cholesky succeeds. */
export function choleskySolveShifted(h: Float64Array, n: number, b: Float64Array): Float64Array {
  const diagonal = Math.max(1e-300, ...Array.from({ length: n }, (_, i) => Math.abs(h[i * n + i]!)));
  for (let tau = 0, k = 0; k < 40; k++, tau = 1e-8 * diagonal * 10 ** (k - 1)) {
    const l = cholesky(h, n, tau);
    if (l) return choleskySolve(l, n, b);
  }
  throw new Error("newton: the Hessian could not be made positive definite");
}

/** The lower factor L of H + τI = L Lᵀ (row-major), or null when it is not positive definite. */
function cholesky(h: Float64Array, n: number, tau: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = h[j * n + j]! + tau;
    for (let k = 0; k < j; k++) s -= l[j * n + k]! ** 2;
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = h[i * n + j]!;
      for (let k = 0; k < j; k++) t -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = t / ljj;
    }
  }
  return l;
}

function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** λ_max of H(θ) by 30 power iterations on H v products. */
export function largestEigenvalue(objective: SecondOrderObjective, theta: Float64Array): number {
  let v = Float64Array.from({ length: objective.size }, (_, i) => Math.sin(i + 1));
  scale(v, 1 / norm(v));
  let lambda = 0;
  for (let k = 0; k < 30; k++) {
    const hv = objective.hessianVector(theta, v);
    lambda = dot(v, hv);
    const n = norm(hv);
    if (n === 0) break;
    v = hv.map((x) => x / n);
  }
  return Math.abs(lambda);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function axpy(y: Float64Array, alpha: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

function scale(a: Float64Array, s: number): void {
  for (let i = 0; i < a.length; i++) a[i]! *= s;
}
