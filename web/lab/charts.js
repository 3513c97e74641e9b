// Canvas drawing for the lab: line charts redrawn many times a second, decision boundaries, contour maps. Every
// canvas is drawn at the device's pixel ratio and at its CSS width, so it stays sharp on a phone.

export const PALETTE = ["#2563eb", "#f97316", "#16a34a", "#dc2626", "#9333ea", "#0891b2", "#ca8a04", "#db2777"];
export const CLASS_COLORS = ["#3b82f6", "#f97316", "#22c55e", "#ef4444", "#a855f7", "#14b8a6", "#eab308", "#ec4899", "#64748b", "#84cc16"];

/** The 2-D context of `canvas`, sized to its CSS box at the device pixel ratio; returns [ctx, width, height]. */
export function fit(canvas, aspect) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 300;
  const height = aspect ? Math.round(width * aspect) : canvas.clientHeight || 200;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    if (aspect) canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return [ctx, width, height];
}

const nice = (v) => {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v);
};
const label = (v) => (Math.abs(v) >= 1e5 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(0) : String(+v.toPrecision(3)));

/**
 * A line chart: `series` [{ color, points: [[x, y], ...], width?, dash?, markers? }], axes from the data (or
 * `xMax`, `yMin`/`yMax`), `logX` for learning rates, a text when there is no data yet.
 */
export function lineChart(canvas, { series, xLabel, yLabel, logX = false, xMax, yMin, yMax, empty = "", percent = false, marks = [] }) {
  const [ctx, W, H] = fit(canvas);
  const M = { left: 46, right: 10, top: 10, bottom: 30 };
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0));
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#6b7280";
  if (!all.length) {
    ctx.textAlign = "center";
    ctx.fillText(empty, W / 2, H / 2);
    return;
  }
  const tx = logX ? Math.log10 : (v) => v;
  let x0 = Math.min(...all.map((p) => tx(p[0]))), x1 = xMax !== undefined ? tx(xMax) : Math.max(...all.map((p) => tx(p[0])));
  if (x1 <= x0) x1 = x0 + 1;
  const lo = yMin ?? Math.min(0, ...all.map((p) => p[1]));
  const hi = nice(yMax ?? (Math.max(...all.map((p) => p[1])) || 1));
  const X = (v) => M.left + ((tx(v) - x0) / (x1 - x0)) * (W - M.left - M.right);
  const Y = (v) => H - M.bottom - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo || 1)) * (H - M.top - M.bottom);
  ctx.strokeStyle = "#eef0f3";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  for (let i = 0; i <= 4; i++) {
    const v = lo + (i / 4) * (hi - lo), y = Y(v);
    ctx.beginPath(), ctx.moveTo(M.left, y), ctx.lineTo(W - M.right, y), ctx.stroke();
    ctx.fillText(percent ? `${Math.round(100 * v)}%` : label(v), M.left - 5, y + 4);
  }
  ctx.textAlign = "center";
  for (let i = 0; i <= 4; i++) {
    const t = x0 + (i / 4) * (x1 - x0);
    const v = logX ? 10 ** t : t;
    ctx.fillText(logX ? v.toExponential(0) : label(Math.round(v)), M.left + (i / 4) * (W - M.left - M.right), H - M.bottom + 15);
  }
  ctx.fillText(xLabel, (W + M.left) / 2, H - 3);
  ctx.save(), ctx.translate(11, (H - M.bottom) / 2), ctx.rotate(-Math.PI / 2), ctx.fillText(yLabel, 0, 0), ctx.restore();
  ctx.save();
  ctx.beginPath(), ctx.rect(M.left, M.top - 2, W - M.left - M.right, H - M.top - M.bottom + 4), ctx.clip();
  for (const s of series) {
    const stride = Math.ceil(s.points.length / (2 * W)); // at most two points per pixel column
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = s.width ?? 2;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let started = false;
    for (let k = 0; k < s.points.length; k += stride) {
      const [x, y] = s.points[k];
      if (!Number.isFinite(y) || (logX && x <= 0)) continue;
      started ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y));
      started = true;
    }
    ctx.stroke();
    if (s.markers) for (const [x, y] of s.points) if (Number.isFinite(y)) ctx.beginPath(), ctx.arc(X(x), Y(y), 3, 0, 2 * Math.PI), ctx.fill();
  }
  ctx.setLineDash([]);
  for (const m of marks) {
    ctx.fillStyle = m.color;
    ctx.beginPath(), ctx.arc(X(m.x), Y(m.y), 5, 0, 2 * Math.PI), ctx.fill();
    ctx.strokeStyle = "#fff", ctx.lineWidth = 1.5, ctx.stroke();
  }
  ctx.restore();
}

