// HTML pieces the lab's reports share: an optimizer card (its colour in the charts, settings, update rule,
// explanation and results) and preformatted blocks. All text is escaped here.
import type { OptimizerExplanation } from "../../report/explain.js";
import { escapeHtml } from "../../report/html.js";
import { formatLr } from "../format.js";

export const CARD_STYLE = `<style>
.lab-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; margin-top: 12px; }
.lab-card { border: 1px solid #dde1e6; border-left: 6px solid var(--c); border-radius: 6px; padding: 10px 14px 12px; }
.lab-card h3 { margin: 0 0 2px; font-size: 16px; }
.lab-card .settings { color: #545b64; font-size: 13px; margin: 0 0 6px; }
.lab-card code { display: block; background: #f4f5f7; border-radius: 4px; padding: 4px 8px; margin: 0 0 6px; font-size: 13px; white-space: pre-wrap; }
.lab-card p { font-size: 13.5px; margin: 0 0 6px; }
.lab-card .results { font-weight: 600; font-size: 13.5px; margin: 0; }
pre.lab-pre { background: #f4f5f7; border-radius: 6px; padding: 10px 12px; font-size: 13px; overflow-x: auto; margin: 10px 0 0; }
</style>`;

export interface CardInput {
  name: string;
  /** The colour of its series in the charts. */
  color: string;
  /** Its hyperparameters, as text. */
  settings: string;
  explanation: OptimizerExplanation | undefined;
  /** Already escaped HTML. */
  results: string;
}

export function optimizerCard(card: CardInput): string {
  const e = card.explanation;
  return `<div class="lab-card" style="--c: ${escapeHtml(card.color)}">
<h3>${escapeHtml(card.name)}</h3>
<p class="settings">${escapeHtml(card.settings)}${e && e.name.toLowerCase() !== card.name.toLowerCase() ? ` · ${escapeHtml(e.name)}` : ""}</p>
${e ? `<code>${escapeHtml(e.rule)}</code>\n<p>${escapeHtml(e.summary)}</p>` : ""}
<p class="results">${card.results}</p>
</div>`;
}

export function preBlock(text: string): string {
  return `<pre class="lab-pre">${escapeHtml(text)}</pre>`;
}

/** An optimizer's hyperparameters as a short line: 'lr 0.05, momentum 0.9, nesterov' (zero and false options left out). */
export function formatSettings(options: Record<string, unknown>): string {
  const shown = Object.entries(options).filter(([k, v]) => k !== "initialLr" && k !== "maximize" && v !== false && v !== null && !(k !== "lr" && v === 0));
  return shown.map(([k, v]) => (v === true ? k : `${k} ${Array.isArray(v) ? v.join("/") : k === "lr" ? formatLr(v as number) : String(v)}`)).join(", ");
}
