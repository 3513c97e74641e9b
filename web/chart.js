// A hand-written SVG line chart of the epoch records: losses on the left axis, accuracy (0–100 %) on the right.
const W = 920, H = 280, M = { left: 48, right: 48, top: 12, bottom: 30 };
const SERIES = [
  { field: "loss", color: "var(--train)", axis: "loss" },
  { field: "valLoss", color: "var(--val)", axis: "loss" },
  { field: "valAccuracy", color: "var(--acc)", axis: "accuracy" },
];

/** Redraws `svg` for `records` (fit's EpochRecord objects) of a run of `epochs` epochs. */
export function drawChart(svg, records, epochs) {
  const maxLoss = niceCeiling(Math.max(0.5, ...records.flatMap((r) => [r.loss, r.valLoss]).filter(Number.isFinite)));
  const x = (epoch) => M.left + ((epoch - 1) / Math.max(1, epochs - 1)) * (W - M.left - M.right);
  const y = (value, axis) => H - M.bottom - (value / (axis === "loss" ? maxLoss : 1)) * (H - M.top - M.bottom);
  const parts = [];
  for (let i = 0; i <= 4; i++) {
    const v = (i / 4) * maxLoss, yy = y(v, "loss");
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}" stroke="#eef0f3"/>`,
      `<text x="${M.left - 6}" y="${yy + 4}" text-anchor="end">${+v.toFixed(2)}</text>`,
      `<text x="${W - M.right + 6}" y="${yy + 4}">${i * 25}%</text>`);
  }
  const step = Math.max(1, Math.ceil(epochs / 10));
  for (let e = 1; e <= epochs; e += step) parts.push(`<text x="${x(e)}" y="${H - M.bottom + 16}" text-anchor="middle">${e}</text>`);
  parts.push(`<text x="${(W + M.left - M.right) / 2}" y="${H - 2}" text-anchor="middle">epoch</text>`);
  for (const s of SERIES) {
    const points = records.filter((r) => Number.isFinite(r[s.field])).map((r) => [x(r.epoch + 1), y(r[s.field], s.axis)]);
    if (points.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.2" stroke-linejoin="round" points="${points.map((p) => p.join(",")).join(" ")}"/>`);
    for (const [px, py] of points) parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${s.color}"/>`);
  }
  svg.innerHTML = parts.join("");
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above v. */
function niceCeiling(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v);
}
