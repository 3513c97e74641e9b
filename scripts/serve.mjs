// A tiny static file server for the demo page and the browser test: serves a directory (default: the project
// root) on localhost, with the MIME types module scripts and wasm need. `node scripts/serve.mjs [port]`.
// Every response carries Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp,
// so the page is cross-origin isolated: it has SharedArrayBuffer, and createEngine({ threads }) runs Web Workers on
// a shared memory (startServer({ isolated: false }) serves without them, as a plain static host would).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** The file a request path names inside `root`, or null when it would leave `root`. */
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  const file = normalize(join(root, path));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** The headers that make a page cross-origin isolated (every resource here is same-origin, so require-corp holds). */
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

/** Starts serving `root` on 127.0.0.1:`port` (0: a free port). Resolves to { server, url, close() }. */
export async function startServer({ root = fileURLToPath(new URL("..", import.meta.url)), port = 0, isolated = true } = {}) {
  const base = resolve(root);
  const isolation = isolated ? ISOLATION : {};
  const server = createServer(async (req, res) => {
    const url = req.url ?? "/";
    let file = fileFor(base, url);
    try {
      if (file && (await stat(file)).isDirectory()) {
        const [path, query] = url.split(/\?(.*)/s);
        // Relative imports in a directory's index.html resolve against its URL, which must end in a slash.
        if (!path.endsWith("/")) return void res.writeHead(301, { location: `${path}/${query ? `?${query}` : ""}`, ...isolation }).end();
        file = join(file, "index.html");
      }
      if (!file || !(await stat(file)).isFile()) throw new Error("not a file");
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...isolation }).end(`not found: ${url}\n`);
      return;
    }
    res.writeHead(200, {
      "content-type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
      "cache-control": "no-store",
      ...isolation,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((done, fail) => server.once("error", fail).listen(port, "127.0.0.1", done));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { server, url, close: () => new Promise((done) => server.close(() => done())) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const { url } = await startServer({ port });
  console.log(`wasm-optim demo: ${url}web/   (Ctrl-C to stop)`);
  console.log(`wasm-optim lab (optimizers side by side): ${url}web/lab/`);
}
