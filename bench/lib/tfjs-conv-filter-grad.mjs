// TensorFlow.js 4.22's wasm backend has no Conv2DBackpropFilter kernel: a layers model with conv2d cannot train on
// it ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). For the benchmark this registers one made
// of the wasm backend's own Transpose and Conv2D (XNNPACK) kernels, for stride 1 and no dilation, NHWC:
//
//   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh + kh − pt, ow + kw − pl, ci] · dy[n, oh, ow, co]
//                      = conv2d(x as [ci, H, W, n], filter dy as [OH, OW, n, co], same padding) → [ci, KH, KW, co]
//
// then transposed to [KH, KW, ci, co]. checkConv2DBackpropFilter compares it with the cpu backend's kernel.

/** Registers the kernel on the 'wasm' backend unless TF.js has one (a later version may). Returns true if it did. */
export function registerWasmConv2DBackpropFilter(tf) {
  if (tf.getKernel("Conv2DBackpropFilter", "wasm")) return false;
  const transpose = tf.getKernel("Transpose", "wasm").kernelFunc;
  const conv2d = tf.getKernel("Conv2D", "wasm").kernelFunc;
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs;
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
      const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, "channelsLast");
      if (dataFormat !== "NHWC" || info.strideHeight !== 1 || info.strideWidth !== 1) {
        throw new Error(`Conv2DBackpropFilter (benchmark shim for wasm): only NHWC with stride 1, got ${dataFormat}, strides ${JSON.stringify(strides)}`);
      }
      const { top, bottom, left, right } = info.padInfo;
      const xT = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } });
      const dyT = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
      const explicit = [[0, 0], [top, bottom], [left, right], [0, 0]];
      const r = conv2d({ inputs: { x: xT, filter: dyT }, backend, attrs: { strides: 1, pad: explicit, dataFormat: "NHWC", dilations: 1, dimRoundingMode } });
      const dw = transpose({ inputs: { x: r }, backend, attrs: { perm: [1, 2, 0, 3] } });
      for (const t of [xT, dyT, r]) backend.disposeData(t.dataId);
      return dw;
    },
  });
  return true;
}

/** Largest |difference| between this kernel on wasm and the cpu backend's, on random data of a given geometry. */
export async function checkConv2DBackpropFilter(tf, { n = 3, h = 9, w = 8, ci = 2, co = 5, k = 3, pad = "valid" } = {}) {
  const values = (size, seed) => Float32Array.from({ length: size }, (_, i) => Math.sin(seed * 7919 + i * 12.9898));
  const run = async (backend) => {
    await tf.setBackend(backend);
    const x = tf.tensor4d(values(n * h * w * ci, 1), [n, h, w, ci]);
    const outH = pad === "same" ? h : h - k + 1, outW = pad === "same" ? w : w - k + 1;
    const dy = tf.tensor4d(values(n * outH * outW * co, 2), [n, outH, outW, co]);
    const dw = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, { strides: 1, pad, dataFormat: "NHWC", filterShape: [k, k, ci, co] });
    const out = await dw.data();
    tf.dispose([x, dy, dw]);
    return out;
  };
  const cpu = await run("cpu"), wasm = await run("wasm");
  return cpu.reduce((m, v, i) => Math.max(m, Math.abs(v - wasm[i])), 0);
}
