// The kernel module's exports: every function here takes byte offsets into the imported memory, counts and
// scalars, and allocates nothing.
export function heap_base(): usize {
  return __heap_base;
}
export * from "./optim/sgd";
