/** See train.mjs: trains the small model with `lib` (a wasm-optim entry) on `engine`. */
export function train(lib: unknown, engine: unknown): Promise<{ backend: string; reason: string; weights: string }>;
