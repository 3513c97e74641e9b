// Independent float64 implementations of the spatial layers, written the direct way (no im2col, no folding of
// the normalization into scale and shift): the oracles of test/nn-spatial.test.ts.

export interface Geometry2d {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

export function outputSize(h: number, w: number, g: Geometry2d): [number, number] {
  return [
    Math.floor((h + 2 * g.padding[0] - g.kernel[0]) / g.stride[0]) + 1,
    Math.floor((w + 2 * g.padding[1] - g.kernel[1]) / g.stride[1]) + 1,
  ];
}

/** Direct convolution: y[n,o,oh,ow] = b[o] + Σ_{c,i,j} w[o,c,i,j] x[n,c,oh·sh−ph+i, ow·sw−pw+j]. */
export function naiveConv2d(
  x: ArrayLike<number>, [n, c, h, w]: number[], weight: ArrayLike<number>, bias: ArrayLike<number> | null, outChannels: number, g: Geometry2d,
): Float64Array {
  const [kh, kw] = g.kernel;
  const [oh, ow] = outputSize(h, w, g);
  const y = new Float64Array(n * outChannels * oh * ow);
  for (let b = 0; b < n; b++)
    for (let o = 0; o < outChannels; o++)
      for (let p = 0; p < oh; p++)
        for (let q = 0; q < ow; q++) {
          let s = bias ? bias[o]! : 0;
          for (let ci = 0; ci < c; ci++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const r = p * g.stride[0] - g.padding[0] + i;
                const t = q * g.stride[1] - g.padding[1] + j;
                if (r < 0 || r >= h || t < 0 || t >= w) continue;
                s += weight[((o * c + ci) * kh + i) * kw + j]! * x[((b * c + ci) * h + r) * w + t]!;
              }
          y[((b * outChannels + o) * oh + p) * ow + q] = s;
        }
  return y;
}

/** Pooling over each plane: the max, or the mean with PyTorch's divisor (countIncludePad or not). */
export function naivePool2d(
  x: ArrayLike<number>, [n, c, h, w]: number[], g: Geometry2d, mode: "max" | "avg", countIncludePad = true,
): Float64Array {
  const [oh, ow] = outputSize(h, w, g);
  const y = new Float64Array(n * c * oh * ow);
  for (let plane = 0; plane < n * c; plane++)
    for (let p = 0; p < oh; p++)
      for (let q = 0; q < ow; q++) {
        let best = -Infinity, sum = 0, inside = 0, padded = 0;
        for (let i = 0; i < g.kernel[0]; i++)
          for (let j = 0; j < g.kernel[1]; j++) {
            const r = p * g.stride[0] - g.padding[0] + i;
            const t = q * g.stride[1] - g.padding[1] + j;
            if (r < h + g.padding[0] && t < w + g.padding[1]) padded++;
            if (r < 0 || r >= h || t < 0 || t >= w) continue;
            const v = x[(plane * h + r) * w + t]!;
            best = Math.max(best, v);
            sum += v;
            inside++;
          }
        y[(plane * oh + p) * ow + q] = mode === "max" ? best : sum / (countIncludePad ? padded : inside);
      }
  return y;
}

/** Batch mean and biased variance per channel of x [n, c, l]. */
export function naiveMoments(x: ArrayLike<number>, n: number, c: number, l: number): { mean: number[]; variance: number[] } {
  const mean: number[] = [], variance: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) for (let i = 0; i < l; i++) s += x[(b * c + ch) * l + i]!;
    const m = s / (n * l);
    let q = 0;
    for (let b = 0; b < n; b++) for (let i = 0; i < l; i++) q += (x[(b * c + ch) * l + i]! - m) ** 2;
    mean.push(m);
    variance.push(q / (n * l));
  }
  return { mean, variance };
}

/** y = (x − mean) / √(var + eps) · γ + β per channel of x [n, c, l]. */
export function naiveNormalize(
  x: ArrayLike<number>, n: number, c: number, l: number, mean: number[], variance: number[], eps: number, gamma: ArrayLike<number>, beta: ArrayLike<number>,
): Float64Array {
  const y = new Float64Array(n * c * l);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < l; i++) {
        const k = (b * c + ch) * l + i;
        y[k] = ((x[k]! - mean[ch]!) / Math.sqrt(variance[ch]! + eps)) * gamma[ch]! + beta[ch]!;
      }
  return y;
}
