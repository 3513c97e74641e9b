// One run of the lab: a dataset, a model and one optimizer, trained with fit() from the seed's initial weights.
// The same module runs in the lab's Web Workers and in Node (test/demo.test.ts), so both train the same bits.
// Everything that touches the model happens at fixed batch counts (the decision-boundary snapshots), never on a
// timer, so that the weights do not depend on how fast the machine is.

export const DATASETS = {
  spirals: { label: "Spirals (3 arms)", twoD: true, model: "mlp:32,32,activation=tanh", epochs: 60, batchSize: 32 },
  moons: { label: "Two moons", twoD: true, model: "mlp:16,16,activation=tanh", epochs: 40, batchSize: 32 },
  blobs: { label: "Blobs (4 clusters)", twoD: true, model: "mlp:16,activation=tanh", epochs: 20, batchSize: 32 },
  digits: { label: "Digits (8×8, 10 classes)", twoD: false, model: "mlp:64", epochs: 15, batchSize: 32 },
  fashion: { label: "Fashion-MNIST (10 000 images)", twoD: false, model: "mlp:128", epochs: 4, batchSize: 64 },
};

export const MODELS = ["linear", "mlp:16,activation=tanh", "mlp:16,16,activation=tanh", "mlp:32,32,activation=tanh", "mlp:64,64", "mlp:64", "mlp:128", "mlp:128,64"];

/** The grid of the decision-boundary pictures: GRID × GRID points over the data's box. */
export const GRID = 56;

/** The train and test sets of a dataset; Fashion-MNIST needs its four files' bytes (`files`). */
export async function makeData(lib, name, seed, files) {
  switch (name) {
    case "spirals":
      return { train: lib.makeSpirals({ samples: 600, noise: 0.08, seed }), test: lib.makeSpirals({ samples: 300, noise: 0.08, seed: seed + 1 }) };
    case "moons":
      return { train: lib.makeMoons({ samples: 400, noise: 0.15, seed }), test: lib.makeMoons({ samples: 200, noise: 0.15, seed: seed + 1 }) };
    case "blobs": {
      const centers = [[-4, -4], [4, -3], [-3, 4], [4, 4]];
      return { train: lib.makeBlobs({ samples: 400, centers, std: 1.6, seed }), test: lib.makeBlobs({ samples: 200, centers, std: 1.6, seed: seed + 1 }) };
    }
    case "digits":
      return lib.loadDigits();
    case "fashion": {
      if (!files) throw new Error("Fashion-MNIST needs its files: serve them under web/data/fashion-mnist/");
      const { train, test } = await lib.fashionMnistFromBytes(files);
      const pick = (n, stride) => Array.from({ length: n }, (_, i) => i * stride);
      return { train: train.subset(pick(10000, 6)), test: test.subset(pick(2000, 5)) };
    }
    default:
      throw new Error(`unknown dataset '${name}'`);
  }
}

/** The box around a 2-D dataset's points (with a margin), for the decision-boundary grid. */
export function boxOf(data) {
  const x = data.x;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < x.length; i += 2) {
    x0 = Math.min(x0, x[i]), x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, x[i + 1]), y1 = Math.max(y1, x[i + 1]);
  }
  const mx = 0.08 * (x1 - x0), my = 0.08 * (y1 - y0);
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

function gridPoints([x0, x1, y0, y1]) {
  const points = new Float32Array(2 * GRID * GRID);
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      points[2 * (j * GRID + i)] = x0 + ((i + 0.5) / GRID) * (x1 - x0);
      points[2 * (j * GRID + i) + 1] = y1 - ((j + 0.5) / GRID) * (y1 - y0); // row 0 at the top
    }
  }
  return points;
}

/** The weights' float32 bit patterns in hex, to compare runs bit for bit. */
export function weightsHex(model) {
  const hex = [];
  for (const p of model.parameters()) for (const w of new Uint32Array(Float32Array.from(p.data).buffer)) hex.push(w.toString(16).padStart(8, "0"));
  return hex.join("");
}

/**
 * Trains `config.optimizer` (a spec string, 'adam:lr=0.01') on `config.dataset` with `config.model`.
 * `hooks.batch(step, loss, epoch)` after every step, `hooks.accuracy(step, accuracy)` a few times a second; `hooks.boundary(probabilities)` every `boundaryEvery` steps
 * (2-D sets); `hooks.epoch(record)`; `hooks.gate()` may return a promise (pause) and `hooks.stopped()` ends the run.
 * Resolves to the final weights, confusion matrix and divergence (null when the run went well).
 */
export async function trainRun(lib, engine, config, hooks = {}) {
  const { dataset, model: modelText, optimizer: optimizerText, epochs, batchSize, seed, files, boundaryEvery = 20 } = config;
  const data = await makeData(lib, dataset, seed, files);
  const lab = lib.labModel(lib.parseModelSpec(modelText), data);
  const model = lab.build(engine, batchSize, seed);
  const spec = lib.parseOptimizerSpec(optimizerText);
  if (spec.needsClosure) throw new Error(`${spec.label} needs a closure: try it in the landscape playground`);
  const optimizer = spec.make(model.parameters());
  const twoD = DATASETS[dataset].twoD;
  const box = twoD ? boxOf(lab.train) : null;
  const grid = twoD ? gridPoints(box) : null;
  const classes = lab.train.numClasses;
  let step = 0;
  const snapshot = () => hooks.boundary?.(lib.predict(model, grid, { softmax: true }), box);
  if (twoD) snapshot();
  const history = await lib.fit(model, lab.train, {
    optimizer, loss: new lib.CrossEntropyLoss(), epochs, batchSize, seed, validationData: lab.test, verbose: 0,
    nonFinite: "skip", divergence: { stop: true },
    // The running training accuracy of the epoch, a few times a second (display only: it reads, never writes).
    progress: { epochBegin() {}, batchEnd: (_done, _loss, accuracy) => hooks.accuracy?.(step, accuracy), epochEnd() {}, end() {} },
    callbacks: [{
      async onBatchEnd(ctx) {
        step++;
        hooks.batch?.(step, ctx.stepLoss, ctx.epoch);
        if (twoD && step % boundaryEvery === 0) snapshot();
        const gate = hooks.gate?.();
        if (gate) await gate;
        if (hooks.stopped?.()) ctx.stopTraining = true;
      },
      onEpochEnd(ctx) {
        hooks.epoch?.(ctx.logs);
      },
    }],
  });
  if (twoD) snapshot();
  const predicted = lib.predictClasses(model, lab.test);
  const confusion = Array.from({ length: classes }, () => new Array(classes).fill(0));
  for (let i = 0; i < predicted.length; i++) confusion[lab.test.labels[i]][predicted[i]]++;
  return { weights: weightsHex(model), confusion, divergence: history.divergence ? lib.describeDivergence(history.divergence) : null, steps: step, parameters: model.parameters().reduce((n, p) => n + p.length, 0) };
}

