/**
 * The collector's length limits (`maxKeyBytes`, `maxIdBytes`): a batch with
 * a new partition key, node id, boot id or dependency node id longer than
 * its limit (in UTF-8 bytes) is refused whole before anything of it
 * applies, the error names the limit, the figure and where (the event, the
 * length); it is counted, and the collector serves the next good batch.
 * One at the limit is admitted. Over HTTP (a real socket) it is a 429
 * `limit` problem and a `vigil_limit_refusals_total{limit}` count; a snapshot
 * taken under larger limits is restored whole and then grows no further;
 * the CLI flags set them.
 *
 * @module
 */
import assert from "node:assert/strict";
import { decodeReference } from "../lib/wire/decode.ts";
import { DEFAULT_MAX_ID_BYTES, DEFAULT_MAX_KEY_BYTES } from "../lib/wire/event.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import { LimitError } from "../edge/engine/errors.ts";
import { DEFAULT_LIMITS } from "../edge/engine/limits.ts";
import type { Collector, CollectorOptions, CollectorSnapshot } from "../edge/engine/types.ts";
import { createCollectorApp } from "../edge/server/app.ts";
import { readAuth, tokenAuth } from "../edge/server/auth.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import { memoryStore } from "../edge/store/store.ts";
import { parseFlags } from "../cli/flags.ts";
import { configOf, FLAG_SPEC } from "../cli/collector/config.ts";
import { leaseBatches, leaseKit, loadLease } from "../tools/harness/collector_limits_fixture.ts";

const kit = leaseKit(await loadLease());
const lease = kit.spec;

const { at, batch, keys } = leaseBatches(kit);

/** A key of exactly `bytes` UTF-8 bytes, partly two-byte characters (so bytes, not characters, count). */
function keyOf(bytes: number, tag = "k"): string {
  const head = `${tag}:ü`; // ü takes 2 bytes
  const headBytes = new TextEncoder().encode(head).length;
  const key = head + "x".repeat(bytes - headBytes);
  assert.equal(new TextEncoder().encode(key).length, bytes);
  return key;
}

/** An id of exactly `bytes` UTF-8 bytes. */
const idOf = (bytes: number, tag = "n") => keyOf(bytes, tag);

function collector(options: Omit<CollectorOptions, "specs"> = {}): Collector {
  return createCollector({ specs: [lease], windowMs: 0, now: () => 0, ...options });
}

/** The snapshot without the counters (which a refusal changes). */
function state(c: Collector): Omit<CollectorSnapshot, "counters"> {
  const { counters: _, ...rest } = c.snapshot();
  return rest;
}

/**
 * Asserts that `bytes` is refused (through `ingestBytes`, or `ingest` of
 * its reference decoding) with `LimitError` naming `limit` and a message
 * matching `message`, counted once in `refusedByLimit` and
 * `batchesRejected`, and that nothing else changed.
 */
function assertRefused(
  c: Collector,
  bytes: Uint8Array,
  limit: "maxKeyBytes" | "maxIdBytes",
  message: RegExp,
  path: "bytes" | "decoded" = "bytes",
): void {
  const before = state(c);
  const m0 = c.metrics();
  assert.throws(
    () => path === "bytes" ? c.ingestBytes(bytes) : c.ingest(decodeReference(bytes)),
    (e: unknown) => {
      assert.ok(e instanceof LimitError, String(e));
      assert.equal(e.limit, limit);
      assert.match(e.message, message);
      return true;
    },
  );
  const m1 = c.metrics();
  assert.deepEqual(m1.refusedByLimit, {
    ...m0.refusedByLimit,
    [limit]: m0.refusedByLimit[limit] + 1,
  });
  assert.equal(m1.batchesRejected, m0.batchesRejected + 1);
  assert.equal(m1.events, m0.events);
  assert.deepEqual(state(c), before);
}

Deno.test("The length limits' defaults are the wire's, shared with the SDK", () => {
  assert.equal(DEFAULT_LIMITS.maxKeyBytes, DEFAULT_MAX_KEY_BYTES);
  assert.equal(DEFAULT_LIMITS.maxIdBytes, DEFAULT_MAX_ID_BYTES);
  assert.deepEqual([DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_ID_BYTES], [4096, 256]);
});

