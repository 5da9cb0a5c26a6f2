/**
 * JetStream transport: at least once, with de-duplication. Each batch is
 * published with the message id `<node>:<boot>:<spec>:<firstSeq>:<count>`
 * (the count tells a batch that only declares drops from the batch of events
 * that follows it at the same first sequence number), and a batch that only
 * declares drops adds `:<last dropped number>` (two such batches can share a
 * first number when a sent batch is abandoned before the next event), so a retried publish
 * the stream already stored is acknowledged as a duplicate instead of stored
 * twice (within the stream's duplicate window, two minutes by default).
 * Up to `window` publishes are in flight; `send` resolves on the stream's
 * acknowledgement. Timeouts and "no responders" are retried with backoff.
 * A publish refused for good (the subject's publish permission denied, a
 * payload over `max_payload`, a JetStream API error other than a 5xx such
 * as a stream that does not match) fails at once with `BatchRefusedError`
 * (reason `permission`, `too_large` or `jetstream_<error code>`), which
 * the batcher reports and never resends. (A batch the stream took and the
 * collector then refuses is terminated and logged there: the publisher
 * cannot hear of it.)
 *
 * The transport publishes through a {@link JetStreamPublisher}: the client's
 * `jetstream(nc)`, or {@link jetstreamPublisher}`(nc)`, which publishes over
 * the core connection with one inbox for the acks and costs about 20% less
 * CPU per event (no request object, error object and timer per publish).
 *
 * @module
 */
import { JetStreamApiError } from "@nats-io/jetstream";
import { ClosedConnectionError, TimeoutError } from "@nats-io/nats-core";
import type { BatchMeta } from "../../lib/wire/event.ts";
import { EVENT_STREAM } from "../../lib/wire/subjects.ts";
import { type SubjectOption, transportSubject } from "./nats.ts";
import { natsRefusal } from "./nats_refusal.ts";
import {
  backoffDelay,
  DeliveryError,
  InFlightSends,
  PublishTimeoutError,
  type Sleep,
  sleep as defaultSleep,
  type Transport,
} from "./transport.ts";

export { type ClosableJetStreamPublisher, jetstreamPublisher } from "./jetstream_publisher.ts";
export {
  ensureStream,
  type EnsureStreamOptions,
  type StreamAdmin,
} from "../../lib/wire/ensure_stream.ts";
export {
  ALL_EVENT_SUBJECTS,
  EVENT_STREAM,
  EVENT_STREAM_CONFIG,
  type StreamNames,
} from "../../lib/wire/subjects.ts";

/**
 * The part of a JetStream client (`jetstream(nc)` of `@nats-io/jetstream`)
 * that {@link jetstreamTransport} calls.
 *
 * @example A stand-in client sees each batch with its message id
 * ```ts
 * import assert from "node:assert/strict";
 * import { jetstreamTransport, type JetStreamPublisher } from "./jetstream.ts";
 * const published: string[] = [];
 * const js: JetStreamPublisher = {
 *   publish: (subject, _payload, options) => {
 *     published.push(`${subject} ${options.msgID} ${options.expect.streamName}`);
 *     return Promise.resolve({ seq: published.length });
 *   },
 * };
 * const transport = jetstreamTransport(js);
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 2 };
 * await transport.send(new Uint8Array([1, 2]), meta);
 * await transport.close();
 * assert.deepEqual(published, ["vigil.events.Lease n1:b1:ab:0:2 VIGIL_EVENTS"]);
 * ```
 */
export interface JetStreamPublisher {
  /** Publishes `payload` on `subject`; resolves on the stream's acknowledgement, rejects on a refusal or timeout. */
  publish(
    subject: string,
    payload: Uint8Array,
    options: JetStreamPublishOptions,
  ): Promise<unknown>;
}

/**
 * What {@link JetStreamPublisher.publish} is told per message: the fields
 * of `@nats-io/jetstream`'s publish options that {@link jetstreamTransport}
 * sets (the lean publisher of `jetstream_publisher.ts` takes the same).
 *
 * @example The options of one batch's publish
 * ```ts
 * import assert from "node:assert/strict";
 * import type { JetStreamPublishOptions } from "./jetstream.ts";
 * const options: JetStreamPublishOptions = {
 *   msgID: "n1:b1:ab:0:2",
 *   timeout: 5_000,
 *   expect: { streamName: "VIGIL_EVENTS" },
 * };
 * assert.equal(options.expect.streamName, "VIGIL_EVENTS");
 * ```
 */
export interface JetStreamPublishOptions {
  /** The message id the stream de-duplicates by (`Nats-Msg-Id`). */
  readonly msgID: string;
  /** Milliseconds to wait for the stream's acknowledgement. */
  readonly timeout: number;
  /** The stream that must store it (`Nats-Expected-Stream`). */
  readonly expect: { readonly streamName: string };
}

