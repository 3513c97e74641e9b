// The annual flow of the Nile at Aswan, 1871–1970, in 10⁸ m³ (100 values; public domain). First analysed by
// Cobb (1978, "The Problem of the Nile", Biometrika 65(2)), the running example of Durbin & Koopman's "Time
// Series Analysis by State Space Methods" (2001); the values as Debian's python3-statsmodels ships them
// (statsmodels/datasets/nile/nile.csv, "This is public domain"). There is a drop in level around 1898.
//
// nileForecasting(): windows of `window` years (standardized with the mean and deviation of the training years)
// and the next year's flow as the target; the first 80 % of the windows train, the later ones test (in time
// order: the test years come after every training year).
import { checkOptions } from "../../engine/options.js";
import { Dataset } from "../dataset.js";

export const NILE_FIRST_YEAR = 1871;

export const NILE_FLOW: readonly number[] = [
  1120, 1160, 963, 1210, 1160, 1160, 813, 1230, 1370, 1140, 995, 935, 1110, 994, 1020, 960, 1180, 799, 958, 1140,
  1100, 1210, 1150, 1250, 1260, 1220, 1030, 1100, 774, 840, 874, 694, 940, 833, 701, 916, 692, 1020, 1050, 969,
  831, 726, 456, 824, 702, 1120, 1100, 832, 764, 821, 768, 845, 864, 862, 698, 845, 744, 796, 1040, 759,
  781, 865, 845, 944, 984, 897, 822, 1010, 771, 676, 649, 846, 812, 742, 801, 1040, 860, 874, 848, 890,
  744, 749, 838, 1050, 918, 986, 797, 923, 975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, 740,
];

export interface NileOptions {
  /** Years per input window (default 10). */
  window?: number;
}

/** Forecasting the next year's flow from the `window` before: samples [window, 1], one target each, standardized. */
export function nileForecasting(options: NileOptions = {}): { train: Dataset; test: Dataset; mean: number; std: number } {
  checkOptions("nileForecasting", options, ["window"]);
  const { window = 10 } = options;
  const windows = NILE_FLOW.length - window;
  if (!Number.isInteger(window) || window < 1 || windows < 5) throw new RangeError(`nileForecasting: window must be an integer in [1, ${NILE_FLOW.length - 5}], got ${window}`);
  const trainWindows = Math.round(0.8 * windows);
  // Statistics of the years the training windows and targets cover.
  const seen = NILE_FLOW.slice(0, trainWindows + window);
  const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
  const std = Math.sqrt(seen.reduce((a, b) => a + (b - mean) ** 2, 0) / seen.length);
  const z = NILE_FLOW.map((v) => (v - mean) / std);
  const part = (from: number, to: number, name: string) => {
    const x = new Float32Array((to - from) * window), targets = new Float32Array(to - from);
    for (let s = from; s < to; s++) {
      x.set(z.slice(s, s + window), (s - from) * window);
      targets[s - from] = z[s + window]!;
    }
    return new Dataset({ x, shape: [window, 1], targets, targetSize: 1, name });
  };
  return { train: part(0, trainWindows, "nile (train)"), test: part(trainWindows, windows, "nile (test)"), mean, std };
}
