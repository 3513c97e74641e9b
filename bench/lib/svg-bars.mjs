// A horizontal bar chart as a standalone SVG string, for the benchmark's saved results (no dependency, so the
// benchmark's output does not depend on the report floor). Groups of bars, one bar per label, value printed at
// its end.
const escape = (s) => String(s).replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]);

/** groups: [{ title, unit, bars: [{ label, value }] }] → SVG text. */
export function barChart(title, groups, { width = 760, barHeight = 18, labelWidth = 260 } = {}) {
  const plot = width - labelWidth - 90;
  let y = 40;
  const parts = [`<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`];
  for (const g of groups) {
    const bars = g.bars.filter((b) => Number.isFinite(b.value));
    if (!bars.length) continue;
    parts.push(`<text x="10" y="${y + 12}" font-size="13" font-weight="bold">${escape(g.title)}</text>`);
    y += 20;
    const max = Math.max(...bars.map((b) => b.value));
    for (const [i, b] of bars.entries()) {
      const w = Math.max(1, (plot * b.value) / max);
      const color = b.label.startsWith("wasm-optim") ? "#3366cc" : b.label.startsWith("PyTorch") ? "#ee7733" : "#999999";
      parts.push(
        `<text x="${labelWidth - 6}" y="${y + barHeight - 5}" font-size="12" text-anchor="end">${escape(b.label)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight - 3}" fill="${color}"${i % 2 ? ' fill-opacity="0.85"' : ""}/>`,
        `<text x="${labelWidth + w + 4}" y="${y + barHeight - 5}" font-size="12">${escape(`${b.value.toFixed(b.value < 10 ? 2 : 1)} ${g.unit}`)}</text>`,
      );
      y += barHeight;
    }
    y += 12;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join("\n")}\n</svg>\n`;
}