/**
 * Options of {@link jetstreamTransport}.
 *
 * @example Publish into a named stream, four in flight
 * ```ts
 * import assert from "node:assert/strict";
 * import { jetstreamTransport, type JetStreamTransportOptions } from "./jetstream.ts";
 * const streams: string[] = [];
 * const js = {
 *   publish: (_s: string, _p: Uint8Array, o: { readonly expect: { readonly streamName: string } }) => {
 *     streams.push(o.expect.streamName);
 *     return Promise.resolve({});
 *   },
 * };
 * const options: JetStreamTransportOptions = { stream: "LEASE", window: 4 };
 * const transport = jetstreamTransport(js, options);
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * await transport.send(new Uint8Array([1]), meta);
 * await transport.close();
 * assert.deepEqual(streams, ["LEASE"]);
 * ```
 */
export interface JetStreamTransportOptions {
  /** Subject. Default `vigil.events.<spec name>` (see `eventSubject`), or the partition's subject with `partition`. */
  readonly subject?: SubjectOption;
  /**
   * The partition this transport carries (a partitioned batcher's
   * `transportFor(p)`): the default subject becomes
   * `vigil.events.<spec>.<partition>` (`partitionSubject`). Not with `subject`.
   */
  readonly partition?: number;
  /** Stream the publish must land in (checked by the server). Default `VIGIL_EVENTS`. */
  readonly stream?: string;
  /** Publishes in flight at most. Default 64. */
  readonly window?: number;
  /** Wait for each acknowledgement, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Further attempts after a timeout or no responders. Default 3. */
  readonly retries?: number;
  /** Base of the exponential backoff between attempts, ms. Default 100. */
  readonly backoffMs?: number;
  /** Injectable sleep (tests). */
  readonly sleep?: Sleep;
}

/**
 * The message id of a batch.
 *
 * @example Ids of an event batch and of a drop-only batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { messageId } from "./jetstream.ts";
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 512, count: 0 };
 * assert.equal(messageId({ ...meta, count: 256 }), "n1:b1:ab:512:256");
 * assert.equal(messageId({ ...meta, lastDropped: 300 }), "n1:b1:ab:512:0:300");
 * ```
 */
export function messageId(meta: BatchMeta): string {
  const id = `${meta.node}:${meta.boot}:${meta.spec}:${meta.firstSeq}:${meta.count}`;
  return meta.count === 0 && meta.lastDropped !== undefined ? `${id}:${meta.lastDropped}` : id;
}

/**
 * Creates a JetStream transport on the user's JetStream client.
 *
 * @example Publish with acknowledgements
 * ```ts ignore
 * import { connect } from "@nats-io/transport-node";
 * import { jetstream, jetstreamManager } from "@nats-io/jetstream";
 * import { ensureStream, jetstreamTransport } from "./jetstream.ts";
 * const nc = await connect({ servers: "nats://127.0.0.1:4222" });
 * await ensureStream(await jetstreamManager(nc));
 * const transport = jetstreamTransport(jetstream(nc), { window: 64 });
 * ```
 */
export function jetstreamTransport(
  js: JetStreamPublisher,
  options: JetStreamTransportOptions = {},
): Transport {
  const subject = transportSubject(options);
  const stream = options.stream ?? EVENT_STREAM;
  const window = options.window ?? 64;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 100;
  const sleep = options.sleep ?? defaultSleep;
  if (!(window >= 1)) throw new RangeError(`Option 'window' must be >= 1, got '${window}'`);
  const waiting: (() => void)[] = [];
  const sends = new InFlightSends("jetstream");
  let active = 0;

  async function publish(batch: Uint8Array, meta: BatchMeta): Promise<void> {
    const opts = { msgID: messageId(meta), timeout: timeoutMs, expect: { streamName: stream } };
    const subj = subject(meta);
    for (let attempt = 0;; attempt++) {
      try {
        await js.publish(subj, batch, opts);
        return;
      } catch (cause) {
        const refused = natsRefusal("jetstream", cause);
        if (refused !== null) throw refused;
        const retryable =
          !(cause instanceof JetStreamApiError || cause instanceof ClosedConnectionError);
        if (!retryable || attempt >= retries) {
          if (cause instanceof TimeoutError) {
            throw new PublishTimeoutError("jetstream", attempt + 1, timeoutMs, { cause });
          }
          throw new DeliveryError("jetstream", attempt + 1, { cause });
        }
        await sleep(backoffDelay(attempt, backoffMs));
      }
    }
  }

  async function send(batch: Uint8Array, meta: BatchMeta): Promise<void> {
    while (active >= window) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      await publish(batch, meta);
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  return {
    name: "jetstream",
    send: (batch, meta) => sends.start(() => send(batch, meta)),
    close: () => sends.close(),
  };
}
