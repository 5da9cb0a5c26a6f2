/**
 * Slow clients against the collector's HTTP server: `--conns` connections
 * (default 1,000) each send a `POST /ingest` request line and headers one
 * byte a second for `--seconds` (default 60). The server runs in a
 * subprocess: `--server node` is `vigil collector`'s server
 * (`edge/server/http_server.ts`, header deadline `--header-timeout-ms`,
 * default 10 000), `--server deno` is plain `Deno.serve` (no header
 * deadline). Every 5 s it prints how many connections the server still
 * holds open and the server's RSS (Linux `/proc`).
 *
 * Run:
 *   deno run -A bench/slow_clients_bench.ts --server deno --seconds 60
 *   deno run -A bench/slow_clients_bench.ts --server node --seconds 60
 *
 * @module
 */
import { benchArgs } from "../tools/harness/bench_args.ts";

const flags = benchArgs(Deno.args, {
  string: ["server", "conns", "seconds", "header-timeout-ms", "serve"],
});
const serveKind = flags.string.get("serve");

if (serveKind !== undefined) {
  // The server process: the collector app over HTTP ingest with one node token.
  const { compiledLease } = await import("../tools/harness/collector_app_fixture.ts");
  const { createCollectorApp } = await import("../edge/server/app.ts");
  const { tokenAuth } = await import("../edge/server/auth.ts");
  const { createCollector } = await import("../edge/engine/collector.ts");
  const { serveCollector } = await import("../edge/server/http_server.ts");
  const app = createCollectorApp(createCollector({ specs: [await compiledLease()] }), {
    auth: tokenAuth({ a: "token-a" }),
    publicRead: true,
  });
  app.service.start();
  let port: number;
  if (serveKind === "deno") {
    port = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch).addr.port;
  } else {
    const headerTimeoutMs = Number(flags.string.get("header-timeout-ms") ?? 10_000);
    port = (await serveCollector(app.fetch, { port: 0, headerTimeoutMs })).addr.port;
  }
  console.log(`port ${port}`);
  await new Promise(() => {});
}

const kind = flags.string.get("server") ?? "node";
const conns = Number(flags.string.get("conns") ?? 1_000);
const seconds = Number(flags.string.get("seconds") ?? 60);
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    import.meta.filename!,
    "--serve",
    kind,
    "--header-timeout-ms",
    flags.string.get("header-timeout-ms") ?? "10000",
  ],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let out = "";
while (!/port \d+/.test(out)) {
  const { value, done } = await reader.read();
  if (done) throw new Error("Server ended before listening");
  out += value;
}
const port = Number(/port (\d+)/.exec(out)![1]);

function rssMb(): number {
  const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const header = new TextEncoder().encode(
  `POST /ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\nX-Pad: ${
    "a".repeat(400)
  }\r\n\r\n`,
);
let open = 0;
const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;
const rss0 = rssMb();
console.log(`${kind}: ${conns} connections, one header byte a second for ${seconds} s`);
console.log(`t=0 s: server RSS ${rss0.toFixed(0)} MB`);
const sampler = setInterval(() => {
  console.log(
    `t=${elapsed().toFixed(0)} s: ${open} connections open, server RSS ${rssMb().toFixed(0)} MB`,
  );
}, 5_000);

await Promise.all(Array.from({ length: conns }, async () => {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  open++;
  let closed = false;
  const done = (async () => {
    const buf = new Uint8Array(1024);
    try {
      while (await conn.read(buf) !== null) { /* the server's answer */ }
    } catch {
      // reset
    }
    closed = true;
  })();
  for (let i = 0; i < header.length && !closed && elapsed() < seconds; i++) {
    try {
      await conn.write(header.subarray(i, i + 1));
    } catch {
      break;
    }
    await Promise.race([new Promise((r) => setTimeout(r, 1_000)), done]);
  }
  open--;
  try {
    conn.close();
  } catch {
    // closed already
  }
}));
clearInterval(sampler);
console.log(`t=${elapsed().toFixed(0)} s: done, server RSS ${rssMb().toFixed(0)} MB`);
child.kill("SIGKILL");
await child.status;
