// The nn kernel family: activations, softmax, losses, dropout. (Bias add and bias gradient are
// f32_add_bias_rows and f32_sum_rows in linalg/gemm.ts; the spatial layers' kernels are in nn/spatial.ts.)
export * from "./activations";
export * from "./softmax";
export * from "./losses";
export * from "./dropout";
export * from "./recurrent";
export * from "./embedding";
