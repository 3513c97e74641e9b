// generalization: adaptive methods against SGD with momentum on the task of Wilson et al. (2017), "The marginal
// value of adaptive gradient methods in machine learning", section 3.3, where the adaptive methods fit the training
// set as well and generalize worse. With weight decay added to Adam's gradient (coupled, torch's Adam
// weightDecay) and decoupled from it (AdamW; Loshchilov & Hutter 2019).
//
//   the data: sample i has label y_i = +1 with probability p = 0.6, else −1, and features
//     x_i1 = y_i,   x_i2 = x_i3 = 1,   and its own block of "unique" features, set to 1: one if y_i = +1, five if −1
//   Every sample of the training and the test set has unique features of its own, never seen by the others: a
//   model can fit the training set through them, but only feature 1 carries over to the test set.
//   SGD from small weights keeps the weights small along what no sample touches and ends near the minimum-norm
//   solution, which leans on feature 1; adaptive methods scale each coordinate's step by its own gradient
//   history, so the rare unique features and the always-on features 2-3 grow as fast as feature 1: the fit goes
//   through them, and the test samples, whose unique features the training never saw, fall to the majority class.
import { Dataset } from "../../data/dataset.js";
import { Rng } from "../../engine/rng.js";
import type { CompareResult } from "../compare.js";
import { formatLoss, formatPercent } from "../format.js";
import { labRun, parseRunSpec } from "../run-spec.js";
import { mean, prepare, runComparisonExperiment } from "./common.js";
import type { ExperimentEntry, ExperimentOptions, ExperimentResult } from "./registry.js";

export const GENERALIZATION_RUNS = [
  "sgd:lr=0.1,momentum=0.9 label=SGD+momentum",
  "adam:lr=0.01 label=Adam",
  "adam:lr=0.01,weightDecay=0.01 label=Adam+L2 (coupled)",
  "adamw:lr=0.01,weightDecay=0.1 label=AdamW (decoupled)",
  "rmsprop:lr=0.001 label=RMSprop",
  "adagrad:lr=0.1 label=Adagrad",
];

/** Wilson et al.'s data: `train` and `test` samples, each with unique features of its own (labels 1 for +1, 0 for −1). */
export function wilsonData(train: number, test: number, seed = 0): { train: Dataset; test: Dataset } {
  const n = train + test;
  const d = 3 + 5 * n;
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = rng.uniform() < 0.6 ? 1 : -1;
    labels[i] = y > 0 ? 1 : 0;
    const row = x.subarray(i * d, (i + 1) * d);
    row[0] = y;
    row[1] = row[2] = 1;
    for (let j = 0; j < (y > 0 ? 1 : 5); j++) row[3 + 5 * i + j] = 1;
  }
  const all = new Dataset({ x, shape: [d], labels, numClasses: 2, name: "Wilson et al. 2017" });
  return {
    train: all.subset(Array.from({ length: train }, (_, i) => i)).derive({ name: "Wilson et al. (train)" }),
    test: all.subset(Array.from({ length: test }, (_, i) => train + i)).derive({ name: "Wilson et al. (test)" }),
  };
}

export async function generalizationExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult & { comparison: CompareResult }> {
  const prepared = await prepare("generalization", options);
  const [train, test, epochs] = prepared.small ? [40, 100, 100] : [100, 400, 400];
  const data = wilsonData(train, test);
  const labels = data.test.labels!;
  const positive = labels.reduce((a, l) => a + l, 0) / labels.length;
  return runComparisonExperiment({
    name: "generalization",
    title: "Do adaptive methods generalize worse? (Wilson et al. 2017)",
    dataDescription: `Wilson et al.'s separable task: ${train} training and ${test} test samples, ${3 + 5 * (train + test)} features, 60 % positive`,
    compare: { data, model: "linear", epochs, batchSize: "full", optimizers: GENERALIZATION_RUNS.map((t) => labRun(parseRunSpec(t))) },
    question:
      "Adam, RMSprop and Adagrad often train faster than SGD. Wilson et al. (2017) built a simple task on which they fit the training set just as well and then do worse on new data. " +
      "Does it happen here, and does weight decay, added to the gradient (Adam's weightDecay) or applied to the weights directly (AdamW), change it?",
    theory: [
      "Each sample has three shared features (the first equals its label, the next two are always 1) and a few features that belong to it alone. " +
        "The training set can be fitted through either: through the first feature, which also works on new samples, or through each sample's private features, which do not exist in new ones.",
      "Gradient descent started from small weights only grows weights along directions the data pushes, and mostly along the ones many samples share: it leans on the first feature and generalizes. " +
        "Adaptive methods divide each weight's step by the size of its own past gradients, so a rarely-used private feature gets as large a step as the first one: " +
        "they fit through the private features and the constant ones, and on new samples, whose private features they never saw, they mostly predict the majority class.",
      "Weight decay pulls every weight towards zero. Added to the gradient (coupled), Adam's adaptive scaling divides it too, so its pull is uneven; decoupled (AdamW), every weight shrinks by the same factor each step.",
    ],
    findings: (r) => findings(r, Math.max(positive, 1 - positive)),
    cards: true,
  }, prepared, options);
}

function findings(r: CompareResult, majority: number): string[] {
  const names = r.statistics.map((s) => s.name);
  const acc = (n: string) => mean(r, n, "finalTestAccuracy");
  const ranked = [...names].sort((a, b) => acc(b) - acc(a));
  const sgd = "SGD+momentum";
  const adaptive = names.filter((n) => n !== sgd);
  const worse = adaptive.filter((n) => acc(n) < acc(sgd));
  return [
    `Training accuracy at the end: ${names.map((n) => `${n} ${formatPercent(mean(r, n, "finalAccuracy"))}`).join(", ")}.`,
    `Test accuracy: ${ranked.map((n) => `${n} ${formatPercent(acc(n))}`).join(", ")} (always predicting the majority class scores ${formatPercent(majority)} on this test set).`,
    worse.length === adaptive.length
      ? `Every adaptive method generalized worse than SGD with momentum, as Wilson et al. report.`
      : worse.length
        ? `${worse.join(", ")} generalized worse than SGD with momentum; ${adaptive.filter((n) => !worse.includes(n)).join(", ")} did not.`
        : "Here no adaptive method generalized worse than SGD with momentum: the gap Wilson et al. report did not appear at these settings.",
    `Generalization gap (test loss minus training loss): ${names.map((n) => `${n} ${formatLoss(mean(r, n, "gap"))}`).join(", ")}.`,
    `Weight decay: Adam's test accuracy was ${formatPercent(acc("Adam"))} without it, ${formatPercent(acc("Adam+L2 (coupled)"))} with it coupled, ${formatPercent(acc("AdamW (decoupled)"))} decoupled (AdamW).`,
    ...(acc("Adam+L2 (coupled)") > acc("AdamW (decoupled)") + 0.05
      ? ["Here the coupled decay helped more. Once a private feature has done its job its gradient fades, and the decay term λw is all that is left of it; Adam divides that by its own small size, " +
          "so the weight is pulled to zero at the full step size. Decoupled decay (0.1 × lr) shrinks every weight by only 0.1 % per step, too little in this many steps to undo the private features."]
      : []),
  ];
}

export const generalizationEntry: ExperimentEntry = {
  name: "generalization",
  title: "Do adaptive methods generalize worse? (Wilson et al. 2017)",
  question: "On a task built to show it (Wilson et al. 2017), do Adam, RMSprop and Adagrad fit as well as SGD with momentum but generalize worse, and does coupled or decoupled weight decay change that?",
  run: generalizationExperiment,
};
