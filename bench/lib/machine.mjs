// What the benchmark ran on: CPU model, cores, Node version, date (recorded with every result).
import { readFileSync } from "node:fs";
import os from "node:os";

export function machine() {
  let cpu = os.cpus()[0]?.model ?? "unknown CPU";
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
  } catch {}
  return { cpu, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
}
