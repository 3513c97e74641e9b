// Checks a kernel module against the ABI this build of the library was generated for (src/kernels/abi.gen.ts),
// so that a stale or foreign module is an error at load time that names the difference, not a wrong result.
import { KERNEL_NAMES, WASM_CONSTANTS, WASM_EXPORTS } from "./abi.gen.js";
import type { Kernels } from "./kernels.js";

type ExportKind = WebAssembly.ModuleExportDescriptor["kind"];

/** The differences between a module's exports and the expected ones: names missing, names extra, kinds wrong. */
export function exportMismatches(
  actual: readonly WebAssembly.ModuleExportDescriptor[],
  expected: Readonly<Record<string, ExportKind>> = WASM_EXPORTS,
): string[] {
  const kinds = new Map(actual.map((e) => [e.name, e.kind]));
  const missing = Object.keys(expected).filter((name) => !kinds.has(name));
  const extra = [...kinds.keys()].filter((name) => !Object.hasOwn(expected, name));
  const wrong = Object.entries(expected).filter(([name, kind]) => kinds.has(name) && kinds.get(name) !== kind);
  const problems: string[] = [];
  if (missing.length) problems.push(`missing ${missing.map((n) => `${n} (${expected[n]})`).join(", ")}`);
  if (extra.length) problems.push(`extra ${extra.map((n) => `${n} (${kinds.get(n)})`).join(", ")}`);
  for (const [name, kind] of wrong) problems.push(`${name} is a ${kinds.get(name)}, expected a ${kind}`);
  return problems;
}

/** Throws unless the module exports exactly the expected names, each of the expected kind. */
export function checkExports(
  actual: readonly WebAssembly.ModuleExportDescriptor[],
  expected: Readonly<Record<string, ExportKind>> = WASM_EXPORTS,
): void {
  const problems = exportMismatches(actual, expected);
  if (problems.length) {
    throw new Error(`The kernel module does not match the ABI this library was built for (src/kernels/abi.gen.ts): ${problems.join("; ")}`);
  }
}

/** The kernels of an instance whose module passed checkExports, after checking that its constants have the values
 * the library was built with. */
export function kernelsOf(exports: WebAssembly.Exports, constants: Readonly<Record<string, number>> = WASM_CONSTANTS): Kernels {
  for (const [name, value] of Object.entries(constants)) {
    const global = exports[name];
    const got = global instanceof WebAssembly.Global ? global.value : global;
    if (got !== value) throw new Error(`The kernel module's constant ${name} is ${String(got)}, this library was built with ${value}`);
  }
  return Object.fromEntries(KERNEL_NAMES.map((name) => [name, exports[name]])) as unknown as Kernels;
}
