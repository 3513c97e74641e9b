// Node-side: a Vega-Lite spec → an SVG string, rendered headless (Vega's 'none' renderer, no browser, no canvas).
//
// Every chart of a report is inlined into one HTML document, where element ids are global: Vega numbers its
// clip paths clip1, clip2, … in every SVG, so the ids of each SVG get a prefix derived from its content.
// Coordinates are rounded to 0.1 px.
//
// Vega and Vega-Lite are imported on the first chart, not with wasm-optim/node: they weigh ~24 MiB of memory.
import type { TopLevelSpec } from "vega-lite";

/** Fonts, sizes and colours shared by every chart. */
export const CHART_CONFIG = {
  aria: false,
  font: "Helvetica, Arial, sans-serif",
  background: "white",
  padding: 8,
  title: { fontSize: 15, fontWeight: 600, anchor: "start", offset: 10, subtitleFontSize: 12, subtitleColor: "#555" },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 500, gridColor: "#e6e6e6", domainColor: "#888", tickColor: "#888", labelColor: "#333", titleColor: "#222" },
  legend: { labelFontSize: 12, titleFontSize: 12, symbolStrokeWidth: 3, labelLimit: 260 },
  view: { stroke: "#bbb" },
} as const;

/** A Vega-Lite spec (vega-lite's TopLevelSpec): typed as an object here, so that the published declarations do
 * not need vega-lite's types, an optional peer dependency. */
export type VegaLiteSpec = object;

/** Renders a Vega-Lite spec to SVG; needs the optional peer dependencies vega and vega-lite. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [{ compile }, { parse, View }] = await Promise.all([import("vega-lite"), import("vega")]).catch(missingPeer);
  const { spec: vegaSpec } = compile({ config: CHART_CONFIG, ...spec } as TopLevelSpec);
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return uniqueIds(roundCoordinates(await view.toSVG()));
  } finally {
    view.finalize();
  }
}

/** A failed import of vega or vega-lite: when a package is missing, says which to install. */
function missingPeer(e: unknown): never {
  if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND" && !/Cannot find (module|package)/.test(String(e))) throw e;
  throw new Error(`charts need the packages vega and vega-lite, optional peer dependencies of wasm-optim that are not installed: npm install vega vega-lite (${String(e)})`);
}

/** Prefixes every id (and each reference to it) with a hash of the SVG, so that inlined SVGs never collide. */
export function uniqueIds(svg: string): string {
  const prefix = `c${fnv1a(svg).toString(36)}-`;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`);
}

/** Coordinates of paths and transforms to 0.1 px (Vega writes up to 3 or 15 decimals): smaller, the same to the eye. */
function roundCoordinates(svg: string): string {
  return svg.replace(/ (d|transform)="([^"]*)"/g, (_, name: string, value: string) => ` ${name}="${value.replace(/(\d\.\d)\d+/g, "$1")}"`);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
