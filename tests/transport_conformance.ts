/**
 * The conformance suite every transport runs: batches arrive complete and in
 * order, `close()` flushes what was sent, sends after close reject with
 * `TransportClosedError`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { decodeBatch } from "../lib/wire/decode.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { BatchMeta, EventBody } from "../lib/wire/event.ts";
import { type Transport, TransportClosedError } from "../runtime/transports/transport.ts";
import { waitFor } from "../tools/harness/wait.ts";

/** A transport under test and a way to read what reached the other end. */
export interface Harness {
  readonly transport: Transport;
  /** Everything that arrived so far, in arrival order. */
  arrived(): readonly Uint8Array[];
  /** Stops the receiving end and anything the factory started. */
  dispose(): Promise<void>;
}

/** Builds a fresh harness per test. */
export type HarnessFactory = () => Promise<Harness>;

const SPEC = "c0ffee".padEnd(64, "0");

/** The n-th test batch: `events` events of stream (SPEC, node, boot) starting at `first`. */
export function testBatch(first: number, events: number): { bytes: Uint8Array; meta: BatchMeta } {
  const body: EventBody[] = [];
  for (let i = 0; i < events; i++) {
    const seq = first + i;
    body.push({
      key: `k${seq % 7}`,
      wall: 1_700_000_000_000 + seq,
      logical: 0,
      action: seq % 3,
      args: [seq],
      state: new Uint8Array(16).fill(seq & 255),
      verdict: 0,
    });
  }
  const header = {
    spec: SPEC,
    specName: "Lease",
    node: "n1",
    boot: "b1",
    firstSeq: first,
    dropped: [],
  };
  return { bytes: encodeBatch(header, body), meta: { ...header, count: events } };
}

/** Waits until `n` batches have arrived at the other end (at most 15 s). */
function arrival(h: Harness, n: number): Promise<readonly Uint8Array[]> {
  return waitFor(() => h.arrived().length >= n && h.arrived(), {
    timeoutMs: 15_000,
    what: `${n} batches to arrive`,
    detail: () => `${h.arrived().length} arrived`,
  });
}

function firstSeqs(batches: readonly Uint8Array[]): number[] {
  return batches.map((b) => decodeBatch(b).firstSeq);
}

async function withHarness(factory: HarnessFactory, body: (h: Harness) => Promise<void>) {
  const h = await factory();
  try {
    await body(h);
  } finally {
    await h.dispose();
  }
}

/**
 * Registers the conformance tests for one transport.
 *
 * @example Run the suite for the memory transport
 * ```ts ignore
 * transportConformance("memory", async () => { ... });
 * ```
 */
export function transportConformance(name: string, factory: HarnessFactory): void {
  const opts = { sanitizeOps: false, sanitizeResources: false };

  Deno.test({
    name: `${name} transport delivers sequential batches complete and in order`,
    ...opts,
    fn: () =>
      withHarness(factory, async (h) => {
        const sent: Uint8Array[] = [];
        let seq = 0;
        for (const size of [1, 256, 0, 17, 1000, 3, 256, 256, 2, 90]) {
          const b = testBatch(seq, size);
          sent.push(b.bytes);
          await h.transport.send(b.bytes, b.meta);
          seq += size;
        }
        const got = await arrival(h, sent.length);
        assert.equal(got.length, sent.length);
        got.forEach((b, i) => assert.deepEqual(new Uint8Array(b), new Uint8Array(sent[i]!)));
        assert.equal(decodeBatch(got[4]!).events.length, 1000);
        await h.transport.close();
      }),
  });

  Deno.test({
    name: `${name} transport delivers concurrent sends completely`,
    ...opts,
    fn: () =>
      withHarness(factory, async (h) => {
        const batches = Array.from({ length: 40 }, (_, i) => testBatch(i * 10, 10));
        await Promise.all(batches.map((b) => h.transport.send(b.bytes, b.meta)));
        const got = await arrival(h, batches.length);
        assert.deepEqual(firstSeqs(got).sort((a, b) => a - b), batches.map((b) => b.meta.firstSeq));
        await h.transport.close();
      }),
  });

  Deno.test({
    name: `${name} transport close flushes sends still in flight`,
    ...opts,
    fn: () =>
      withHarness(factory, async (h) => {
        const pending = Array.from({ length: 20 }, (_, i) => {
          const b = testBatch(i * 5, 5);
          return h.transport.send(b.bytes, b.meta);
        });
        await h.transport.close();
        await Promise.all(pending);
        const got = await arrival(h, 20);
        assert.equal(got.length, 20);
      }),
  });

  Deno.test({
    name: `${name} transport rejects sends after close with TransportClosedError`,
    ...opts,
    fn: () =>
      withHarness(factory, async (h) => {
        await h.transport.close();
        const b = testBatch(0, 1);
        await assert.rejects(h.transport.send(b.bytes, b.meta), (e: unknown) => {
          assert.ok(e instanceof TransportClosedError, String(e));
          assert.equal(e.transport, h.transport.name);
          return true;
        });
        await h.transport.close(); // idempotent
      }),
  });
}
