// The kernel module's exports: every function here takes byte offsets into the imported memory, counts and
// scalars, and allocates nothing.
/** First byte above the module's static data: the arena starts above it. */
export function heap_base(): usize {
  return __heap_base;
}
export * from "./optim/sgd";
export * from "./optim/adam";
export * from "./optim/lion";
export * from "./optim/adagrad";
export * from "./optim/rmsprop";
export * from "./optim/adadelta";
export * from "./optim/rprop";
export * from "./optim/asgd";
export * from "./optim/regularize";
export * from "./optim/constrain";
export * from "./optim/adafactor";
export * from "./optim/schedule-free";
export * from "./optim/muon";
export * from "./linalg/axpby";
export * from "./optim/swa";
export * from "./optim/sam";
export * from "./linalg/gemm";
export * from "./linalg/reduce";
export * from "./nn/index";
export * from "./data/batch";
export * from "./nn/spatial";
export * from "./optim/lowbit";
