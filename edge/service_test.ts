import assert from "node:assert/strict";
import { createCollector } from "./collector.ts";
import { createCollectorService } from "./service.ts";
import type { CollectorStore } from "./store.ts";
import type { CollectorSnapshot } from "./types.ts";
import { compiledLease, sdkLease, TestNode } from "../tests/collector_app_fixture.ts";

const sdk = await sdkLease();

/** A store whose saves resolve only when the test says so. */
function gatedStore() {
  const saved: CollectorSnapshot[] = [];
  let release: (() => void) | null = null;
  const store: CollectorStore = {
    kind: "gated",
    load: () => Promise.resolve(null),
    save(s) {
      return new Promise<void>((resolve) => {
        release = () => {
          saved.push(s);
          resolve();
        };
      });
    },
    close() {},
  };
  return { store, saved, release: () => release?.() };
}

Deno.test("Acks declared ready before a snapshot run only after that snapshot is saved", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const { store, saved, release } = gatedStore();
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
  await new Promise((r) => setTimeout(r, 5));
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

Deno.test("Core refusals map to reasons and are counted by source", async () => {
  const collector = createCollector({ specs: [await compiledLease()] });
  const service = createCollectorService(collector);
  const bad = service.ingestBytes(new Uint8Array([1, 2, 3]), "nats");
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.reason, "malformed");
  assert.equal(service.metrics.rejectedBy("malformed"), 1);
});
