// A Cloudflare Worker (run by workerd in test/edge.test.ts): the simd build arrives as a compiled module (a wasm
// module binding, as wrangler makes of `import wasm from "wasm-optim/wasm/simd.wasm"`); each request trains the
// small model and answers with its weights as JSON. `auto` without the module shows what workerd refuses.
import * as lib from "../../dist/lean.js";
import * as embedded from "../../dist/index.js";
import wasm from "./simd.wasm";
import { train } from "./train.mjs";

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    try {
      if (path === "/embedded") {
        const engine = await embedded.createEngine(); // compiling the embedded builds is refused here
        return Response.json({ backend: engine.backend, reason: engine.backendReason });
      }
      return Response.json(await train(lib, await lib.createEngine({ module: wasm })));
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};
