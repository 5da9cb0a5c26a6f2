/**
 * HTTP ingest throughput: a client process posts Lease batches (`--events`
 * per batch, default 256, from `--nodes` nodes over keep-alive connections,
 * one per node) to the collector app served in this process by
 * `--server node` (`edge/server/http_server.ts`, the `vigil collector`
 * server, with header deadlines) or `--server deno` (`Deno.serve`, no
 * header deadline), and prints events/s from the first batch to the last
 * event applied, and the server's CPU-seconds over that time.
 *
 * Run (both servers, three rounds each):
 *   deno run -A bench/http_ingest_bench.ts --server node --rounds 3
 *   deno run -A bench/http_ingest_bench.ts --server deno --rounds 3
 *
 * @module
 */
import process from "node:process";
import { benchArgs } from "../tools/harness/bench_args.ts";
import { serveCollector } from "../edge/server/http_server.ts";
import { createCollectorApp } from "../edge/server/app.ts";
import { tokenAuth } from "../edge/server/auth.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { compiledLease, sdkLease, TestNode } from "../tools/harness/collector_app_fixture.ts";

const flags = benchArgs(Deno.args, {
  string: ["server", "port", "nodes", "batches", "events", "rounds"],
  boolean: ["client"],
});
const num = (name: string, dflt: number) => Number(flags.string.get(name) ?? dflt);
const nodes = num("nodes", 8);
const batches = num("batches", 200);
const perBatch = num("events", 256);
const token = (i: number) => `token-${i}`;

if (flags.boolean.has("client")) {
  // Client: build every batch first, then post them as fast as the server takes them.
  const port = num("port", 0);
  const sdk = await sdkLease();
  const bodies: Uint8Array[][] = [];
  for (let n = 0; n < nodes; n++) {
    const node = new TestNode(sdk, `node-${n}`);
    const mine: Uint8Array[] = [];
    for (let b = 0; b < batches; b++) {
      for (let e = 0; e < perBatch; e++) {
        const key = `lock:${n}:${(b * perBatch + e) % 64}`;
        node.step(key, e % 2 === 0 ? "acquire" : "release", { c: 1 });
      }
      mine.push(node.take());
    }
    bodies.push(mine);
  }
  console.log("ready");
  await Promise.all(bodies.map(async (mine, n) => {
    for (const body of mine) {
      const res = await fetch(`http://127.0.0.1:${port}/ingest`, {
        method: "POST",
        headers: { authorization: `Bearer ${token(n)}`, "content-type": "application/x-msgpack" },
        body: body as Uint8Array<ArrayBuffer>,
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`HTTP ${res.status}`);
    }
  }));
  Deno.exit(0);
}

const kind = flags.string.get("server") ?? "node";
const total = nodes * batches * perBatch;
for (let round = 0; round < num("rounds", 1); round++) {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 50 });
  const tokens = Object.fromEntries(
    Array.from({ length: nodes }, (_, i) => [`node-${i}`, token(i)]),
  );
  const app = createCollectorApp(collector, { auth: tokenAuth(tokens), keepAliveMs: 0 });
  app.service.start();
  let port = 0;
  let stop: () => Promise<void>;
  if (kind === "deno") {
    const s = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    port = s.addr.port;
    stop = () => s.shutdown();
  } else {
    const s = await serveCollector(app.fetch, { port: 0 });
    port = s.addr.port;
    stop = () => s.shutdown();
  }
  const client = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      import.meta.filename!,
      "--client",
      "--port",
      String(port),
      "--nodes",
      String(nodes),
      "--batches",
      String(batches),
      "--events",
      String(perBatch),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = client.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("Client ended before it was ready");
    out += value;
  }
  // Time from the first batch received to the last event applied.
  while (collector.metrics().events === 0) await new Promise((r) => setTimeout(r, 1));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = Date.now() + 120_000;
  while (collector.metrics().applied < total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const applied = collector.metrics().applied;
  console.log(
    `${kind}: ${applied} of ${total} events applied in ${seconds.toFixed(2)} s: ${
      Math.round(applied / seconds).toLocaleString("en-US")
    } events/s; server CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
  );
  await reader.cancel();
  await client.status;
  await stop();
  await app.service.stop();
}
