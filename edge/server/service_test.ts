import assert from "node:assert/strict";
import { createCollector } from "../engine/collector.ts";
import { LimitError } from "../engine/errors.ts";
import { parsePrometheus } from "./metrics.ts";
import { type CollectorService, createCollectorService } from "./service.ts";
import type { CollectorStore } from "../store/store.ts";
import type { Collector, CollectorSnapshot } from "../engine/types.ts";
import { compiledLease, sdkLease, TestNode } from "../../tools/harness/collector_app_fixture.ts";
import { waitFor } from "../../tools/harness/wait.ts";

const sdk = await sdkLease();

/** A store whose saves resolve only when the test says so; `started()` counts the saves begun. */
function gatedStore() {
  const saved: CollectorSnapshot[] = [];
  let release: (() => void) | null = null;
  let started = 0;
  const store: CollectorStore = {
    kind: "gated",
    load: () => Promise.resolve(null),
    save(s) {
      started++;
      return new Promise<void>((resolve) => {
        release = () => {
          saved.push(s);
          resolve();
        };
      });
    },
    close() {},
  };
  return { store, saved, release: () => release?.(), started: () => started };
}

Deno.test("Acks declared ready before a snapshot run only after that snapshot is saved", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const { store, saved, release, started } = gatedStore();
  const service = createCollectorService(collector, { store });
  const acked: string[] = [];
  let readyCalls = 0;
  service.addAckSource({
    ready: () => (readyCalls++, [() => acked.push("m1")]),
  });
  const out = service.ingestBytes(
    new TestNode(sdk, "a").step("k", "acquire", { c: 1 }).take(),
    "jetstream",
  );
  assert.equal(out.ok, true);
  const done = service.persist();
  await waitFor(() => started() === 1, { what: "the snapshot save to begin" });
  assert.equal(readyCalls, 1);
  assert.deepEqual(acked, [], "not acked while the save is pending");
  release();
  await done;
  assert.deepEqual(acked, ["m1"]);
  assert.equal(saved.length, 1);
  assert.equal(saved[0]!.counters.applied, 1);
});

Deno.test("A failed save runs no ack, reports unhealthy, and the next save recovers", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  let fail = true;
  const errors: unknown[] = [];
  const service = createCollectorService(collector, {
    store: {
      kind: "flaky",
      load: () => Promise.resolve(null),
      save: () => fail ? Promise.reject(new Error("disk full")) : Promise.resolve(),
      close() {},
    },
    onError: (e) => errors.push(e),
  });
  const acked: number[] = [];
  let n = 0;
  service.addAckSource({ ready: () => [() => acked.push(++n)] });
  service.ingestBytes(new TestNode(sdk, "a").step("k", "acquire", { c: 1 }).take(), "http");
  await service.persist();
  assert.deepEqual(acked, []);
  assert.equal(service.health().ok, false);
  assert.equal(errors.length, 1);
  fail = false;
  await service.persist();
  assert.deepEqual(acked, [1, 2], "the acks of the failed save run after the next one");
  assert.equal(service.health().ok, true);
});

Deno.test("Timed persists are spaced so their hold on the thread stays within persistShare", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  let t = 0;
  let saves = 0;
  const service = createCollectorService(collector, {
    tickMs: 2,
    persistMs: 2,
    persistShare: 0.1,
    now: () => t,
    store: {
      kind: "slow-encoding",
      load: () => Promise.resolve(null),
      save() {
        saves++;
        t += 100; // the save's synchronous part holds the thread for 100 ms (of the test clock)
        return Promise.resolve();
      },
      close() {},
    },
  });
  const node = new TestNode(sdk, "a");
  const step = (c: number) =>
    service.ingestBytes(node.step(`k${c}`, "acquire", { c }).take(), "http");
  step(1);
  service.start();
  try {
    await waitFor(() => saves === 1, { what: "the first timed save", timeoutMs: 5_000 });
    step(2);
    // Held 100 ms at a 10% share: no timed save before 1 000 ms after the first began.
    t = 999;
    await new Promise((r) => setTimeout(r, 60)); // ~30 timer periods
    assert.equal(saves, 1, "a second save started within the first one's share");
    t = 1_000;
    await waitFor(() => saves === 2, { what: "the second timed save", timeoutMs: 5_000 });
  } finally {
    await service.stop();
  }
});