/** Decision regions: each grid cell in the colour of its likeliest class, paler where the model is unsure; the
 * test points on top. `probabilities` is GRID² × classes, row 0 at the top of `box`. */
export function boundary(canvas, probabilities, box, classes, points, labels, grid) {
  const [ctx, W, H] = fit(canvas, 1);
  const image = new ImageData(grid, grid);
  const rgb = CLASS_COLORS.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  for (let cell = 0; cell < grid * grid; cell++) {
    let best = 0, p = -1;
    for (let k = 0; k < classes; k++) if (probabilities[cell * classes + k] > p) (p = probabilities[cell * classes + k]), (best = k);
    const strength = Math.max(0, (p - 1 / classes) / (1 - 1 / classes)); // 0 at a coin flip, 1 when certain
    const a = 0.18 + 0.5 * strength;
    for (let c = 0; c < 3; c++) image.data[4 * cell + c] = Math.round(255 * (1 - a) + rgb[best % rgb.length][c] * a);
    image.data[4 * cell + 3] = 255;
  }
  const off = new OffscreenCanvas(grid, grid);
  off.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, W, H);
  const [x0, x1, y0, y1] = box;
  for (let i = 0; i < labels.length; i++) {
    const px = ((points[2 * i] - x0) / (x1 - x0)) * W, py = ((y1 - points[2 * i + 1]) / (y1 - y0)) * H;
    ctx.fillStyle = CLASS_COLORS[labels[i] % CLASS_COLORS.length];
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1;
    ctx.beginPath(), ctx.arc(px, py, 2.6, 0, 2 * Math.PI), ctx.fill(), ctx.stroke();
  }
}

/** A contour map of a landscape (filled bands, log-spaced above the minimum when `levels` is 'log'), the paths
 * of the optimizers, the minima and the start point; returns the mapping from canvas to landscape coordinates. */
export function contours(canvas, fn, runs, start) {
  const [ctx, W, H] = fit(canvas, 0.75);
  const { x: [x0, x1], y: [y0, y1] } = fn.domain;
  const N = 120;
  const values = new Float64Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) values[j * N + i] = fn.f(x0 + ((i + 0.5) / N) * (x1 - x0), y1 - ((j + 0.5) / N) * (y1 - y0));
  let lo = Infinity, hi = -Infinity;
  for (const v of values) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const level = fn.levels === "log" ? (v) => Math.log1p(v - lo) / Math.log1p(hi - lo) : (v) => (v - lo) / (hi - lo || 1);
  const image = new ImageData(N, N);
  for (let k = 0; k < N * N; k++) {
    const t = Math.floor(level(values[k]) * 16) / 16; // bands: pale near the minimum, deeper blue uphill
    image.data.set([Math.round(250 - 140 * t), Math.round(252 - 100 * t), Math.round(255 - 30 * t), 255], 4 * k);
  }
  const off = new OffscreenCanvas(N, N);
  off.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, W, H);
  const X = (x) => ((x - x0) / (x1 - x0)) * W, Y = (y) => ((y1 - y) / (y1 - y0)) * H;
  ctx.fillStyle = "#111827";
  for (const [mx, my] of fn.minima) ctx.beginPath(), ctx.moveTo(X(mx), Y(my) - 6), ctx.lineTo(X(mx) + 5, Y(my) + 4), ctx.lineTo(X(mx) - 5, Y(my) + 4), ctx.fill();
  runs.forEach((run, r) => {
    ctx.strokeStyle = PALETTE[r % PALETTE.length];
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let k = 0; k < run.path.length; k += 2) k ? ctx.lineTo(X(run.path[k]), Y(run.path[k + 1])) : ctx.moveTo(X(run.path[k]), Y(run.path[k + 1]));
    ctx.stroke();
    const e = run.path.length - 2;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.beginPath(), ctx.arc(X(run.path[e]), Y(run.path[e + 1]), 4, 0, 2 * Math.PI), ctx.fill();
  });
  ctx.fillStyle = "#fff";
  ctx.strokeStyle = "#111827";
  ctx.lineWidth = 2;
  ctx.beginPath(), ctx.arc(X(start[0]), Y(start[1]), 7, 0, 2 * Math.PI), ctx.fill(), ctx.stroke();
  return { toLandscape: (px, py) => [x0 + (px / W) * (x1 - x0), y1 - (py / H) * (y1 - y0)], W, H };
}