for (const path of ["bytes", "decoded"] as const) {
  Deno.test(`maxKeyBytes refuses a batch with a key one byte over the limit, naming the event (${path}); a key at the limit is admitted and the next good batch served`, () => {
    const c = collector();
    const ingest = (b: Uint8Array) =>
      path === "bytes" ? c.ingestBytes(b) : c.ingest(decodeReference(b));
    ingest(batch(at("a", "1", 0), keys(["k0"])));
    const over = keyOf(DEFAULT_MAX_KEY_BYTES + 1);
    // Event 4 (the third key's first event) is the first with the long key; k1's events come before it.
    assertRefused(
      c,
      batch(at("a", "1", 2), keys(["k1", "k2", over])),
      "maxKeyBytes",
      /'maxKeyBytes' \(4096\).*key of event 4 \(of 6\) from node 'a' is 4097 bytes: 'k:üx/,
      path,
    );
    // The refused numbers are a hole; the next good batch is served, at the limit too.
    const exact = keyOf(DEFAULT_MAX_KEY_BYTES);
    ingest(batch(at("a", "1", 2), keys(["k1", exact])));
    c.flush();
    assert.deepEqual(c.partitions().map((p) => [p.key, p.status, p.applied]), [
      ["k0", "ok", 2],
      ["k1", "ok", 2],
      [exact, "ok", 2],
    ]);
    assert.equal(c.metrics().refusedByLimit.maxKeyBytes, 1);
    assert.equal(c.metrics().batchesRejected, 1);
  });
}

Deno.test("maxKeyBytes set lower refuses exactly past it, in bytes: a short key of many two-byte characters too", () => {
  const c = collector({ maxKeyBytes: 16 });
  c.ingestBytes(batch(at("a", "1", 0), keys(["ü".repeat(8)]))); // 16 bytes
  assertRefused(
    c,
    batch(at("a", "1", 2), keys(["ü".repeat(8) + "x"])),
    "maxKeyBytes",
    /event 0 .* 17 bytes/,
  );
  assertRefused(c, batch(at("a", "1", 2), keys(["x".repeat(17)])), "maxKeyBytes", /17 bytes/);
  c.ingestBytes(batch(at("a", "1", 2), keys(["x".repeat(16)])));
  c.flush();
  assert.equal(c.partitions().length, 2);
});

Deno.test("maxIdBytes refuses a new stream whose node or boot id is one byte over; at the limit it is admitted", () => {
  const c = collector();
  const overNode = idOf(DEFAULT_MAX_ID_BYTES + 1, "node");
  const overBoot = idOf(DEFAULT_MAX_ID_BYTES + 1, "boot");
  assertRefused(
    c,
    batch(at(overNode, "1", 0), keys(["k0"])),
    "maxIdBytes",
    /'maxIdBytes' \(256\).*node id of a new stream is 257 bytes: 'node:üx/,
  );
  assertRefused(
    c,
    batch(at("a", overBoot, 0), keys(["k0"])),
    "maxIdBytes",
    /boot id of a new stream is 257 bytes: 'boot:üx/,
  );
  const node = idOf(DEFAULT_MAX_ID_BYTES, "node");
  const boot = idOf(DEFAULT_MAX_ID_BYTES, "boot");
  c.ingestBytes(batch(at(node, boot, 0), keys(["k0"])));
  c.ingestBytes(batch(at(node, boot, 2), keys(["k1"])));
  c.flush();
  assert.deepEqual(c.nodes().map((n) => n.node), [node]);
  assert.equal(c.metrics().refusedByLimit.maxIdBytes, 2);
  assert.equal(c.metrics().events, 4);
});

Deno.test("maxIdBytes refuses a dependency naming an unknown node id one byte over, and admits one naming a known node", () => {
  const c = collector({ maxIdBytes: 8 });
  const withDep = (node: string) => {
    const [acquire, release] = keys(["k0"], 2, 5);
    return [{ ...acquire!, deps: [{ node, wall: 1_732_170_000_000, logical: 0 }] }, release!];
  };
  c.ingestBytes(batch(at("a2345678", "1", 0), keys(["k0"])));
  assertRefused(
    c,
    batch(at("b", "1", 0), withDep("c23456789")),
    "maxIdBytes",
    /dependency of event 0 from node 'b' names node id 'c23456789' of 9 bytes/,
  );
  c.ingestBytes(batch(at("b", "1", 0), withDep("a2345678")));
  c.flush();
  assert.equal(c.metrics().refusedByLimit.maxIdBytes, 1);
  assert.equal(c.metrics().events, 4);
});

