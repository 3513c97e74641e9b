// Runs the determinism check (determinism.js) inside a Web Worker, for test/browser.test.ts: on any message,
// posts { supported, results } (or { error }).
import { runAll } from "./determinism.js";

onmessage = async () => {
  try {
    postMessage(await runAll());
  } catch (error) {
    postMessage({ error: String(error?.stack ?? error) });
  }
};
