// An MLP on the embedded UCI digits (no download), Adam with a one-cycle schedule, in about a second.
import { Adam, createEngine, CrossEntropyLoss, fit, evaluate, Linear, loadDigits, OneCycleLR, ReLU, Sequential } from "wasm-optim";

const engine = await createEngine();
const { train, test } = loadDigits(); // 1438 / 359 samples of 8×8 pixels, 10 classes
const model = new Sequential([new Linear(64, 128), new ReLU(), new Linear(128, 10)]);
model.compile(engine, { inputShape: [64], batchSize: 64, seed: 1 }); // plans all memory once
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const epochs = 20;
const scheduler = new OneCycleLR(optimizer, { maxLr: 1e-2, epochs, stepsPerEpoch: Math.ceil(train.length / 64) });
const loss = new CrossEntropyLoss();

await fit(model, train, { optimizer, scheduler, schedulerStep: "batch", loss, epochs, batchSize: 64, seed: 1, validationData: test });
const { accuracy } = await evaluate(model, test, { loss });
console.log(`test accuracy ${(100 * accuracy).toFixed(1)} %`);
