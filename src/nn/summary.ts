// Sequential.summary(): one row per layer (index and kind, output shape with −1 for the batch, parameter count),
// then the totals, in the manner of torchsummary.
import { formatCount, formatShape } from "./format.js";
import type { Layer, Shape } from "./layer.js";

export function summaryTable(layers: readonly Layer[], inputShape: Shape, batchSize: number, stateValues: number): string {
  const rows = layers.map((layer) => [
    `${layer.name} ${layer.kind}`,
    formatShape([-1, ...layer.outputShape]),
    formatCount(layer.params.reduce((n, p) => n + p.length, 0)),
  ]);
  const header = ["Layer", "Output shape", "Params"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]!.padStart(widths[2]!)}`;
  const rule = "=".repeat(widths[0]! + widths[1]! + widths[2]! + 4);
  const total = layers.reduce((n, layer) => n + layer.params.reduce((m, p) => m + p.length, 0), 0);
  return [
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${formatCount(total)}`,
    `Non-trainable state values: ${formatCount(stateValues)}`,
    `Input shape: ${formatShape([-1, ...inputShape])}, compiled batch size ${batchSize}`,
  ].join("\n");
}
