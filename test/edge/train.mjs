// The small training run every runtime does (Node, workerd, Deno, Bun): an MLP on the two moons, three epochs of
// Adam, a fixed seed. Returns the weights' float32 bit patterns in hex, so runtimes compare bit for bit.
export async function train(lib, engine) {
  const { Adam, CrossEntropyLoss, fit, Linear, makeMoons, Sequential, Tanh } = lib;
  const data = makeMoons({ samples: 128, noise: 0.1, seed: 3 });
  const model = new Sequential([new Linear(2, 16), new Tanh(), new Linear(16, 2)]);
  model.compile(engine, { inputShape: [2], batchSize: 32, seed: 7 });
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  await fit(model, data, { optimizer, loss: new CrossEntropyLoss(), epochs: 3, batchSize: 32, seed: 5, verbose: 0 });
  const hex = [];
  for (const p of model.parameters()) for (const w of new Uint32Array(Float32Array.from(p.data).buffer)) hex.push(w.toString(16).padStart(8, "0"));
  return { backend: engine.backend, reason: engine.backendReason, weights: hex.join(" ") };
}
