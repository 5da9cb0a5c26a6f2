/**
 * The false `OneHolder` of a stored state from another JetStream server,
 * with a real nats-server and `vigil collector` subprocesses.
 *
 * A first run against server A leaves a state in which node n0 holds
 * lock:1. The state survives a restart of A (same stream: it is restored).
 * Against a fresh server B the same store is refused, whether B has no
 * stream yet or a new one (created by a service), naming the flag to start
 * fresh. The control: `--adopt-state` restores the old state anyway, and a
 * correct run on B, where only n1 takes lock:1, raises the false
 * `OneHolder` naming n0 and n1, the alarm the check prevents. With
 * `--reset-state` the old state is moved aside and the same correct run
 * raises nothing.
 */
import assert from "node:assert/strict";
import { copyFile, stat } from "node:fs/promises";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { createBatcher, loadSpec } from "../mod.ts";
import { ensureStream, jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { runVigil, spawnVigil, type VigilProcess } from "./cli_process.ts";
import { leaseTraffic } from "./cli_lease_traffic.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)\/ \((.*)\)\n/;

interface Partition {
  readonly applied: number;
}
interface Violation {
  readonly property: { readonly name: string };
  readonly partition: string;
  readonly nodes: readonly string[];
}

async function api<T>(base: string, path: string): Promise<T> {
  return await (await fetch(`${base}/api/${path}`)).json() as T;
}

/** Node `node` acquires lock:1 (and holds it), over JetStream to the server at `url`. */
async function acquire(url: string, node: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    await ensureStream(await jetstreamManager(nc));
    const lease = await loadSpec(`${await compiledDir("lease")}/lease.js`);
    const t = leaseTraffic(lease, {
      [node]: createBatcher(jetstreamTransport(jetstream(nc)), { maxDelayMs: 5 }),
    });
    t.step(node, "lock:1", "acquire", node === "n0" ? 1 : 2);
    await t.close();
  } finally {
    await nc.drain();
  }
}

/** `collector --spec lease.js --nats url --kv kv --port 0`. */
async function collectorArgs(url: string, kv: string): Promise<string[]> {
  const lease = `${await compiledDir("lease")}/lease.js`;
  return ["collector", "--spec", lease, "--nats", url, "--kv", kv, "--port", "0"];
}

/** Starts `vigil collector` on NATS `url` and the store `kv`; waits for its start line. */
async function collector(
  url: string,
  kv: string,
  extra: readonly string[] = [],
): Promise<{ p: VigilProcess; base: string; summary: string }> {
  const p = spawnVigil([
    ...await collectorArgs(url, kv),
    "--allow-anonymous",
    "--window",
    "0",
    "--persist",
    "20ms",
    ...extra,
  ]);
  const m = await p.waitForOutput(LISTENING);
  return { p, base: m[1]!, summary: m[2]! };
}

async function applied(base: string, n: number): Promise<void> {
  await waitFor(async () => {
    const ps = await api<Partition[]>(base, "partitions");
    return ps.reduce((sum, p) => sum + p.applied, 0) >= n;
  }, { timeoutMs: 20_000, intervalMs: 25, what: `${n} event(s) applied` });
}

async function copyStore(from: string, to: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm"]) {
    if (await stat(from + suffix).then(() => true, () => false)) {
      await copyFile(from + suffix, to + suffix);
    }
  }
}

Deno.test({
  name:
    "A stored state from another JetStream server is refused; --adopt-state shows the false OneHolder it would raise; --reset-state starts fresh",
  ...opts,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "vigil_origin_nats_" });
    const kv = `${dir}/collector.kv`;
    const a = await startNatsServer();
    let b: Awaited<ReturnType<typeof startNatsServer>> | null = null;
    try {
      // Run 1 on A: n0 takes lock:1 and keeps it.
      const first = await collector(a.url, kv);
      try {
        assert.match(first.summary, /; fresh state;/);
        await acquire(a.url, "n0");
        await applied(first.base, 1);
      } finally {
        assert.equal(await first.p.stop(), 0, first.p.stderr());
      }

      // A restarts on its store: the same stream, the state is restored.
      await a.restart();
      const again = await collector(a.url, kv);
      assert.equal(await again.p.stop(), 0, again.p.stderr());
      assert.match(again.summary, /; restored 1 applied events;/);
      await a.stop();

      // A fresh server B without the stream: refused.
      b = await startNatsServer();
      const refused = await runVigil(await collectorArgs(b.url, kv));
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.equal(refused.stdout, "", "nothing started");
      assert.match(
        refused.stderr,
        new RegExp(
          `^vigil collector: The state in '${kv}' is not this collector's: it belongs to ` +
            `JetStream stream 'VIGIL_EVENTS' created \\S+, and the stream 'VIGIL_EVENTS' does ` +
            `not exist on this server \\(a new server, or the stream was deleted\\); .*` +
            `Give '--reset-state' to move it aside and start fresh`,
        ),
      );
      assert.equal(refused.stderr.trimEnd().split("\n").length, 1, refused.stderr);

      // B gets its stream from a service of the correct run, where n1 takes lock:1: still refused.
      await acquire(b.url, "n1");
      const recreated = await runVigil(await collectorArgs(b.url, kv));
      assert.equal(recreated.code, 1, recreated.stdout + recreated.stderr);
      const created =
        /created (\S+), and this collector reads JetStream stream 'VIGIL_EVENTS' created (\S+) \(a new server or a recreated stream\)/
          .exec(recreated.stderr);
      assert.ok(created !== null, recreated.stderr);
      assert.notEqual(created[1], created[2]);

      // Control: adopting the old state raises the false alarm (n0 held lock:1 on A, not on B).
      const copy = `${dir}/adopted.kv`;
      await copyStore(kv, copy);
      const adopted = await collector(b.url, copy, ["--adopt-state"]);
      try {
        assert.match(adopted.p.stderr(), /--adopt-state: keeping the state/);
        const vs = await waitFor(async () => {
          const v = await api<Violation[]>(adopted.base, "violations");
          return v.length > 0 && v;
        }, { timeoutMs: 20_000, intervalMs: 25, what: "the false OneHolder" });
        assert.equal(vs[0]!.property.name, "OneHolder");
        assert.equal(vs[0]!.partition, "lock:1");
        assert.deepEqual([...vs[0]!.nodes].sort(), ["n0", "n1"]);
      } finally {
        assert.equal(await adopted.p.stop(), 0, adopted.p.stderr());
      }

      // --reset-state: the old state is moved aside, the correct run raises nothing.
      const fresh = await collector(b.url, kv, ["--reset-state", "--durable", "fresh-run"]);
      try {
        assert.match(fresh.summary, /; fresh state;/);
        const aside = new RegExp(`moved the state in '${kv}' aside to '(${kv}\\.stale-[0-9TZ-]+)'`)
          .exec(fresh.p.stderr());
        assert.ok(aside !== null, fresh.p.stderr());
        await stat(aside[1]!);
        await applied(fresh.base, 1);
        assert.deepEqual(await api<Violation[]>(fresh.base, "violations"), []);
      } finally {
        assert.equal(await fresh.p.stop(), 0, fresh.p.stderr());
      }
      // From now on the store belongs to B's stream: it restores without a flag.
      const later = await collector(b.url, kv, ["--durable", "fresh-run"]);
      assert.equal(await later.p.stop(), 0, later.p.stderr());
      assert.match(later.summary, /; restored 1 applied events;/);
    } finally {
      await a.stop();
      await b?.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
