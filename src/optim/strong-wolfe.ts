// The line search of LBFGS: torch.optim.lbfgs's _strong_wolfe and _cubic_interpolate (ported from minFunc /
// torch7's lswolfe.lua and polyinterp.lua), step for step. It brackets a step length t along the direction d,
// then zooms in by cubic interpolation until t satisfies the strong Wolfe conditions
//
//   f(x + t d) ≤ f(x) + c1 t ∇f(x)·d           (sufficient decrease)
//   |∇f(x + t d)·d| ≤ −c2 ∇f(x)·d              (curvature)
//
// Scalars are float64 like torch's Python floats, except where torch holds them in float32 0-dim tensors (every
// quantity derived from a directional derivative g·d): those go through f32() here, a Python float operand
// rounded to float32 first as torch does, so that near-ties are decided as in torch.

const f32 = Math.fround;

/**
 * Where a gradient lives: the search copies gradients between these slots of n floats each. Initial: the
 * gradient at t = 0 (read only); New: of the latest evaluation; Prev: at the previous trial step of the
 * bracketing phase; Bracket0, Bracket1: at the two ends of the bracket.
 */
export const GradSlot = { Initial: 0, New: 1, Prev: 2, Bracket0: 3, Bracket1: 4 } as const;
export type GradSlot = (typeof GradSlot)[keyof typeof GradSlot];

/** What the line search needs from its caller. */
export interface LineSearchProblem {
  /** Evaluates the loss at x + t d, leaving the gradient there in GradSlot.New; the parameters stay at x. */
  evaluate(t: number): number;
  /** g·d for the gradient in `slot`, as a float32 value. */
  directional(slot: GradSlot): number;
  /** Copies the gradient in `from` to `to`. */
  copyGrad(to: GradSlot, from: GradSlot): void;
}

export interface LineSearchResult {
  loss: number;
  t: number;
  evaluations: number;
  /** The slot holding the gradient at the returned t. */
  grad: GradSlot;
}

/**
 * The minimizer of the cubic interpolating (x1, f1, g1) and (x2, f2, g2), clamped to `bounds` (default: the
 * interval between x1 and x2); the middle of the bounds when the cubic has no minimum.
 */
