// Property tests (fast-check) run from a fixed seed, so a CI run is reproducible; `FC_SEED=random npm test`
// explores new cases, and `FC_SEED=<n>` replays a reported failure.
import fc from "fast-check";

const seed = process.env.FC_SEED;
if (seed !== "random") fc.configureGlobal({ seed: seed ? Number(seed) : 20261123 });
