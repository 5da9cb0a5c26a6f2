/**
 * A listener beside the collector for `bench/e2e_bench.ts --tap`: a core
 * NATS subscription to the event subjects (`vigil.events.>`), in a process
 * of its own, that notes how old each batch is when nats-server hands it
 * out (now minus the wall time of its newest event): the publishers'
 * batching and publishing plus the server's routing, without the
 * collector's queue (JetStream delivery to the collector comes after, and
 * the collector's JS thread may be busy). It publishes
 * `vigil.bench.tap.ready` once subscribed, counts time from
 * `vigil.bench.go`, and on `vigil.bench.tap.stop` prints one JSON line:
 * batches, age p50/p99/max, and the oldest batches with when they came.
 *
 * Run by the bench: `deno run -A bench/e2e_tap.ts --url=nats://127.0.0.1:PORT`.
 *
 * @module
 */
import { connect } from "@nats-io/transport-node";
import { decodeToColumns } from "../lib/wire/decode.ts";
import { WireColumns } from "../lib/wire/columns.ts";
import { benchArgs } from "../tools/harness/bench_args.ts";

const flags = benchArgs(Deno.args, { string: ["url"] });
const url = flags.string.get("url");
if (url === undefined) throw new TypeError("bench/e2e_tap.ts needs --url=nats://host:port");
const nc = await connect({ servers: url });
const columns = new WireColumns();
/** Age at delivery of each batch, ms, and when it came (ms after the go signal). */
const ages: number[] = [];
const times: number[] = [];
let goAt = 0;
let undecodable = 0;
nc.subscribe("vigil.bench.go", { max: 1, callback: () => void (goAt = performance.now()) });
nc.subscribe("vigil.events.>", {
  callback: (_err, msg) => {
    const now = Date.now();
    try {
      decodeToColumns(msg.data, columns);
    } catch {
      undecodable++;
      return;
    }
    if (columns.count === 0) return;
    ages.push(now - columns.wall[columns.count - 1]!);
    times.push(goAt === 0 ? 0 : performance.now() - goAt);
  },
});
const stop = nc.subscribe("vigil.bench.tap.stop", { max: 1 });
await nc.flush();
nc.publish("vigil.bench.tap.ready");
for await (const _ of stop) break;
const sorted = [...ages].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const oldest = ages.map((a, i) => [a, Number((times[i]! / 1000).toFixed(2))])
  .sort((a, b) => b[0]! - a[0]!).slice(0, 5);
console.log(JSON.stringify({
  batches: ages.length,
  undecodable,
  p50: pct(0.5) ?? null,
  p99: pct(0.99) ?? null,
  max: sorted[sorted.length - 1] ?? null,
  oldest,
}));
await nc.drain();
