// Runs functions under the benchmark package and returns the median seconds per call of each.
import Benchmark from "benchmark";

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times one function; returns { median, rme, samples } in seconds per call. */
export function time(name, fn, { maxTime = 2, minSamples = 5 } = {}) {
  const bench = new Benchmark(name, fn, { maxTime, minSamples, initCount: 1 });
  bench.run();
  if (bench.error) throw bench.error;
  return { median: median(bench.stats.sample), rme: bench.stats.rme, samples: bench.stats.sample.length };
}