export function cubicInterpolate(
  x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: readonly [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  // d1 = g1 + g2 − 3 (f1 − f2) / (x1 − x2);  d2 = √(d1² − g1 g2)
  const d1 = f32(f32(g1 + g2) - f32((3 * (f1 - f2)) / (x1 - x2)));
  const d2Square = f32(f32(d1 * d1) - f32(g1 * g2));
  if (d2Square >= 0) {
    const d2 = f32(Math.sqrt(d2Square));
    const minPos = x1 <= x2
      ? f32(f32(x2) - f32(f32(x2 - x1) * f32(f32(f32(g2 + d2) - d1) / f32(f32(g2 - g1) + f32(2 * d2)))))
      : f32(f32(x1) - f32(f32(x1 - x2) * f32(f32(f32(g1 + d2) - d1) / f32(f32(g1 - g2) + f32(2 * d2)))));
    return pyMin(pyMax(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** Python's max(a, b): a unless b > a (the order matters for NaN). */
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** Python's min(a, b): a unless b < a. */
function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

/**
 * Strong-Wolfe line search from step length t along d, where the loss is `loss` and g·d is `gtd` at t = 0 (the
 * gradient there in GradSlot.Initial). `dNorm` is max |d_i|.
 */
export function strongWolfe(
  problem: LineSearchProblem, t: number, dNorm: number, loss: number, gtd: number,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): LineSearchResult {
  const armijo = (t: number, fNew: number) => f32(fNew) > f32(f32(loss) + f32(f32(c1 * t) * gtd));
  const curvature = (gtdNew: number) => Math.abs(gtdNew) <= f32(f32(-c2) * gtd);

  let fNew = problem.evaluate(t);
  let evaluations = 1;
  let gtdNew = problem.directional(GradSlot.New);

  // Bracket an interval containing a point satisfying the Wolfe criteria.
  let tPrev = 0, fPrev = loss, gtdPrev = gtd;
  let gPrev: GradSlot = GradSlot.Initial;
  let bracket: number[] = [], bracketF: number[] = [], bracketGtd: number[] = [];
  let done = false;
  let lsIter = 0;
  const setBracket = (lowT: number, lowF: number, lowGtd: number, lowG: GradSlot) => {
    bracket = [lowT, t], bracketF = [lowF, fNew], bracketGtd = [lowGtd, gtdNew];
    problem.copyGrad(GradSlot.Bracket0, lowG);
    problem.copyGrad(GradSlot.Bracket1, GradSlot.New);
  };
  while (lsIter < maxLs) {
    if (armijo(t, fNew) || (lsIter > 1 && fNew >= fPrev)) {
      setBracket(tPrev, fPrev, gtdPrev, gPrev);
      break;
    }
    if (curvature(gtdNew)) {
      bracket = [t], bracketF = [fNew], bracketGtd = [gtdNew];
      problem.copyGrad(GradSlot.Bracket0, GradSlot.New);
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      setBracket(tPrev, fPrev, gtdPrev, gPrev);
      break;
    }
    // Interpolate a longer step.
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp, fPrev = fNew, gtdPrev = gtdNew;
    problem.copyGrad(GradSlot.Prev, GradSlot.New);
    gPrev = GradSlot.Prev;
    fNew = problem.evaluate(t);
    evaluations++;
    gtdNew = problem.directional(GradSlot.New);
    lsIter++;
  }
  if (lsIter === maxLs) {
    // Out of evaluations: the bracket is [0, t] (torch leaves bracket_gtd as it was; the zoom below cannot run).
    bracket = [0, t], bracketF = [loss, fNew];
    problem.copyGrad(GradSlot.Bracket0, GradSlot.Initial);
    problem.copyGrad(GradSlot.Bracket1, GradSlot.New);
  }

  // Zoom: shrink the bracket until a point satisfies the criteria.
  const slot = (i: number) => (i === 0 ? GradSlot.Bracket0 : GradSlot.Bracket1);
  let insufficientProgress = false;
  let [low, high] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    // The bracket is too small to matter.
    if (f32(f32(Math.abs(bracket[1]! - bracket[0]!)) * dNorm) < f32(toleranceChange)) break;

    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);

    // When t lands near an end of the bracket twice in a row (or beyond it), move it 0.1 × the bracket inside.
    const top = Math.max(bracket[0]!, bracket[1]!), bottom = Math.min(bracket[0]!, bracket[1]!);
    const eps = 0.1 * (top - bottom);
    if (Math.min(top - t, t - bottom) < eps) {
      if (insufficientProgress || t >= top || t <= bottom) {
        t = Math.abs(t - top) < Math.abs(t - bottom) ? top - eps : bottom + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }

    fNew = problem.evaluate(t);
    evaluations++;
    gtdNew = problem.directional(GradSlot.New);
    lsIter++;

    if (armijo(t, fNew) || fNew >= bracketF[low]!) {
      // Not a sufficient decrease, or not below the lowest point: t becomes the high end.
      bracket[high] = t, bracketF[high] = fNew, bracketGtd[high] = gtdNew;
      problem.copyGrad(slot(high), GradSlot.New);
      [low, high] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (curvature(gtdNew)) {
        done = true;
      } else if (f32(gtdNew * f32(bracket[high]! - bracket[low]!)) >= 0) {
        // The old high end becomes the new low end.
        bracket[high] = bracket[low]!, bracketF[high] = bracketF[low]!, bracketGtd[high] = bracketGtd[low]!;
        problem.copyGrad(slot(high), slot(low));
      }
      // t becomes the low end.
      bracket[low] = t, bracketF[low] = fNew, bracketGtd[low] = gtdNew;
      problem.copyGrad(slot(low), GradSlot.New);
    }
  }
  return { loss: bracketF[low]!, t: bracket[low]!, evaluations, grad: slot(low) };
}
