// Muon for the hidden matrices, AdamW for everything else, in one optimizer (as KellerJordan/Muon's
// MuonWithAuxAdam: parameter groups flagged useMuon). torch.optim.Muon takes 2-D parameters only, and its docs
// and Muon's authors say: "Muon should only be used for hidden weight layers. The input embedding, final output
// layer, and any internal gains or biases should be optimized using a standard method such as AdamW."
//
//   muonWithAdamW(model.parameters(), { muon: { lr: 0.02 }, adamw: { lr: 3e-4 } })
//
// splitParamsForMuon does the routing: the 2-D parameters but the last one (the output layer's weight, as the
// layers list them) go to Muon; biases, BatchNorm's vectors, convolution filters (4-D) and the output layer to
// AdamW. A group with useMuon false is updated by AdamW's rule (./adamw.ts) with its lr, betas, eps and
// weightDecay, and reads none of Muon's options.
import type { Parameter } from "../engine/parameter.js";
import { checkOptions } from "../engine/options.js";
import { type Betas, requireBetas } from "./betas.js";
import { MUON_DEFAULTS, Muon, type MuonOptions } from "./muon.js";
import type { GroupState, ParamGroup, ParamGroupInput, ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface MuonWithAdamWOptions extends MuonOptions {
  /** true: Muon's rule; false: AdamW's, with lr, betas, eps and weightDecay. */
  useMuon: boolean;
  /** AdamW's betas (read in groups with useMuon false). */
  betas: Betas;
}

/** The AdamW part's options, with AdamW's defaults. */
export interface AdamWPartOptions {
  lr: number;
  betas: Betas;
  eps: number;
  weightDecay: number;
}

const ADAMW_PART: AdamWPartOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 };

export class MuonWithAdamW extends Muon<MuonWithAdamWOptions> {
  override get kind(): string {
    return "MuonWithAdamW";
  }

  constructor(params: ParamsInput<MuonWithAdamWOptions>, options: Partial<MuonWithAdamWOptions> = {}) {
    super(params, options, { ...MUON_DEFAULTS, useMuon: true, betas: [...ADAMW_PART.betas] });
  }

  protected override usesMuon(group: MuonWithAdamWOptions): boolean {
    return group.useMuon;
  }

  protected override validate(o: MuonWithAdamWOptions): void {
    requireBoolean("useMuon", o.useMuon);
    if (o.useMuon) return super.validate(o);
    requireNonNegative("lr", o.lr);
    requireBetas(o.betas);
    requireNonNegative("eps", o.eps);
    requireNonNegative("weightDecay", o.weightDecay);
  }

  protected override stateBuffers(o: MuonWithAdamWOptions): readonly string[] {
    return o.useMuon ? ["momentumBuffer"] : ["expAvg", "expAvgSq"];
  }

  protected override updateGroup(group: ParamGroup<MuonWithAdamWOptions>, state: GroupState): void {
    if (group.useMuon) return super.updateGroup(group, state);
    const t = state.step + 1;
    const [beta1, beta2] = group.betas;
    const stepSize = group.lr / (1 - beta1 ** t), invBc2Sqrt = 1 / Math.sqrt(1 - beta2 ** t);
    for (const r of state.runs) {
      this.engine.kernels.f32_adamw(r.data.ptr, r.grad.ptr, r.buffers.expAvg!.ptr, r.buffers.expAvgSq!.ptr, 0, r.run.length,
        beta1, beta2, 1 - beta1, 1 - beta2, group.eps, 1 - group.lr * group.weightDecay, stepSize, invBc2Sqrt, 1, 0);
    }
  }
}

/** Muon's share and AdamW's share of a model's parameters (see the top of this file). */
export function splitParamsForMuon(params: readonly Parameter[], options: { headToAdamW?: boolean } = {}): { muon: Parameter[]; adamw: Parameter[] } {
  checkOptions("splitParamsForMuon", options, ["headToAdamW"]);
  const { headToAdamW = true } = options;
  const matrices = params.filter((p) => p.shape.length === 2);
  const head = headToAdamW ? matrices.at(-1) : undefined;
  const muon = matrices.filter((p) => p !== head);
  return { muon, adamw: params.filter((p) => !muon.includes(p)) };
}

export interface MuonWithAdamWSetup {
  /** Muon's options for the hidden matrices (torch's defaults where not given). */
  muon?: Partial<MuonOptions>;
  /** AdamW's options for the rest (default lr 1e-3, betas (0.9, 0.999), eps 1e-8, weightDecay 0.01). */
  adamw?: Partial<AdamWPartOptions>;
  /** Route the last 2-D parameter (the output layer's weight) to AdamW (default true). */
  headToAdamW?: boolean;
}

/** A MuonWithAdamW over `params`: Muon for the hidden matrices, AdamW for the rest (either may be empty). */
export function muonWithAdamW(params: readonly Parameter[], setup: MuonWithAdamWSetup = {}): MuonWithAdamW {
  checkOptions("muonWithAdamW", setup, ["muon", "adamw", "headToAdamW"]);
  checkOptions("muonWithAdamW: adamw", setup.adamw, Object.keys(ADAMW_PART));
  const { muon, adamw } = splitParamsForMuon(params, { headToAdamW: setup.headToAdamW ?? true });
  const groups: ParamGroupInput<MuonWithAdamWOptions>[] = [];
  if (muon.length) groups.push({ useMuon: true, ...setup.muon, params: muon });
  if (adamw.length) groups.push({ ...structuredClone(ADAMW_PART), ...setup.adamw, params: adamw, useMuon: false });
  return new MuonWithAdamW(groups);
}