Deno.test("Core refusals map to reasons and are counted by source", async () => {
  const collector = createCollector({ specs: [await compiledLease()] });
  const service = createCollectorService(collector, { onLog: () => {} });
  const bad = service.ingestBytes(new Uint8Array([1, 2, 3]), "nats");
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.reason, "malformed");
  assert.equal(service.metrics.rejectedBy("malformed"), 1);
});

/** The value of a metric series in a service's exposition (0 when absent). */
function metric(service: CollectorService, name: string, labels: Record<string, string>): number {
  const hit = parsePrometheus(service.metrics.render()).find((s) =>
    s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  );
  return hit?.value ?? 0;
}

/** A real collector whose methods named in `failing` throw `make()` while `fail()` says so. */
function failing(
  real: Collector,
  methods: readonly string[],
  fail: () => boolean,
  make: (method: string) => Error = (m) => new TypeError(`planted failure in ${m}`),
): Collector {
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (!methods.includes(String(prop))) return value.bind(target);
      return (...args: unknown[]) => {
        if (fail()) throw make(String(prop));
        return value.apply(target, args);
      };
    },
  });
}

Deno.test("A throwing advance, summary and store do not end the process: counted, each logged once", async () => {
  const real = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const lines: string[] = [];
  const service = createCollectorService(
    failing(real, ["advance", "nodesPage"], () => true),
    {
      tickMs: 2,
      persistMs: 2,
      summaryMs: 2,
      onLog: (l) => lines.push(l),
      store: {
        kind: "broken",
        load: () => Promise.resolve(null),
        save: () => Promise.reject(new Error("disk full")),
        close() {},
      },
    },
  );
  const events = service.eventHub.response(); // a client, so the summary is built
  service.start();
  try {
    await waitFor(
      () => metric(service, "vigil_internal_errors_total", { where: "advance" }) >= 3,
      { what: "three failed advances", timeoutMs: 5_000 },
    );
    await waitFor(
      () => metric(service, "vigil_internal_errors_total", { where: "summary" }) >= 3,
      { what: "three failed summaries", timeoutMs: 5_000 },
    );
    await waitFor(() => metric(service, "vigil_persist_errors_total", {}) >= 3, {
      what: "three failed saves",
      timeoutMs: 5_000,
    });
    // The process still serves ingest.
    const out = service.ingestBytes(
      new TestNode(sdk, "a").step("k", "acquire", { c: 1 }).take(),
      "http",
    );
    assert.equal(out.ok, true);
  } finally {
    await events.body!.cancel();
    await service.stop();
  }
  assert.equal(lines.filter((l) => l.includes("internal error in advance")).length, 1);
  assert.equal(lines.filter((l) => l.includes("internal error in summary")).length, 1);
  assert.equal(
    lines.filter((l) => l.includes("saving the state failed: Error: disk full")).length,
    1,
  );
  // stop() writes the counts not yet told.
  assert.ok(
    lines.some((l) => /more internal errors in advance in the last \d+ s$/.test(l)),
    lines.join("\n"),
  );
});

Deno.test("A throwing alert listener is counted and logged; the alert still reaches the other routes", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const lines: string[] = [];
  const service = createCollectorService(collector, {
    onLog: (l) => lines.push(l),
    keepAliveMs: 0,
  });
  service.alerts.listen(() => {
    throw new RangeError("planted listener failure");
  });
  const stream = service.alertHub.response();
  const reader = stream.body!.getReader();
  const a = new TestNode(sdk, "a").step("lock:1", "acquire", { c: 1 }).take();
  const b = new TestNode(sdk, "b").step("lock:1", "acquire", { c: 2 }).take();
  assert.equal(service.ingestBytes(a, "http").ok, true);
  assert.equal(service.ingestBytes(b, "http").ok, true);
  collector.flush();
  let text = "";
  for (let i = 0; i < 5 && !text.includes("event: alert"); i++) {
    text += new TextDecoder().decode((await reader.read()).value);
  }
  await reader.cancel();
  assert.ok(text.includes("event: alert"), text);
  assert.equal(metric(service, "vigil_internal_errors_total", { where: "alerts" }), 1);
  assert.ok(lines.some((l) => l.includes("internal error in alerts") && l.includes("planted")));
  await service.stop();
});

