// The command line: `npx wasm-optim <command>` (dist/cli.js). Every command has --help.
//
//   compare     several optimizers on one model, same initial weights and batches → summary + report
//   train       one run, with checkpoints (--save / --resume) and safetensors export
//   lr-find     the learning-rate range test → curve summary, suggestion + report
//   landscape   optimizers on 2-D test functions → steps to tolerance / divergence + contour report
//   advise      a learning-rate sweep per optimizer → ranking, sensitivity, advice in words + report
//   bench       the kernel benchmarks
//   newton      Newton vs gradient descent, L-BFGS, Hessian-free → iterations, time, memory + report
//   constrained projected gradient, penalty, augmented Lagrangian on 2-D problems → KKT point, multiplier + report
//   regularization  none / L1 / L2 / elastic net / proximal L1, Adam + L2 vs AdamW → zeros, histograms + report
//   experiment  a ready-made experiment (batch-modes, learning-rate, batch-lr, generalization, momentum) → report
//   gradients   vanishing and exploding gradients made visible: per-layer gradient norms + report
import { Command, type CommanderError } from "commander";
import { USAGE_EXIT } from "./cli/usage.js";
import { adviseCommand } from "./cli/advise.js";
import { benchCommand } from "./cli/bench.js";
import { compareCommand } from "./cli/compare.js";
import { landscapeCommand } from "./cli/landscape.js";
import { lrFindCommand } from "./cli/lr-find.js";
import { trainCommand } from "./cli/train.js";
import { regularizationCommand } from "./cli/regularization.js";
import { constrainedCommand } from "./cli/constrained.js";
import { experimentCommand } from "./cli/experiment.js";
import { relaunchIfNeeded } from "./cli/relaunch.js";
import { gradientsCommand } from "./cli/gradients.js";
import { newtonCommand } from "./cli/newton.js";

const program = new Command("wasm-optim")
  .description("Train and compare neural-network optimizers in WebAssembly SIMD: every optimizer of torch.optim, side by side.")
  .version("0.1.0")
  .showSuggestionAfterError(true)
  .configureHelp({ sortSubcommands: false, showGlobalOptions: false });

// Every usage mistake exits with status 2, commander's own (an unknown flag, a bad flag value) like ours.
const usageExit = (e: CommanderError) => {
  if (e.exitCode !== 0) process.exit(USAGE_EXIT);
  process.exit(0);
};
program.exitOverride(usageExit);
for (const command of [compareCommand(), trainCommand(), lrFindCommand(), landscapeCommand(), adviseCommand(), benchCommand(), regularizationCommand(), constrainedCommand(), experimentCommand(), gradientsCommand(), newtonCommand()]) {
  program.addCommand(command.showSuggestionAfterError(true).exitOverride(usageExit));
}
program.addHelpText("after", `
Run 'wasm-optim <command> --help' for a command's options. 'npm start' runs 'compare' with its defaults.`);

// Output piped into a command that stops reading (| head) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

await relaunchIfNeeded(); // with the flag Node 20 needs for relaxed SIMD (./cli/relaunch.ts)
await program.parseAsync(process.argv);
