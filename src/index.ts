// wasm-optim: the package entry.
export { createEngine, Engine, type EngineOptions, type Values } from "./engine/engine.js";
export { type Backend, isBackendSupported, resolveBackend } from "./engine/backend.js";
export { Parameter } from "./engine/parameter.js";
export { F32Slice, I32Slice, U8Slice } from "./engine/views.js";
export { Optimizer, type OptimizerStateDict, type ParamGroup, type ParamGroupInput, type ParamsInput } from "./optim/optimizer.js";
export { SGD, type SGDOptions } from "./optim/sgd.js";
export { Rng } from "./engine/rng.js";
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from "./optim/clip.js";
export { Adagrad, type AdagradOptions } from "./optim/adagrad.js";
export { RMSprop, type RMSpropOptions } from "./optim/rmsprop.js";
export { Adadelta, type AdadeltaOptions } from "./optim/adadelta.js";
export { Rprop, type RpropOptions } from "./optim/rprop.js";
export { ASGD, type ASGDOptions } from "./optim/asgd.js";
