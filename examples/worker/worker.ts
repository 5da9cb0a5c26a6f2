/**
 * The Worker's entry module, as workerd (or Cloudflare) loads it: the
 * compiled spec's core module is imported as a WebAssembly module, a
 * `WebAssembly.Module` given by the runtime (`config.capnp` lists it with
 * type `wasm`), and handed to the lease Worker of `app.ts`.
 *
 * Bundled with esbuild into one ES module, `lease.core.wasm` kept external:
 *
 * ```sh
 * npx esbuild worker.ts --bundle --format=esm --platform=neutral \
 *   --external:./lease.core.wasm --outfile=build/worker.mjs
 * ```
 *
 * @module
 */
import lease from "./lease.core.wasm";
import { leaseWorker } from "./app.ts";

export default leaseWorker(lease);
