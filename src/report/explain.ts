// What each optimizer does, in a few plain sentences read off its update rule, to show next to its curves.
// Browser-safe: plain data.

export interface OptimizerExplanation {
  /** The display name. */
  name: string;
  /** The update rule on one line (g the gradient, γ the learning rate). */
  rule: string;
  /** A few sentences: what the rule does, where it shines, where it struggles. */
  summary: string;
}

const EXPLANATIONS: Readonly<Record<string, OptimizerExplanation>> = {
  sgd: {
    name: "SGD",
    rule: "θ ← θ − γ g",
    summary:
      "Steps straight down the current slope, scaled by the learning rate. It remembers nothing, so in a long narrow valley it " +
      "zigzags across the steep walls while crawling along the gentle floor: the learning rate must stay below 2 / (the largest " +
      "curvature), and progress along flat directions is then slow. Cheap and robust; with a tuned schedule it still generalizes well.",
  },
  momentum: {
    name: "SGD with momentum",
    rule: "b ← μ b + g;  θ ← θ − γ b",
    summary:
      "Keeps a velocity: a running sum of past gradients, decayed by μ (typically 0.9). Directions that agree from step to step " +
      "build up to about 1 / (1 − μ) times the gradient, while zigzags across a valley cancel out, so it moves much faster along " +
      "ravines. The price is overshoot: it can swing past a minimum and circle it before settling.",
  },
  nesterov: {
    name: "SGD with Nesterov momentum",
    rule: "b ← μ b + g;  θ ← θ − γ (g + μ b)",
    summary:
      "Momentum that looks ahead: the step adds the updated velocity on top of the current gradient, which amounts to measuring " +
      "the slope where the momentum is about to carry the parameters. It corrects course earlier than plain momentum, so it " +
      "overshoots less and oscillates less near a minimum.",
  },
  adagrad: {
    name: "Adagrad",
    rule: "s ← s + g²;  θ ← θ − γ g / (√s + ε)",
    summary:
      "Divides each coordinate's step by the root of the sum of all its squared gradients so far. Coordinates with small or rare " +
      "gradients get relatively large steps, which suits sparse features. But the sum only grows, so every step keeps shrinking, " +
      "and training can stall long before the minimum.",
  },
  rmsprop: {
    name: "RMSprop",
    rule: "v ← α v + (1 − α) g²;  θ ← θ − γ g / (√v + ε)",
    summary:
      "Like Adagrad, but divides by a moving average of recent squared gradients instead of their total, so steps adapt to the " +
      "current scale of the slope and do not fade away. Each coordinate moves roughly γ per step whatever its gradient's size, " +
      "which evens out steep and flat directions; near a minimum it may jitter at that scale.",
  },
  adadelta: {
    name: "Adadelta",
    rule: "v ← ρ v + (1 − ρ) g²;  Δ = √(u + ε) / √(v + ε) · g;  u ← ρ u + (1 − ρ) Δ²;  θ ← θ − γ Δ",
    summary:
      "An RMSprop whose step is measured in the units of the parameters: the gradient is scaled by the ratio of the RMS of recent " +
      "updates to the RMS of recent gradients. It needs little tuning (γ = 1 by default), but its first steps are tiny (about √ε) " +
      "and it takes a while to speed up.",
  },
  adam: {
    name: "Adam",
    rule: "m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  θ ← θ − γ m̂ / (√v̂ + ε)",
    summary:
      "Momentum divided by the RMS of recent gradients, both corrected for starting at zero (m̂, v̂). Each coordinate moves about γ " +
      "per step while the gradient keeps its sign, whatever its scale, so badly scaled problems and ravines cost it little. With " +
      "a constant learning rate it hovers near a minimum at a distance of the order of γ; a decaying schedule lets it settle.",
  },
  adamw: {
    name: "AdamW",
    rule: "θ ← θ (1 − γ λ);  then the Adam step",
    summary:
      "Adam with decoupled weight decay: the weights shrink by a fixed fraction γλ each step, instead of λθ being added to the " +
      "gradient, where Adam's division by √v̂ would weaken the decay of exactly the weights with large gradients. The usual " +
      "default for training transformers and other large networks.",
  },
  adamax: {
    name: "Adamax",
    rule: "m ← β1 m + (1 − β1) g;  u ← max(β2 u, |g| + ε);  θ ← θ − γ m̂ / u",
    summary:
      "Adam with the infinity norm: each step is divided by a slowly decaying maximum of |g| rather than an RMS. Steps never " +
      "exceed about γ, and one huge gradient raises the denominator for a while instead of being averaged in, which makes it " +
      "steady on noisy or heavy-tailed gradients.",
  },
  nadam: {
    name: "NAdam",
    rule: "Adam with θ ← θ − γ [(1 − μ_t) g / (1 − Πμ) + μ_{t+1} m / (1 − Πμ′)] / (√v̂ + ε)",
    summary:
      "Adam with Nesterov momentum: the step mixes the current gradient with the momentum it is about to apply, so it reacts to " +
      "a change of slope one step sooner. Its momentum coefficient also warms up over the first few hundred steps (the momentum " +
      "decay ψ), which makes early training gentler.",
  },
  radam: {
    name: "RAdam",
    rule: "Adam step × r_t once ρ_t > 5, else θ ← θ − γ m̂",
    summary:
      "Adam with a built-in warmup. In the first steps too few squared gradients have been averaged for √v̂ to be trusted, so it " +
      "takes plain momentum steps; after that it takes Adam steps scaled by a rectification factor r_t that grows towards 1 as " +
      "the estimate of the variance firms up. Less sensitive to the learning rate early on than Adam.",
  },
  lion: {
    name: "Lion",
    rule: "c = β1 m + (1 − β1) g;  θ ← θ (1 − γ λ) − γ sign(c);  m ← β2 m + (1 − β2) g",
    summary:
      "Steps by the sign of a blend of momentum and gradient, so every coordinate moves by exactly γ each step. It keeps a single " +
      "state buffer (half of Adam's memory). Because its steps are as large as they can be, it wants a learning rate 3 to 10 " +
      "times smaller than AdamW's and a larger weight decay; on a smooth bowl it ends up bouncing around the minimum by ±γ.",
  },
  rprop: {
    name: "Rprop",
    rule: "η ← η·η₊ if g keeps its sign, η·η₋ if it flips;  θ ← θ − η sign(g)",
    summary:
      "Ignores the size of the gradient and uses only its sign. Each coordinate has its own step, grown (× 1.2) while the sign " +
      "stays the same and halved when it flips, when that step is also skipped, within [min, max]. Fast and tuning-free on full-" +
      "batch problems; with noisy minibatch gradients the signs flip at random and the steps collapse.",
  },
  adafactor: {
    name: "Adafactor",
    rule: "V̂ ≈ R C / mean(R) (row and column averages of g²);  U = g / √V̂, clipped to RMS d;  θ ← θ − max(ε2, RMS(θ)) ρ_t U",
    summary:
      "Adam's second moment at a fraction of the memory: for a weight matrix it keeps only the average of g² along each row and " +
      "each column and rebuilds every entry's estimate as their product, so an m × n matrix costs m + n numbers instead of m · n. " +
      "There is no first moment. The step is relative to the size of the weights (RMS(θ) times ρ_t = min(lr, 1/√t), which decays " +
      "by itself), and each update is scaled down when its RMS exceeds d, which keeps the first steps from blowing up.",
  },
  muon: {
    name: "Muon",
    rule: "M ← μ M + (1 − μ) g;  O = NS₅(Nesterov(M)) ≈ U Vᵀ;  θ ← θ (1 − γλ) − γ √max(1, A/B) O",
    summary:
      "Momentum, then orthogonalization: five Newton-Schulz iterations (three matrix products each) turn the momentum of a weight " +
      "matrix into a matrix with the same singular directions and every singular value near 1. So the step moves the weights " +
      "by the same amount in every direction the gradient points along, rare directions as much as dominant ones, which is why " +
      "it trains hidden layers fast at a large learning rate (0.02). It is defined for matrices only: biases, vectors and the " +
      "output layer take AdamW steps (muonWithAdamW), and a 2-D landscape, which has no matrix, cannot show it.",
  },
  averagedmodel: {
    name: "Stochastic weight averaging",
    rule: "θ_avg ← θ_avg + (θ − θ_avg) / (n + 1)  (SWA)  or  θ_avg ← β θ_avg + (1 − β) θ  (EMA)",
    summary:
      "Not an optimizer but a companion to one: it keeps a running average of the weights the optimizer visits. Late in " +
      "training, with a constant or cyclic learning rate (SWALR), the iterates bounce around the floor of a wide valley; their " +
      "average sits nearer its middle, where the loss is lower and the model often generalizes better. The EMA weighs recent " +
      "weights more. Evaluate the average (copyTo), after recomputing BatchNorm statistics for it (updateBn).",
  },
  lookahead: {
    name: "Lookahead",
    rule: "k steps of any optimizer (fast weights θ);  then φ ← φ + α (θ − φ),  θ ← φ",
    summary:
      "A wrapper: the inner optimizer runs ahead for k steps, then the slow weights move a fraction α of the way to where it got, " +
      "and the fast weights restart from there. When the inner optimizer oscillates across a valley, its k-step endpoint lies " +
      "on the other side, and the slow weights move along the valley's middle. It damps the noise of a too-large learning rate " +
      "at the cost of some speed, and costs one extra copy of the weights.",
  },
  sam: {
    name: "SAM",
    rule: "ε = ρ g / ‖g‖ (adaptive: ρ θ² g / ‖θ g‖);  g_SAM = ∇L(θ + ε);  θ ← inner step with g_SAM",
    summary:
      "Sharpness-aware minimization wraps any optimizer and takes two gradients per step: it first climbs ρ along the gradient " +
      "to the worst nearby point, then steps from the original weights with the gradient found there. A sharp minimum, where " +
      "the loss rises steeply within ρ, gets a large gradient pushing out of it; a flat one barely changes. Flat minima tend to " +
      "generalize better, at twice the cost per step. In fit the second gradient comes from a closure on the same batch.",
  },
  sgdschedulefree: {
    name: "Schedule-free SGD",
    rule: "z ← z − γ g(y);  x ← (1 − c_t) x + c_t z;  y = (1 − β) z + β x",
    summary:
      "SGD without a learning-rate schedule: instead of decaying the step, it averages. z takes plain SGD steps, x is a running " +
      "average of the z's (weighted by c_t, about 1/t), and the gradient is taken at y, between the two, which acts as momentum. " +
      "The average x is what you evaluate and keep: its loss falls as if the learning rate were being annealed, without choosing " +
      "when training ends. The parameters hold y while training; optimizer.eval() switches them to x, train() back.",
  },
  adamwschedulefree: {
    name: "Schedule-free AdamW",
    rule: "z ← z − γ (g / (√v̂ + ε) + λ y);  x ← (1 − c_t) x + c_t z;  y = (1 − β1) z + β1 x",
    summary:
      "AdamW's per-coordinate scaling on the schedule-free averaging: z takes Adam-scaled steps (with no first moment: the " +
      "interpolation y between z and the average x plays its part), x averages the z's, and the gradient is taken at y. It " +
      "needs no cosine or linear decay and no fixed training length, only an optional warm-up. Evaluate x (eval()), not y; with " +
      "BatchNorm, recompute the running statistics at x first.",
  },
  asgd: {
    name: "ASGD",
    rule: "θ ← θ (1 − λ η) − η g;  ax ← running average of θ after t0 steps",
    summary:
      "Plain SGD on the parameters, with a slowly decaying step η = γ / (1 + λγt)^α, plus a running average of the iterates " +
      "(Polyak-Ruppert averaging) once t0 steps have passed. The average (the 'ax' state) is much less noisy than the last iterate " +
      "and is the value to evaluate; the parameters themselves move as SGD's do.",
  },
  proximalsgd: {
    name: "Proximal SGD (L1)",
    rule: "z = θ − γ g;  θ ← sign(z) · max(|z| − γλ, 0)",
    summary:
      "A gradient step on the loss, then soft-thresholding: every weight within γλ of zero becomes exactly zero, the others move " +
      "γλ towards it. This is the proximal operator of λ‖θ‖₁, so it minimizes loss + λ‖θ‖₁ without ever differentiating |θ| at 0. " +
      "Adding λ·sign(θ) to the gradient instead makes small weights flip sign around 0 step after step; only the proximal step " +
      "gives a sparse model, whose zeros can be pruned.",
  },
  newton: {
    name: "Newton's method",
    rule: "θ ← θ − H⁻¹ g   (H the Hessian, the matrix of second derivatives)",
    summary:
      "Fits the local quadratic (value, slope and curvature) and jumps to its stationary point. Near a minimum the error squares " +
      "every step (quadratic convergence: 1e-2, 1e-4, 1e-8 …) and the condition number does not matter. But it seeks any " +
      "stationary point: where a curvature is negative it steps uphill, towards a saddle or a maximum, and far from a minimum the " +
      "quadratic can be a poor guide. On a network with n weights H has n² entries, which is why nobody uses it there.",
  },
  dampednewton: {
    name: "Damped Newton (line search)",
    rule: "d = −|H|⁻¹ g;  θ ← θ + t d,  t halved until f drops enough (Armijo)",
    summary:
      "Newton's direction with two safeguards: where H is not positive definite each eigenvalue is replaced by its absolute value, " +
      "so the direction always points downhill (and away from a saddle), and a backtracking line search shortens the step until f " +
      "decreases by at least a fraction of what the slope promises. Far away it behaves like a scaled gradient method, near the " +
      "minimum it takes full Newton steps and converges quadratically.",
  },
  levenbergmarquardt: {
    name: "Levenberg-Marquardt",
    rule: "d = −(H + μ I)⁻¹ g;  accept if f drops (μ ← μ/3), else stay (μ ← 2μ)",
    summary:
      "Blends Newton with gradient descent through the damping μ: a large μ gives a short step along −g (about g/μ), a small μ " +
      "gives Newton's step. μ shrinks after every success and grows after every failure, which is a trust region in disguise: it " +
      "trusts the quadratic model only as far as it has proved right. Rejected steps leave θ in place (they count as steps here).",
  },
  lbfgs: {
    name: "L-BFGS",
    rule: "d = −H g (two-loop recursion over the last m pairs s, y);  θ ← θ + t d",
    summary:
      "A quasi-Newton method: from the last few steps and the changes of gradient they caused it builds an approximation H of the " +
      "inverse curvature, and steps along −H g, long along flat directions and short along steep ones. One step() runs several " +
      "iterations and calls the closure many times, optionally with a strong-Wolfe line search. Excellent on smooth, deterministic " +
      "(full-batch) problems; noisy minibatch gradients spoil its curvature estimates.",
  },
};

