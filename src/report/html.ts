// The HTML report: one self-contained page (inline CSS and SVG, no script, no external URL) with sections of
// text, charts and tables. Browser-safe: it only builds a string.
import { checkOptions, keysOf } from "../engine/options.js";

export interface ReportTable {
  columns: readonly string[];
  rows: readonly (readonly (string | number | null | undefined)[])[];
  caption?: string;
}

export interface ReportChart {
  svg: string;
  /** Plain text shown under the chart (e.g. what the optimizer does). */
  caption?: string;
}

export interface ReportSection {
  heading: string;
  /** Plain text, escaped; each string is a paragraph. */
  text?: string | readonly string[];
  /** Trusted HTML, inserted as is (after the text). */
  html?: string;
  charts?: readonly (string | ReportChart)[];
  table?: ReportTable;
}

export interface ReportOptions {
  title: string;
  subtitle?: string;
  sections: readonly ReportSection[];
  /** A line at the bottom (e.g. versions, date, command); plain text. */
  footer?: string;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1d2125; font: 15px/1.55 Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 26px; font-weight: 650; }
header p { margin: 0 0 20px; color: #545b64; }
section { background: white; border: 1px solid #dde1e6; border-radius: 8px; padding: 18px 22px 22px; margin: 0 0 20px; }
section h2 { margin: 0 0 10px; font-size: 19px; font-weight: 650; }
section p { margin: 0 0 10px; max-width: 80ch; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 12px; }
figure { margin: 0; flex: 0 1 auto; max-width: 100%; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { max-width: 560px; margin-top: 4px; font-size: 13.5px; color: #3d444c; }
.table-wrap { overflow-x: auto; margin-top: 14px; }
table { border-collapse: collapse; font-size: 14px; min-width: 50%; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 6px; }
th, td { padding: 6px 12px; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; }
th, td.num { white-space: nowrap; }
td { max-width: 60ch; }
th { background: #eef1f4; font-weight: 600; border-bottom: 2px solid #cfd5dc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafbfc; }
tbody tr:hover { background: #f0f4fa; }
footer { color: #6a717a; font-size: 13px; margin-top: 8px; }
@media print { body { background: white; } section { break-inside: avoid; border: none; } }
`;

export function renderReport(options: ReportOptions): string {
  checkOptions("renderReport", options, REPORT_OPTIONS);
  const sections = options.sections.map(renderSection).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(options.title)}</h1>
${options.subtitle ? `<p>${escapeHtml(options.subtitle)}</p>` : ""}
</header>
${sections}
${options.footer ? `<footer>${escapeHtml(options.footer)}</footer>` : ""}
</main>
</body>
</html>
`;
}

function renderSection(section: ReportSection): string {
  const text = section.text === undefined ? [] : typeof section.text === "string" ? [section.text] : section.text;
  const parts = [`<h2>${escapeHtml(section.heading)}</h2>`, ...text.map((p) => `<p>${escapeHtml(p)}</p>`)];
  if (section.html) parts.push(section.html);
  if (section.charts && section.charts.length > 0) {
    const figures = section.charts.map((c) => {
      const chart = typeof c === "string" ? { svg: c } : c;
      const caption = chart.caption ? `<figcaption>${escapeHtml(chart.caption)}</figcaption>` : "";
      return `<figure>${inlineSvg(chart.svg)}${caption}</figure>`;
    });
    parts.push(`<div class="charts">${figures.join("\n")}</div>`);
  }
  if (section.table) parts.push(renderTable(section.table));
  return `<section>\n${parts.join("\n")}\n</section>`;
}

function renderTable(table: ReportTable): string {
  const { columns, rows } = table;
  rows.forEach((row, r) => {
    if (row.length !== columns.length) throw new RangeError(`renderReport: table row ${r} has ${row.length} cells for ${columns.length} columns`);
  });
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${row.map((v) => (typeof v === "number" ? `<td class="num">${formatNumber(v)}</td>` : `<td>${escapeHtml(v ?? "")}</td>`)).join("")}</tr>`)
    .join("\n");
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : "";
  return `<div class="table-wrap"><table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** Integers as they are, other numbers to 4 significant digits, tiny or huge ones in exponent form. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "–" : v > 0 ? "∞" : "−∞";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** An SVG for inlining in HTML: without the XML namespace declarations, which HTML does not need. */
function inlineSvg(svg: string): string {
  const start = svg.indexOf("<svg");
  if (start < 0) throw new RangeError("renderReport: a chart is not an SVG (no <svg element)");
  return svg.slice(start).replace(/^<svg([^>]*)>/, (_, attrs: string) => `<svg${attrs.replace(/\s+xmlns(:\w+)?="[^"]*"/g, "")}>`);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The keys renderReport accepts (tsc checks the list against ReportOptions). */
const REPORT_OPTIONS = keysOf<ReportOptions>({ title: 1, subtitle: 1, sections: 1, footer: 1 });
