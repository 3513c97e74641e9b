// Learning rates on the 1-3-10 ladder (…, 0.1, 0.3, 1, 3, …), and a search that brackets the best one.
//
//   bracketing: evaluate the initial rates; while the loss has not turned up at an edge of the rates tried, try
//   the next rung beyond that edge (up to maxExtensions per side). Above the best, the loss has turned up when
//   the highest rate diverged or its loss exceeds (1 + margin) × the best (default margin 0.25): a plateau of
//   nearly equal losses does not count, as a deeper basin may lie beyond it (SGD with momentum on the moons).
//   Below the best, any lowest rate that is not the best counts: smaller steps only do less in the same number
//   of steps, and there the losses flatten towards the initial loss, a plateau with nothing beyond it.
//   The best rate is bracketed when the loss turned up on both sides. Only a bracketed optimum is a claim about
//   the best rate; an edge says only that the best lies further out.
import { formatLr } from "./format.js";

/** Rung r of the ladder: 10^⌊r/2⌋ · (1 for even r, 3 for odd r). */
export function rung(r: number): number {
  return Number((10 ** Math.floor(r / 2) * (r % 2 === 0 ? 1 : 3)).toPrecision(1));
}

/** The (fractional) rung of x, interpolated on the log scale between the rungs around it. */
export function rungIndex(x: number): number {
  const k = Math.floor(Math.log10(x));
  const f = Math.log10(x) - k;
  const three = Math.log10(3);
  return 2 * k + (f < three ? f / three : 1 + (f - three) / (1 - three));
}

/** The rungs from `below` rungs under the one nearest `center` to `above` rungs over it. */
export function ladder(center: number, below: number, above: number): number[] {
  if (!(center > 0 && Number.isFinite(center))) throw new RangeError(`cannot center a learning-rate ladder on ${center}`);
  const r = Math.round(rungIndex(center));
  return Array.from({ length: below + above + 1 }, (_, i) => rung(r - below + i));
}

/** The next rung strictly below / above lr. */
export function rungBelow(lr: number): number {
  return rung(Math.ceil(rungIndex(lr) - 1e-9) - 1);
}
export function rungAbove(lr: number): number {
  return rung(Math.floor(rungIndex(lr) + 1e-9) + 1);
}

export interface SearchPoint {
  lr: number;
  /** The score (lower is better); NaN when the run diverged. */
  loss: number;
  diverged: boolean;
}

export interface BracketResult<P extends SearchPoint> {
  /** Every rate tried, in increasing order. */
  points: P[];
  /** Index of the best point, −1 when every rate diverged. */
  best: number;
  /** A worse rate on each side of the best. */
  bracketed: boolean;
  /** Rungs added below and above the initial rates. */
  extended: { below: number; above: number };
}

/** Evaluates `initial`, then extends past an edge while the best sits on it. `evaluate` scores a list of rates. */
export async function bracketSearch<P extends SearchPoint>(
  initial: readonly number[], evaluate: (lrs: number[]) => Promise<P[]>, options: { maxExtensions?: number; margin?: number } = {},
): Promise<BracketResult<P>> {
  const { maxExtensions = 8, margin = 0.25 } = options;
  if (initial.length === 0) throw new RangeError("bracketSearch: no initial learning rates");
  const points = (await evaluate([...new Set(initial)].sort((a, b) => a - b))).sort((a, b) => a.lr - b.lr);
  const extended = { below: 0, above: 0 };
  for (;;) {
    const best = bestPoint(points);
    const last = points.length - 1;
    const p = points[last]!;
    // Every rate diverged: the best lies below them.
    const openLow = best < 0 ? points[0]!.diverged : best === 0;
    const openHigh = best >= 0 && (best === last || !(p.diverged || Number.isNaN(p.loss) || p.loss > (1 + margin) * points[best]!.loss));
    if (openLow && extended.below < maxExtensions) {
      points.unshift(...(await evaluate([rungBelow(points[0]!.lr)])));
      extended.below++;
    } else if (openHigh && extended.above < maxExtensions) {
      points.push(...(await evaluate([rungAbove(points[points.length - 1]!.lr)])));
      extended.above++;
    } else {
      return { points, best, bracketed: best > 0 && !openHigh, extended };
    }
  }
}

/** The lowest loss among the runs that did not diverge; −1 when all did. */
export function bestPoint(points: readonly SearchPoint[]): number {
  let best = -1;
  points.forEach((p, i) => {
    if (!p.diverged && !Number.isNaN(p.loss) && (best < 0 || p.loss < points[best]!.loss)) best = i;
  });
  return best;
}

/** 'lr 0.1, the best of 7 rates from 1e-3 to 1 (2 added past the edge …)' in words, for reports. */
export function describeSearch(result: BracketResult<SearchPoint>): string {
  const { points, best, bracketed, extended } = result;
  const tried = `${points.length} rates from ${formatLr(points[0]!.lr)} to ${formatLr(points[points.length - 1]!.lr)}`;
  const added = extended.below + extended.above;
  const ext = added ? ` (${added} added past the edge${extended.below && extended.above ? "s" : ""} of the first ladder until the loss turned up)` : "";
  if (best < 0) return `every one of ${tried} diverged`;
  return `lr ${formatLr(points[best]!.lr)}, the best of ${tried}${ext}${bracketed ? "" : "; not bracketed: the loss had not turned up at an edge when the search stopped"}`;
}