const ALIASES: Readonly<Record<string, string>> = {
  muonwithadamw: "muon",
  sgdmomentum: "momentum",
  sgdnesterov: "nesterov",
  nesterovmomentum: "nesterov",
  heavyball: "momentum",
  lbfgsb: "lbfgs",
};

/** Every explanation, keyed by its lowercase name (sgd, momentum, nesterov, adagrad, …, lbfgs). */
export function optimizerExplanations(): Readonly<Record<string, OptimizerExplanation>> {
  return EXPLANATIONS;
}

/**
 * The explanation for an optimizer, found by name, case and punctuation ignored, by the longest known name its
 * label starts with ('Adam lr=0.01' → Adam, 'SGD momentum 0.9' → momentum), or from an optimizer's kind (an
 * SGD with momentum, or Nesterov, is explained as such). Undefined when nothing matches.
 */
export function explainOptimizer(
  optimizer: string | { kind: string; paramGroups?: readonly object[] },
): OptimizerExplanation | undefined {
  if (typeof optimizer !== "string") {
    const name = optimizer.kind.toLowerCase();
    const group = optimizer.paramGroups?.[0] as { momentum?: number; nesterov?: boolean } | undefined;
    if (name === "sgd" && group?.nesterov) return EXPLANATIONS.nesterov;
    if (name === "sgd" && (group?.momentum ?? 0) > 0) return EXPLANATIONS.momentum;
    return EXPLANATIONS[ALIASES[name] ?? name];
  }
  const key = optimizer.toLowerCase().replace(/[^a-z0-9]/g, "");
  const names = [...Object.keys(EXPLANATIONS), ...Object.keys(ALIASES)].sort((a, b) => b.length - a.length);
  const found = names.find((n) => key.startsWith(n));
  if (found === undefined) return undefined;
  return EXPLANATIONS[ALIASES[found] ?? found];
}
