/**
 * The in-process transport: tests and the embedded default (a collector in
 * the same process). Like core NATS, a batch sent while nobody listens is
 * gone; unlike it, a listener's backpressure reaches the sender.
 *
 * @module
 */
import type { BatchMeta } from "../../lib/wire/event.ts";
import { DeliveryError, InFlightSends, type Transport } from "./transport.ts";

/**
 * One batch as received.
 *
 * @example Read batches as they arrive
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryTransport, type ReceivedBatch } from "./memory.ts";
 * const transport = memoryTransport();
 * const received: ReceivedBatch[] = [];
 * const reading = (async () => {
 *   for await (const batch of transport) received.push(batch);
 * })();
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * await transport.send(new Uint8Array([1, 2]), meta);
 * await transport.close();
 * await reading;
 * assert.deepEqual(received.map((b) => [b.meta.node, b.bytes.length]), [["n1", 2]]);
 * ```
 */
export interface ReceivedBatch {
  /** The encoded batch. */
  readonly bytes: Uint8Array;
  /** What the transport was told about the batch. */
  readonly meta: BatchMeta;
}

/**
 * A handler called for each batch; `send` resolves when its promise does.
 *
 * @example A handler that counts bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { type BatchHandler, memoryTransport } from "./memory.ts";
 * let bytes = 0;
 * const handler: BatchHandler = (batch) => void (bytes += batch.length);
 * const transport = memoryTransport();
 * transport.subscribe(handler);
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * await transport.send(new Uint8Array(5), meta);
 * await transport.close();
 * assert.equal(bytes, 5);
 * ```
 */
export type BatchHandler = (bytes: Uint8Array, meta: BatchMeta) => void | Promise<void>;

/**
 * Options of {@link memoryTransport}.
 *
 * @example A small buffer per reader
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryTransport, type MemoryTransportOptions } from "./memory.ts";
 * const options: MemoryTransportOptions = { capacity: 16 };
 * const transport = memoryTransport(options);
 * assert.equal(transport.name, "memory");
 * await transport.close();
 * ```
 */
export interface MemoryTransportOptions {
  /** Batches each async iterator may hold unread before `send` waits. Default 1024. */
  readonly capacity?: number;
}

/**
 * A transport delivering to in-process subscribers.
 *
 * @example Count what was delivered
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryTransport, type MemoryTransport } from "./memory.ts";
 * const transport: MemoryTransport = memoryTransport();
 * const unsubscribe = transport.subscribe(() => {});
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * await transport.send(new Uint8Array([1]), meta);
 * unsubscribe();
 * await transport.close();
 * assert.equal(transport.delivered, 1);
 * ```
 */
export interface MemoryTransport extends Transport, AsyncIterable<ReceivedBatch> {
  /** Calls `handler` for each batch sent from now on; returns the unsubscribe function. */
  subscribe(handler: BatchHandler): () => void;
  /** Batches delivered so far. */
  readonly delivered: number;
}

class Reader {
  readonly queue: ReceivedBatch[] = [];
  #wake: (() => void) | null = null;
  #room: (() => void)[] = [];
  done = false;

  constructor(readonly capacity: number) {}

  async put(b: ReceivedBatch): Promise<void> {
    while (this.queue.length >= this.capacity && !this.done) {
      await new Promise<void>((r) => this.#room.push(r));
    }
    if (this.done) return;
    this.queue.push(b);
    this.#signal();
  }

  async next(): Promise<IteratorResult<ReceivedBatch>> {
    for (;;) {
      const b = this.queue.shift();
      if (b !== undefined) {
        this.#room.shift()?.();
        return { value: b, done: false };
      }
      if (this.done) return { value: undefined, done: true };
      await new Promise<void>((r) => (this.#wake = r));
    }
  }

  end(discard: boolean): void {
    this.done = true;
    if (discard) this.queue.length = 0;
    this.#signal();
    for (const r of this.#room.splice(0)) r();
  }

  #signal(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }
}

/**
 * Creates an in-process transport.
 *
 * @example Receive what a batcher sends
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryTransport } from "./memory.ts";
 * const t = memoryTransport();
 * const got: number[] = [];
 * t.subscribe((_bytes, meta) => void got.push(meta.firstSeq));
 * const meta = { spec: "h", specName: "S", node: "n", boot: "b", firstSeq: 0, count: 1 };
 * await t.send(new Uint8Array([1]), meta);
 * await t.close();
 * assert.deepEqual(got, [0]);
 * ```
 */
export function memoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const capacity = options.capacity ?? 1024;
  if (!(capacity >= 1)) throw new RangeError(`Option 'capacity' must be >= 1, got '${capacity}'`);
  const handlers = new Set<BatchHandler>();
  const readers = new Set<Reader>();
  const sends = new InFlightSends("memory");
  let delivered = 0;

  async function deliver(bytes: Uint8Array, meta: BatchMeta): Promise<void> {
    try {
      for (const h of handlers) await h(bytes, meta);
    } catch (cause) {
      throw new DeliveryError("memory", 1, { cause });
    }
    await Promise.all([...readers].map((r) => r.put({ bytes, meta })));
    delivered++;
  }

  return {
    name: "memory",
    get delivered() {
      return delivered;
    },
    send: (bytes, meta) => sends.start(() => deliver(bytes, meta)),
    async close() {
      await sends.close();
      for (const r of readers) r.end(false);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    [Symbol.asyncIterator](): AsyncIterator<ReceivedBatch> {
      const r = new Reader(capacity);
      if (sends.closed) r.end(false);
      else readers.add(r);
      return {
        next: () => r.next(),
        return: () => {
          readers.delete(r);
          r.end(true);
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}
