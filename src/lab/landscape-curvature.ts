// The curvature of a 2-D landscape at a point, read off the eigenvalues λ₁ ≤ λ₂ of its analytic Hessian:
//
//   both > 0      locally a bowl; condition number κ = λ₂ / λ₁ (gradient descent needs lr < 2/λ₂ and then shrinks
//                 the error along v₁ by only (1 − lr λ₁) per step, about 1 − 2/κ; Newton rescales every direction)
//   signs differ  a saddle: along v₁ the function curves down, and the Newton step −g·v₁/λ₁ has the sign of
//                 +g·v₁, uphill along v₁: Newton heads for the stationary point of the quadratic, the saddle
//   both < 0      a hilltop: the Newton step climbs in every direction
//   one is 0      singular: the Newton step is not defined (or is huge)
import { eigen2 } from "./landscape-newton.js";
import type { Landscape } from "./landscapes.js";

export interface Curvature {
  x: number;
  y: number;
  hessian: [number, number, number];
  /** λ₁ ≤ λ₂. */
  eigenvalues: [number, number];
  /** λ₂ / λ₁ when both are positive, else null. */
  condition: number | null;
  shape: "bowl" | "saddle" | "hilltop" | "singular";
}

export function curvatureAt(fn: Landscape, x: number, y: number): Curvature {
  const hessian = fn.hessian(x, y);
  const { values } = eigen2(...hessian);
  const [l1, l2] = values;
  const scale = Math.max(Math.abs(l1), Math.abs(l2));
  const shape = Math.abs(l1) <= 1e-12 * scale || scale === 0 ? "singular" : l1 > 0 ? "bowl" : l2 < 0 ? "hilltop" : l2 > 0 ? "saddle" : "singular";
  return { x, y, hessian, eigenvalues: values, condition: shape === "bowl" ? l2 / l1 : null, shape };
}

/** What the eigenvalues' signs mean for Newton's method at this point, as one sentence. */
export function curvatureSentence(c: Curvature): string {
  const [l1, l2] = c.eigenvalues.map((v) => round(v));
  switch (c.shape) {
    case "bowl":
      return `Both eigenvalues are positive (${l1}, ${l2}): locally a bowl with condition number ${round(c.condition!)}, ` +
        `so the Newton step points downhill and lands on the bowl's bottom when f is close to quadratic.`;
    case "saddle":
      return `The eigenvalues have opposite signs (${l1} < 0 < ${l2}): a saddle. Along the eigenvector of ${l1} the function curves down, ` +
        "and there the Newton step −(g·v)/λ has the opposite sign to the descent step: Newton climbs towards the saddle point " +
        "instead of escaping it; damped Newton flips that eigenvalue's sign and walks away downhill.";
    case "hilltop":
      return `Both eigenvalues are negative (${l1}, ${l2}): a hilltop. The Newton step climbs to the top in every direction.`;
    default:
      return `An eigenvalue is 0 (${l1}, ${l2}): the Hessian is singular and the Newton step is undefined or huge along its eigenvector.`;
  }
}

function round(v: number): number {
  return Number(v.toPrecision(4));
}
