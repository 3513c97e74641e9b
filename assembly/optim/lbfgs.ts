// LBFGS needs no kernels of its own: its vector operations are the reduce kernels of assembly/linalg/reduce.ts
// (f32_dot, f32_axpy, f32_scale, f32_copy, f32_max_abs, f32_sum_abs).
