/**
 * HTTP ingest of a partitioned collector: a batch posted to any collector
 * is published into the partitioned JetStream stream, on the subject of
 * its partition, so HTTP and NATS events of one key meet in the one
 * collector owning that partition (which may be another).
 *
 * A sender reaching a partitioned deployment over HTTP uses the
 * partitioned batcher too (`createPartitionedBatcher`, one HTTP transport
 * per partition): each of its batches holds the events of one partition,
 * numbered on that partition's own stream (boot `<boot>~p<p>`). Such a
 * batch is forwarded as it is (same bytes: nothing to re-encode), under
 * the message id the JetStream transport gives it, so a retried post is
 * stored once. A batch whose events span partitions, or whose boot names
 * another partition than its keys, is refused (`invalid`, 400) with what
 * to do: splitting it would leave every part with holes in its numbers.
 *
 * The answer (202) is sent once the stream acknowledged the publish, so a
 * 202 means the batch is stored (replicated); a publish that fails is
 * answered 500 (`internal`, counted and logged) and the sender retries.
 *
 * @module
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import type { CollectorService, IngestBytesOptions, IngestOutcome } from "../server/service.ts";
import { decodeBatch } from "../../lib/wire/decode.ts";
import { WireFormatError } from "../../lib/wire/decode.ts";
import type { DecodedBatch } from "../../lib/wire/event.ts";
import { EVENT_STREAM, partitionOf, partitionSubject } from "../../lib/wire/subjects.ts";

/**
 * Where a batch goes, or why it cannot.
 *
 * @example A one-partition batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { routeBatch } from "./forward.ts";
 * const batch = { spec: "ab", specName: "Lease", node: "n1", boot: "b1~p11", firstSeq: 0, dropped: [], version: 1,
 *   events: [{ key: "lock:a" }] } as never;
 * assert.deepEqual(routeBatch(batch, 16), { partition: 11 });
 * ```
 */
export function routeBatch(
  batch: DecodedBatch,
  partitions: number,
): { readonly partition: number } | { readonly error: string } {
  const suffix = /~p(\d+)$/.exec(batch.boot);
  const named = suffix === null ? null : Number(suffix[1]);
  const keyed = new Set(batch.events.map((e) => partitionOf(e.key, partitions)));
  const advice =
    `send with createPartitionedBatcher({ partitions: ${partitions} }), one transport per partition`;
  if (keyed.size > 1) {
    return {
      error: `Batch of node '${batch.node}' holds keys of partitions ${
        [...keyed].sort((a, b) => a - b).map((p) => `'${p}'`).join(", ")
      }: a partitioned collector takes one partition per batch; ${advice}`,
    };
  }
  const p = keyed.size === 1 ? [...keyed][0]! : named;
  if (p === null || named !== p) {
    return {
      error:
        `Batch of node '${batch.node}' with boot '${batch.boot}' is not one partition's stream ` +
        `(boot '<boot>~p${p ?? "<partition>"}' expected); ${advice}`,
    };
  }
  return { partition: p };
}

/** The JetStream message id of a batch: the one the SDK's JetStream transport uses. */
function messageIdOf(b: DecodedBatch): string {
  const count = b.events.length;
  const id = `${b.node}:${b.boot}:${b.spec}:${b.firstSeq}:${count}`;
  const last = b.dropped.at(-1)?.[1];
  return count === 0 && last !== undefined ? `${id}:${last}` : id;
}

/**
 * Forwards posted batches into the partitioned stream.
 *
 * @example Forward one batch
 * ```ts ignore
 * const forward = createForwarder(front, jetstream(nc), { partitions: 16 });
 * const outcome = await forward(bytes, {});
 * ```
 */
export function createForwarder(
  front: CollectorService,
  js: JetStreamClient,
  options: { readonly partitions: number; readonly stream?: string },
): (bytes: Uint8Array, opts: IngestBytesOptions) => Promise<IngestOutcome> {
  const stream = options.stream ?? EVENT_STREAM;
  const forwarded = front.metrics.registry.counter(
    "vigil_forwarded_events",
    "Events posted over HTTP and published into their partition's stream, by partition",
  );
  const refuse = (
    reason: "malformed" | "unknown_spec" | "invalid" | "node_mismatch" | "internal",
    detail: string,
    node?: string,
  ): IngestOutcome => {
    front.reject(reason, "http", node === undefined ? { detail } : { detail, node });
    return { ok: false, reason, detail };
  };
  return async (bytes, opts) => {
    let batch: DecodedBatch;
    try {
      batch = decodeBatch(bytes);
    } catch (e) {
      if (e instanceof WireFormatError) return refuse("malformed", e.message);
      throw e;
    }
    if (opts.node !== undefined && batch.node !== opts.node) {
      return refuse(
        "node_mismatch",
        `Token of node '${opts.node}' used for node '${batch.node}'`,
        opts.node,
      );
    }
    if (!front.collector.specs.has(batch.spec)) {
      return refuse(
        "unknown_spec",
        `Spec '${batch.specName}' ('${batch.spec.slice(0, 12)}') is not served here`,
        batch.node,
      );
    }
    const route = routeBatch(batch, options.partitions);
    if ("error" in route) return refuse("invalid", route.error, batch.node);
    try {
      await js.publish(partitionSubject(batch, route.partition), bytes, {
        msgID: messageIdOf(batch),
        expect: { streamName: stream },
      });
    } catch (e) {
      front.internalError("forward", e);
      return refuse(
        "internal",
        `Publishing into partition '${route.partition}' failed: ${(e as Error).message}`,
        batch.node,
      );
    }
    forwarded.inc({ partition: String(route.partition) }, batch.events.length);
    return {
      ok: true,
      result: { accepted: batch.events.length, duplicates: 0, late: 0, dropped: 0 },
    };
  };
}
