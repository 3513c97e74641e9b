// Classic two-dimensional test functions for watching optimizers move, each with its analytic gradient, a domain
// to plot, its global minima and a default start:
//
//   rosenbrock  f = (1 − x)² + 100 (y − x²)²                          min (1, 1): a curved, flat-bottomed valley
//   beale       f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²   min (3, 0.5): plateaus and sharp walls
//   himmelblau  f = (x² + y − 11)² + (x + y² − 7)²                     four global minima, f = 0
//   saddle      f = x² − y²                                           no minimum: a saddle point at (0, 0)
//   ravine      f = 0.05 x² + 5 y²                                    min (0, 0): condition number 100
//   rastrigin   f = 20 + x² − 10 cos 2πx + y² − 10 cos 2πy             min (0, 0) among a grid of local minima
//
// Values, gradients and Hessians are computed in float64. The Hessian is returned as its three distinct entries
// [∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²] (it is symmetric).

export type LandscapeName = "rosenbrock" | "beale" | "himmelblau" | "saddle" | "ravine" | "rastrigin";

export interface Landscape {
  readonly name: LandscapeName;
  /** A human title and the formula, for charts and reports. */
  readonly title: string;
  readonly formula: string;
  /** The function and its gradient [∂f/∂x, ∂f/∂y]. */
  f(x: number, y: number): number;
  gradient(x: number, y: number): [number, number];
  /** The Hessian's entries [fxx, fxy, fyy]. */
  hessian(x: number, y: number): [number, number, number];
  /** The rectangle to plot. */
  readonly domain: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  /** The global minima (empty for the saddle, which has none). */
  readonly minima: readonly (readonly [number, number])[];
  /** Stationary points that are saddles, where they matter (the saddle's (0, 0)); optional. */
  readonly saddles?: readonly (readonly [number, number])[];
  readonly start: readonly [number, number];
  /** How contour levels are best spaced: geometrically above the minimum, or evenly (for functions below 0). */
  readonly levels: "log" | "linear";
}

export const rosenbrock: Landscape = {
  name: "rosenbrock",
  title: "Rosenbrock",
  formula: "(1 − x)² + 100 (y − x²)²",
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  gradient: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  hessian: (x, y) => [2 - 400 * y + 1200 * x * x, -400 * x, 200],
  domain: { x: [-2, 2], y: [-1, 3] },
  minima: [[1, 1]],
  start: [-1.2, 1],
  levels: "log",
};

export const beale: Landscape = {
  name: "beale",
  title: "Beale",
  formula: "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
  f(x, y) {
    const [a, b, c] = bealeTerms(x, y);
    return a * a + b * b + c * c;
  },
  gradient(x, y) {
    const [a, b, c] = bealeTerms(x, y);
    return [
      2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
      2 * a * x + 4 * b * x * y + 6 * c * x * y * y,
    ];
  },
  hessian(x, y) {
    const [a, b, c] = bealeTerms(x, y);
    const y2 = y * y, y3 = y2 * y;
    return [
      2 * (y - 1) ** 2 + 2 * (y2 - 1) ** 2 + 2 * (y3 - 1) ** 2,
      2 * (x * (y - 1) + a) + 4 * (x * y * (y2 - 1) + b * y) + 6 * (x * y2 * (y3 - 1) + c * y2),
      2 * x * x + 8 * x * x * y2 + 4 * b * x + 18 * x * x * y2 * y2 + 12 * c * x * y,
    ];
  },
  domain: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
  minima: [[3, 0.5]],
  start: [1, 1.5],
  levels: "log",
};

function bealeTerms(x: number, y: number): [number, number, number] {
  return [1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y];
}

export const himmelblau: Landscape = {
  name: "himmelblau",
  title: "Himmelblau",
  formula: "(x² + y − 11)² + (x + y² − 7)²",
  f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  gradient(x, y) {
    const a = x * x + y - 11;
    const b = x + y * y - 7;
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
  },
  hessian: (x, y) => [4 * (x * x + y - 11) + 8 * x * x + 2, 4 * (x + y), 4 * (x + y * y - 7) + 8 * y * y + 2],
  domain: { x: [-5, 5], y: [-5, 5] },
  // Newton's method from the textbook approximations, to float64 precision.
  minima: [
    [3, 2],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.283185991286169],
    [3.5844283403304917, -1.8481265269644034],
  ],
  start: [0, 0],
  levels: "log",
};

export const saddle: Landscape = {
  name: "saddle",
  title: "Saddle",
  formula: "x² − y²",
  f: (x, y) => x * x - y * y,
  gradient: (x, y) => [2 * x, -2 * y],
  hessian: () => [2, 0, -2],
  domain: { x: [-2, 2], y: [-2, 2] },
  minima: [],
  saddles: [[0, 0]],
  // On the ridge y = 0: the gradient has no y component, so exact gradient descent never leaves it.
  start: [1.5, 0],
  levels: "linear",
};

export const ravine: Landscape = {
  name: "ravine",
  title: "Ravine",
  formula: "0.05 x² + 5 y²",
  // Curvatures 0.1 and 10: gradient descent is stable only for lr < 2/10, and at such a learning rate the
  // shallow direction shrinks by just (1 − 0.1 lr) per step.
  f: (x, y) => 0.05 * x * x + 5 * y * y,
  gradient: (x, y) => [0.1 * x, 10 * y],
  hessian: () => [0.1, 0, 10],
  domain: { x: [-3, 3], y: [-1, 1] },
  minima: [[0, 0]],
  start: [-2.5, 0.8],
  levels: "log",
};

const TWO_PI = 2 * Math.PI;

export const rastrigin: Landscape = {
  name: "rastrigin",
  title: "Rastrigin",
  formula: "20 + x² − 10 cos 2πx + y² − 10 cos 2πy",
  f: (x, y) => 20 + x * x - 10 * Math.cos(TWO_PI * x) + y * y - 10 * Math.cos(TWO_PI * y),
  gradient: (x, y) => [2 * x + 10 * TWO_PI * Math.sin(TWO_PI * x), 2 * y + 10 * TWO_PI * Math.sin(TWO_PI * y)],
  hessian: (x, y) => [2 + 10 * TWO_PI * TWO_PI * Math.cos(TWO_PI * x), 0, 2 + 10 * TWO_PI * TWO_PI * Math.cos(TWO_PI * y)],
  domain: { x: [-5.12, 5.12], y: [-5.12, 5.12] },
  minima: [[0, 0]],
  start: [2.3, -3.4],
  levels: "linear",
};

export const LANDSCAPES: Readonly<Record<LandscapeName, Landscape>> = { rosenbrock, beale, himmelblau, saddle, ravine, rastrigin };

/** A landscape by name; the error lists the known names. */
export function landscape(name: string): Landscape {
  const found = (LANDSCAPES as Record<string, Landscape>)[name];
  if (!found) throw new RangeError(`Unknown landscape '${name}' (known: ${Object.keys(LANDSCAPES).join(", ")})`);
  return found;
}