Deno.test("An unexpected ingest error is refused as internal on every path, counted by source, and the next batch is accepted", async () => {
  const real = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  let fail = true;
  const lines: string[] = [];
  const service = createCollectorService(
    failing(real, ["ingest", "ingestColumns"], () => fail),
    { onLog: (l) => lines.push(l) },
  );
  const node = new TestNode(sdk, "a");
  const bytes = node.step("k", "acquire", { c: 1 }).take();
  const out = service.ingestBytes(bytes, "jetstream");
  assert.deepEqual(out.ok ? null : out.reason, "internal");
  fail = false;
  assert.equal(service.ingestBytes(bytes, "jetstream").ok, true);
  assert.equal(
    metric(service, "vigil_batches_rejected_total", { source: "jetstream", reason: "internal" }),
    1,
  );
  assert.equal(metric(service, "vigil_internal_errors_total", { where: "ingest" }), 1);
  assert.ok(
    lines.some((l) =>
      l.startsWith("vigil collector: refused a jetstream batch (internal) from node 'a'")
    ),
  );
});

Deno.test("A core LimitError is refused with reason limit naming the limit, and logged once per limit", async () => {
  const real = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const lines: string[] = [];
  const service = createCollectorService(
    failing(
      real,
      ["ingestColumns", "ingest"],
      () => true,
      () => new LimitError("maxNodes", 2, "batch from new node 'a' with 2 nodes known"),
    ),
    { onLog: (l) => lines.push(l) },
  );
  const node = new TestNode(sdk, "a");
  for (let i = 0; i < 3; i++) {
    const out = service.ingestBytes(node.step("k", "acquire", { c: 1 }).take(), "jetstream");
    assert.ok(!out.ok && out.reason === "limit" && out.limit === "maxNodes", JSON.stringify(out));
  }
  assert.equal(
    metric(service, "vigil_batches_rejected_total", { source: "jetstream", reason: "limit" }),
    3,
  );
  assert.deepEqual(lines, [
    "vigil collector: refused a jetstream batch (limit) from node 'a' (limit 'maxNodes'): " +
    "Collector limit 'maxNodes' (2) reached: batch from new node 'a' with 2 nodes known",
  ]);
});

Deno.test("Refusals are logged once with their detail, then at most once a minute as a count", async () => {
  const collector = createCollector({ specs: [await compiledLease()] });
  let t = 0;
  const lines: string[] = [];
  const service = createCollectorService(collector, { now: () => t, onLog: (l) => lines.push(l) });
  const garbage = new Uint8Array([0xc1]);
  service.ingestBytes(garbage, "jetstream");
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^vigil collector: refused a jetstream batch \(malformed\) at '\$'?.*: /);
  for (let i = 1; i <= 1233; i++) {
    t = i * 40; // 1233 more within 50 s: no line
    service.ingestBytes(garbage, "jetstream");
  }
  service.reject("unauthorized", "http", { detail: "No bearer token" });
  assert.equal(lines.length, 2, "another (source, reason) is told at once");
  assert.equal(lines[1], "vigil collector: refused an http batch (unauthorized): No bearer token");
  t = 60_000;
  service.ingestBytes(garbage, "jetstream");
  assert.equal(lines.length, 3);
  assert.equal(
    lines[2],
    "vigil collector: refused 1234 more jetstream batches (malformed) in the last 60 s",
  );
  t = 61_000;
  service.ingestBytes(garbage, "jetstream");
  assert.equal(lines.length, 3, "the next count waits a minute");
  await service.stop();
  assert.equal(
    lines[3],
    "vigil collector: refused 1 more jetstream batch (malformed) in the last 1 s",
  );
  assert.equal(service.metrics.rejectedBy("malformed"), 1236);
});