Deno.test("A snapshot with keys and ids longer than smaller limits is restored whole and then grows no further", () => {
  const c = collector();
  const longKey = keyOf(100);
  const longNode = idOf(50, "node");
  c.ingestBytes(batch(at(longNode, "1", 0), keys([longKey, "k0"])));
  c.flush();
  const snap = JSON.parse(JSON.stringify(c.snapshot())) as CollectorSnapshot;
  const small = { maxKeyBytes: 20, maxIdBytes: 20 };
  const r = restoreCollector(snap, { specs: [lease], windowMs: 0, now: () => 0, ...small });
  assert.deepEqual(r.partitions().map((p) => [p.key, p.applied]), [[longKey, 2], ["k0", 2]]);
  assert.deepEqual(r.nodes().map((n) => n.node), [longNode]);
  // What was admitted keeps being served: the long node's stream, the long key's partition.
  r.ingestBytes(batch(at(longNode, "1", 4), keys([longKey], 1, 1)));
  // Nothing new that long: a new key, a new stream of the long node id.
  assertRefused(
    r,
    batch(at(longNode, "1", 6), keys([keyOf(21, "new")], 1, 2)),
    "maxKeyBytes",
    /21 bytes/,
  );
  assertRefused(
    r,
    batch(at(longNode, "2", 0), keys(["k0"], 1, 2)),
    "maxIdBytes",
    /node id of a new stream is 50 bytes/,
  );
  r.flush();
  assert.deepEqual(r.partitions().map((p) => [p.key, p.applied]), [[longKey, 4], ["k0", 2]]);
  assert.deepEqual(r.metrics().refusedByLimit, {
    ...c.metrics().refusedByLimit,
    maxKeyBytes: 1,
    maxIdBytes: 1,
  });
});

Deno.test({
  name:
    "Over HTTP a key one byte over maxKeyBytes is a 429 'limit' problem naming it and counted in vigil_limit_refusals_total; the next batch is accepted",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const c = collector();
    const auth = tokenAuth({ a: "ta" });
    const app = createCollectorApp(c, {
      auth,
      readAuth: readAuth(["read-token"], { ingest: auth }),
      store: memoryStore(),
    });
    app.service.start();
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const post = (body: Uint8Array) =>
      fetch(`${base}/ingest`, {
        method: "POST",
        headers: { authorization: "Bearer ta", "content-type": "application/msgpack" },
        body: body as Uint8Array<ArrayBuffer>,
      });
    try {
      const refused = await post(batch(at("a", "1", 0), keys([keyOf(DEFAULT_MAX_KEY_BYTES + 1)])));
      assert.equal(refused.status, 429);
      const problem = await refused.json() as { reason: string; limit: string; detail: string };
      assert.equal(problem.reason, "limit");
      assert.equal(problem.limit, "maxKeyBytes");
      assert.match(problem.detail, /key of event 0 \(of 2\) from node 'a' is 4097 bytes/);
      const ok = await post(batch(at("a", "1", 2), keys([keyOf(DEFAULT_MAX_KEY_BYTES)])));
      assert.equal(ok.status, 202, await ok.clone().text());
      assert.equal((await ok.json() as { accepted: number }).accepted, 2);
      const text = await (await fetch(`${base}/metrics`, {
        headers: { authorization: "Bearer read-token" },
      })).text();
      const samples = parsePrometheus(text);
      const value = (name: string, labels: Record<string, string>) =>
        samples.find((s) =>
          s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
        )?.value;
      assert.equal(value("vigil_limit_refusals_total", { limit: "maxKeyBytes" }), 1);
      assert.equal(value("vigil_limit_refusals_total", { limit: "maxIdBytes" }), 0);
    } finally {
      await app.service.stop();
      await server.shutdown();
    }
  },
});

Deno.test("vigil collector's --max-key-bytes and --max-id-bytes set the core's limits (defaults otherwise)", async () => {
  const base = ["--spec", "dist/lease.js", "--kv", "none"];
  const given = await configOf(
    parseFlags([...base, "--max-key-bytes", "100", "--max-id-bytes", "30"], FLAG_SPEC),
  );
  assert.deepEqual([given.core.maxKeyBytes, given.core.maxIdBytes], [100, 30]);
  const defaults = await configOf(parseFlags(base, FLAG_SPEC));
  assert.deepEqual([defaults.core.maxKeyBytes, defaults.core.maxIdBytes], [4096, 256]);
  await assert.rejects(
    configOf(parseFlags([...base, "--max-key-bytes", "0"], FLAG_SPEC)),
    /max-key-bytes/,
  );
});
