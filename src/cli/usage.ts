// Usage errors: a bad flag value, spec or data source. The command prints `error: <message>` and a pointer to its
// --help, and exits with status 2, as commander's own parse errors (an unknown flag) do (src/cli.ts). A failure
// that is not the user's (or a run that diverged) exits with status 1.
import { InvalidArgumentError, type Command } from "commander";
import { DataError } from "../data/errors.js";
import { MemoryLimitError } from "../engine/arena.js";
import { SpecError } from "../lab/spec.js";

export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE_EXIT = 2;

/** A run that went through but failed (it diverged): its outputs are written, the command exits with status 1. */
export class RunFailed extends Error {
  override name = "RunFailed";
}

/** For commander argParsers: converts a SpecError / RangeError / UsageError into commander's InvalidArgumentError. */
export function argument<T, P = T>(parse: (value: string, previous: P) => T): (value: string, previous: P) => T {
  return (value, previous) => {
    try {
      return parse(value, previous);
    } catch (e) {
      if (e instanceof SpecError || e instanceof UsageError || e instanceof RangeError) throw new InvalidArgumentError(e.message);
      throw e;
    }
  };
}

/** Runs an action; usage errors print with the command's help hint, other errors as 'error: …'; both exit non-zero. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    try {
      await run(...args);
    } catch (e) {
      const err = e as Error;
      // A bad data file or a model too large for the engine is the user's to fix, like a bad flag.
      if (err instanceof UsageError || err instanceof SpecError || err instanceof DataError || err instanceof MemoryLimitError) {
        command.error(`error: ${err.message}\nRun 'wasm-optim ${command.name()} --help' for the options.`, { exitCode: USAGE_EXIT, code: "wasm-optim.usage" });
      }
      process.stderr.write(`error: ${err.message}\n`);
      if (process.env.WASM_OPTIM_DEBUG) process.stderr.write(`${err.stack}\n`);
      process.exit(1);
    }
  };
}
