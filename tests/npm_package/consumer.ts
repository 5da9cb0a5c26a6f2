/**
 * A TypeScript user of the npm package: `tests/npm_package_test.ts` type-
 * checks it with `tsc` (strict, `NodeNext`, `skipLibCheck: false`) in a
 * project that installed the tarball and every peer, so every subpath's
 * declarations must resolve and be complete. The `@ts-expect-error` lines
 * fail the check if a declaration degrades to `any`.
 */
import { createBatcher, httpTransport, loadSpec } from "@vigil/vigil";
import type { LoadedSpec, Monitor } from "@vigil/vigil";
import { memoryGuardStore, vigilGuard } from "@vigil/vigil/hono";
import { natsTransport } from "@vigil/vigil/nats";
import { jetstreamTransport } from "@vigil/vigil/jetstream";
import { loadCompiled } from "@vigil/vigil/abi";
import type { CompiledSpec } from "@vigil/vigil/abi";
import { createCollectorService } from "@vigil/vigil/edge";
import { startNatsIngest } from "@vigil/vigil/edge/nats";
import { replay } from "@vigil/vigil/replay";
import { compile } from "@vigil/vigil/compiler";
import { exploreSource } from "@vigil/vigil/explore";
import { Hono } from "hono";

export async function service(): Promise<Hono> {
  const lease: LoadedSpec = await loadSpec(new URL("./lease.js", import.meta.url));
  const batcher = createBatcher(httpTransport("http://127.0.0.1:1/ingest", { token: "t" }));
  const app = new Hono();
  app.post(
    "/locks/:id/:action",
    vigilGuard(lease, {
      key: (c) => `lock:${c.req.param("id")}`,
      action: (c) => c.req.param("action") ?? "",
      store: memoryGuardStore(),
      sink: batcher,
    }),
    (c) => c.json({ ok: true }),
  );
  const m: Monitor = lease.monitor({ node: "a", key: "k" });
  m.step("acquire", { c: 1 });
  // @ts-expect-error loadSpec takes a URL, a path, bytes or a WebAssembly.Module
  await loadSpec(null);
  // @ts-expect-error vigilGuard needs the key and action of a request
  vigilGuard(lease, {});
  return app;
}

export const used: readonly unknown[] = [
  natsTransport,
  jetstreamTransport,
  loadCompiled,
  createCollectorService,
  startNatsIngest,
  replay,
  compile,
  exploreSource,
];

export type Compiled = CompiledSpec;
