// The adding problem (Hochreiter & Schmidhuber 1997) separates an LSTM from a vanilla RNN: with T = 50 steps the
// first marked value lies at least 25 steps before the answer is due, well beyond the lags of about ten steps at
// which gradient descent on a simple RNN is reported to fail (Bengio, Simard & Frasconi 1994; Hochreiter &
// Schmidhuber 1997, whose experiments set T ≥ 100; Le et al. 2015 and Arjovsky et al. 2016 find the tanh RNN
// stuck at the baseline for T ≥ 100). Always answering 1 scores a mean squared error of 1/6 ≈ 0.167.
// One seeded run each, the same recipe (hidden 32, Adam lr 1e-2, gradients clipped to norm 1, 800 steps of 32),
// on the simd backend, whose bits are the same on every machine.
import { describe, expect, it } from "vitest";
import { Adam, createEngine, evaluate, fit, Linear, LSTM, makeAddingProblem, MSELoss, RNN, Sequential, type Layer } from "../src/index.js";

const T = 50;
const train = makeAddingProblem({ samples: 3200, length: T, seed: 1 });
const test = makeAddingProblem({ samples: 256, length: T, seed: 2 });

async function testLoss(layer: Layer): Promise<number> {
  const engine = await createEngine({ backend: "simd" });
  const model = new Sequential([layer, new Linear(32, 1)]).compile(engine, { inputShape: [T, 2], batchSize: 32, seed: 1 });
  const loss = new MSELoss();
  await fit(model, train, { optimizer: new Adam(model.parameters(), { lr: 1e-2 }), loss, epochs: 8, batchSize: 32, clipGradNorm: 1, verbose: 0 });
  return evaluate(model, test, { loss }).loss;
}

describe("the adding problem at T = 50", () => {
  it("an LSTM solves it", async () => {
    expect(await testLoss(new LSTM(2, 32, { returnSequences: false }))).toBeLessThan(0.02);
  }, 120_000);

  it("a vanilla (tanh) RNN with the same recipe stays at the baseline", async () => {
    expect(await testLoss(new RNN(2, 32, { returnSequences: false }))).toBeGreaterThan(0.12);
  }, 120_000);
});
