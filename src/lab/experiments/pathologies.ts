// The experiments of the gradient and second-order parts of the lab, in the `experiment` list: vanishing and
// exploding gradients, optimizers on recurrent networks (`wasm-optim gradients` runs the same with every knob), and
// Newton against first-order methods (`wasm-optim newton`). Each runs one seed: its comparisons are between
// configurations on the same initial weights, so `seeds` above 1 is refused rather than ignored.
import { compareToJson } from "../compare-export.js";
import { explodingGradients, explodingToJson } from "../gradients-exploding.js";
import { recurrentOptimizers } from "../gradients-recurrent.js";
import { vanishingGradients, vanishingToJson } from "../gradients-vanishing.js";
import { describeExploding, explodingReport } from "../html/gradients-exploding-report.js";
import { describeClaims, recurrentOptimizersReport } from "../html/gradients-recurrent-report.js";
import { describeVanishing, vanishingReport } from "../html/gradients-vanishing-report.js";
import { newtonReport } from "../html/newton-report.js";
import { runNewtonComparison } from "../newton.js";
import { DIGITS, digits, prepare, type Prepared } from "./common.js";
import type { ExperimentEntry, ExperimentOptions, ExperimentResult } from "./registry.js";

async function oneSeed(name: string, options: ExperimentOptions): Promise<Prepared> {
  const prepared = await prepare(name, options);
  if (prepared.seeds > 1) throw new RangeError(`experiment ${name}: runs one seed (its configurations share the initial weights), got seeds ${prepared.seeds}`);
  return prepared;
}

export const vanishingEntry: ExperimentEntry = {
  name: "vanishing-gradients",
  title: "Vanishing gradients in a deep MLP",
  question: "Why does a deep network with sigmoid activations not learn, and what do ReLU, Xavier/Kaiming initialization and BatchNorm change?",
  async run(options = {}): Promise<ExperimentResult> {
    const { engine, small } = await oneSeed("vanishing-gradients", options);
    const result = await vanishingGradients({ engine, data: digits(), ...(small ? { depth: 6, epochs: 1 } : {}) });
    return {
      name: "vanishing-gradients", title: this.title, findings: describeVanishing(result),
      report: (context = {}) => vanishingReport(result, { ...context, dataDescription: DIGITS }),
      json: () => vanishingToJson(result),
    };
  },
};

export const explodingEntry: ExperimentEntry = {
  name: "exploding-gradients",
  title: "Exploding gradients in a recurrent network, and clipping",
  question: "What happens to an RNN's gradient on long sequences when its recurrent weights are large, and what do clipGradNorm and clipGradValue do about it?",
  async run(options = {}): Promise<ExperimentResult> {
    const { engine, small } = await oneSeed("exploding-gradients", options);
    const result = await explodingGradients({ engine, ...(small ? { length: 20, hidden: 8, epochs: 1 } : {}) });
    return {
      name: "exploding-gradients", title: this.title, findings: describeExploding(result),
      report: (context = {}) => explodingReport(result, context),
      json: () => explodingToJson(result),
    };
  },
};

export const recurrentOptimizersEntry: ExperimentEntry = {
  name: "recurrent-optimizers",
  title: "Optimizers on recurrent networks",
  question: "Do RMSprop and Adam suit recurrent networks better than SGD, and is clipping needed?",
  async run(options = {}): Promise<ExperimentResult> {
    const { engine, small } = await oneSeed("recurrent-optimizers", options);
    const result = await recurrentOptimizers({ engine, ...(small ? { lstmLength: 10, rnnLength: 8, samples: 200, hidden: 8, epochs: 1 } : {}) });
    return {
      name: "recurrent-optimizers", title: this.title, findings: describeClaims(result),
      report: (context = {}) => recurrentOptimizersReport(result, context),
      json: () => ({
        claims: result.claims,
        tasks: result.tasks.map((t) => ({ name: t.name, withoutClipping: compareToJson(t.withoutClipping), withClipping: compareToJson(t.withClipping) })),
      }),
    };
  },
};

export const newtonEntry: ExperimentEntry = {
  name: "newton",
  title: "Newton's method against gradient descent, L-BFGS and Hessian-free",
  question: "Why does Newton's method converge in a handful of iterations, and why is it not used to train networks?",
  async run(options = {}): Promise<ExperimentResult> {
    const { engine, small } = await oneSeed("newton", options);
    const data = digits();
    const result = await runNewtonComparison({ engine, data: small ? { train: data.train.subset(Array.from({ length: 200 }, (_, i) => i)), test: data.test } : data, tolerance: small ? 1e-6 : 1e-8 });
    const findings = result.runs.map((r) => `${r.name}: ${r.converged ? `converged in ${r.values.length - 1} iterations` : `not converged after ${r.values.length - 1} iterations`}, ${(r.seconds.at(-1)! * 1000).toFixed(0)} ms, ${r.memoryFloats} extra floats.`);
    return {
      name: "newton", title: this.title, findings,
      report: (context = {}) => newtonReport(result, { ...context, dataDescription: DIGITS }),
      json: () => result.runs.map(({ theta: _theta, ...r }) => r),
    };
  },
};
