import type { Engine } from "./engine.js";
import type { F32Slice } from "./views.js";
import { GEMM_PACK_FLOATS } from "../kernels/kernels.js";

const packs = new WeakMap<Engine, F32Slice>();

/**
 * The scratch the GEMM kernels pack panels into (GEMM_PACK_FLOATS floats), one per engine, allocated on first use
 * and shared by every layer and optimizer (Muon): kernels run one at a time, so no two products use it at once.
 */
export function gemmPack(engine: Engine): F32Slice {
  let pack = packs.get(engine);
  if (!pack) packs.set(engine, (pack = engine.allocF32(GEMM_PACK_FLOATS)));
  return pack;
}
