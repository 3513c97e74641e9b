// Contour lines of a function sampled on a regular grid, by marching squares:
//
//   for each cell, mark the corners at or above the level; on each edge whose corners differ, the line crosses
//   at the linear interpolation t = (level − v_p) / (v_q − v_p); a cell with two opposite corners above and two
//   below (a saddle) is resolved by the value at its centre (the mean of the corners)
//
// Segments are then joined into polylines through the grid edges they share (exact ids, no float matching).
import type { Point } from "./thin.js";

export interface Grid {
  /** Points per row and per column. */
  nx: number;
  ny: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** values[j · nx + i] = f(x0 + i (x1 − x0) / (nx − 1), y0 + j (y1 − y0) / (ny − 1)). */
  values: Float64Array;
}

export function sampleGrid(
  f: (x: number, y: number) => number, x: readonly [number, number], y: readonly [number, number], nx: number, ny: number,
): Grid {
  const values = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const yj = y[0] + ((y[1] - y[0]) * j) / (ny - 1);
    for (let i = 0; i < nx; i++) values[j * nx + i] = f(x[0] + ((x[1] - x[0]) * i) / (nx - 1), yj);
  }
  return { nx, ny, x0: x[0], x1: x[1], y0: y[0], y1: y[1], values };
}

/** The q-quantile (0 ≤ q ≤ 1) of the finite values, by sorting. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const finite = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  return finite[Math.min(finite.length - 1, Math.max(0, Math.round(q * (finite.length - 1))))]!;
}

/**
 * `count` levels between the 1% and 99% quantiles of the values: evenly spaced ('linear'), or geometrically
 * ('log', for values ≥ 0 measured from the minimum, where detail is wanted near the bottom).
 */
export function contourLevels(values: ArrayLike<number>, spacing: "log" | "linear", count: number): number[] {
  let lo = quantile(values, 0.01);
  const hi = quantile(values, 0.99);
  if (spacing === "log") {
    lo = Math.max(lo, hi * 1e-6, Number.MIN_VALUE);
    if (!(hi > lo)) return [hi];
    const ratio = Math.log(hi / lo);
    return Array.from({ length: count }, (_, k) => lo * Math.exp((ratio * k) / (count - 1)));
  }
  if (!(hi > lo)) return [hi];
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * (k + 0.5)) / count);
}

/** The contour lines of the grid at `level`, in domain coordinates; a closed line ends at its first point. */
export function isolines(grid: Grid, level: number): Point[][] {
  const { nx, ny, values } = grid;
  const dx = (grid.x1 - grid.x0) / (nx - 1);
  const dy = (grid.y1 - grid.y0) / (ny - 1);
  // Edge ids: 2·(j·nx + i) is the horizontal edge from corner (i, j) to (i+1, j), + 1 the vertical one to (i, j+1).
  const crossing = (edge: number): Point => {
    const corner = edge >> 1;
    const i = corner % nx;
    const j = (corner - i) / nx;
    const other = edge & 1 ? corner + nx : corner + 1;
    const t = (level - values[corner]!) / (values[other]! - values[corner]!);
    return edge & 1 ? { x: grid.x0 + i * dx, y: grid.y0 + (j + t) * dy } : { x: grid.x0 + (i + t) * dx, y: grid.y0 + j * dy };
  };
  const segments: [number, number][] = [];
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = values[j * nx + i]!;
      const b = values[j * nx + i + 1]!;
      const c = values[(j + 1) * nx + i + 1]!;
      const d = values[(j + 1) * nx + i]!;
      if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) continue;
      const bottom = 2 * (j * nx + i);
      const top = 2 * ((j + 1) * nx + i);
      const left = bottom + 1;
      const right = 2 * (j * nx + i + 1) + 1;
      const mask = (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
      if (mask === 0 || mask === 15) continue;
      if (mask === 5 || mask === 10) {
        // a saddle cell: do the two corners above connect through the centre?
        const centreAbove = (a + b + c + d) / 4 >= level;
        if ((mask === 5) === centreAbove) segments.push([bottom, right], [top, left]); // cut off corners b and d
        else segments.push([left, bottom], [right, top]); // cut off corners a and c
        continue;
      }
      const edges: number[] = [];
      if ((mask & 1) !== (mask & 2) >> 1) edges.push(bottom);
      if ((mask & 2) >> 1 !== (mask & 4) >> 2) edges.push(right);
      if ((mask & 4) >> 2 !== (mask & 8) >> 3) edges.push(top);
      if ((mask & 8) >> 3 !== (mask & 1)) edges.push(left);
      segments.push([edges[0]!, edges[1]!]);
    }
  }
  return joinSegments(segments).map((line) => line.map(crossing));
}

/** Joins segments that share an edge id into maximal chains. */
function joinSegments(segments: readonly [number, number][]): number[][] {
  const byEdge = new Map<number, number[]>();
  segments.forEach(([p, q], s) => {
    for (const e of [p, q]) {
      const list = byEdge.get(e);
      if (list) list.push(s);
      else byEdge.set(e, [s]);
    }
  });
  const used = new Uint8Array(segments.length);
  const next = (edge: number): number | undefined => byEdge.get(edge)!.find((s) => !used[s]);
  const extend = (chain: number[]) => {
    for (let s = next(chain[chain.length - 1]!); s !== undefined; s = next(chain[chain.length - 1]!)) {
      used[s] = 1;
      const [p, q] = segments[s]!;
      chain.push(p === chain[chain.length - 1] ? q : p);
    }
  };
  const lines: number[][] = [];
  segments.forEach(([p, q], s) => {
    if (used[s]) return;
    used[s] = 1;
    const forward = [p, q];
    extend(forward);
    const backward = [forward[0]!];
    extend(backward);
    lines.push([...backward.slice(1).reverse(), ...forward]);
  });
  return lines;
}
