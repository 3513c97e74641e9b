// Deno and Bun: import the built package entry straight from dist/, train with the simd build, print the JSON.
import * as lib from "../../dist/index.js";
import { train } from "./train.mjs";

console.log(JSON.stringify(await train(lib, await lib.createEngine({ backend: "simd" }))));
