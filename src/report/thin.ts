// Fewer points for long series, so that SVGs stay small without changing what the eye sees:
//
//   thinSeries: split the points into buckets and keep, from each, the lowest and the highest (in their order),
//               so spikes and dips survive; the first and the last point are always kept
//   thinPath:   drop each point closer than minStep (in units scaled to the domain) to the last one kept;
//               an optimizer sitting at a minimum then costs one point, not thousands

export interface Point {
  x: number;
  y: number;
}

/** At most about maxPoints points (2 per bucket) of a series, in order. */
export function thinSeries(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints) return [...points];
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const inner = points.length - 2;
  const out: Point[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (from >= to) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (points[i]!.y < points[lo]!.y) lo = i;
      if (points[i]!.y > points[hi]!.y) hi = i;
    }
    out.push(points[Math.min(lo, hi)]!);
    if (lo !== hi) out.push(points[Math.max(lo, hi)]!);
  }
  out.push(points[points.length - 1]!);
  return out;
}

/** The points of a path that move at least minStep (after dividing x by xScale and y by yScale), last kept. */
export function thinPath(points: readonly Point[], minStep: number, xScale = 1, yScale = 1): Point[] {
  if (points.length <= 2) return [...points];
  const out: Point[] = [points[0]!];
  let last = points[0]!;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    if (Math.hypot((p.x - last.x) / xScale, (p.y - last.y) / yScale) >= minStep) out.push((last = p));
  }
  out.push(points[points.length - 1]!);
  return out;
}

/** thinPath from minStep, with a step grown by half until at most maxPoints remain. */
export function thinPathTo(points: readonly Point[], maxPoints: number, minStep: number, xScale = 1, yScale = 1): Point[] {
  let out = thinPath(points, minStep, xScale, yScale);
  for (let step = minStep * 1.5; out.length > maxPoints; step *= 1.5) out = thinPath(points, step, xScale, yScale);
  return out;
}
