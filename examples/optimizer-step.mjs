// Parameters in wasm memory, gradients filled by you, one Adam step per call: the torch.optim workflow.
import { Adam, createEngine, CosineAnnealingLR } from "wasm-optim";

const engine = await createEngine(); // backend 'auto': relaxed-simd, simd, scalar or js, the best this runtime has
const w = engine.parameter([0.5, -1.5, 2.0], [3], "w");
const optimizer = new Adam([w], { lr: 0.1, betas: [0.9, 0.999], weightDecay: 0 });
const scheduler = new CosineAnnealingLR(optimizer, { tMax: 300 });

for (let step = 0; step < 300; step++) {
  optimizer.zeroGrad();
  const x = w.data; // a Float32Array view into engine memory
  for (let i = 0; i < x.length; i++) w.grad[i] = 2 * (x[i] - 1); // d/dx (x − 1)²
  optimizer.step(); // one SIMD kernel call for the whole parameter group
  scheduler.step();
}
console.log(engine.backend, Array.from(w.data, (v) => v.toFixed(3)).join(" ")); // → 1.000 1.000 1.000
