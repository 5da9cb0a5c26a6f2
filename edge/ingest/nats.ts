/**
 * NATS ingest, the collector's public entry `@vigil/vigil/edge/nats`: the only
 * edge module importing `@nats-io/*`, kept apart from `@vigil/vigil/edge` so that
 * a collector fed over HTTP loads no NATS client. It exports
 * {@link connectNats}, {@link startNatsIngest}, {@link natsPublisher} (alerts
 * on `vigil.alerts.<spec>`) and {@link resumeSequence}, with the types
 * `NatsIngestOptions`, `NatsIngest` and `NatsConnection`. Every message
 * goes to the service's one ingest path (`CollectorService.ingestBytes`).
 *
 * JetStream mode (default): makes sure the stream (`VIGIL_EVENTS` over
 * `vigil.events.>`) and a durable pull consumer (explicit acks) exist, then
 * consumes. Each message is one batch:
 * - malformed (not a version-1 batch), unknown spec hash, not fitting its
 *   spec, or refused by a collector limit: counted
 *   (`vigil_batches_rejected_total{source="jetstream",reason}`, and the
 *   message in `vigil_jetstream_terminated_total{reason}`, its events in
 *   `vigil_jetstream_terminated_events_total{reason}`), logged once per
 *   reason, and terminated (`term()`, without a reason: nats-server 2.9
 *   ignores `+TERM <reason>`), never redelivered;
 * - refused as `internal` (an unexpected error, thrown or reported by the
 *   service): redelivered with a delay doubling per delivery (`nak(delay)`,
 *   counted in `vigil_jetstream_redeliveries_total`), and terminated and
 *   counted as above once it has been delivered `maxDeliveries` times
 *   (see `redelivery.ts`);
 * - otherwise ingested and held. Before each snapshot the service asks
 *   which held messages the core has fully applied (`isApplied`); those are
 *   acked only after that snapshot is saved. A collector killed at any point
 *   therefore gets every message whose effect is not in its saved state
 *   redelivered; the core de-duplicates by (node, boot, sequence).
 *
 * At start, a durable consumer left with unacked messages is recreated to
 * resume from its ack floor, never before where it last started
 * ({@link resumeSequence}), so a restart replays only what was not acked.
 *
 * Core mode: a plain subscription, at most once (no acks, no replay); a
 * batch whose ingest throws is counted as refused (`internal`); an error of
 * the subscription itself goes to `onError`.
 *
 * @module
 */
import { connect } from "@nats-io/transport-node";
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  jetstream,
  JetStreamApiError,
  type JetStreamManager,
  jetstreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import {
  nanos,
  type NatsConnection as NatsCoreConnection,
  type Subscription,
} from "@nats-io/nats-core";
import type { RejectReason } from "../server/ingest_problem.ts";
import { redeliveryDelay, type RedeliveryOptions, redeliveryOptions } from "./redelivery.ts";
import type { CollectorService, DecodedBatchRef, IngestOutcome } from "../server/service.ts";
import { ensureStream } from "../../lib/wire/ensure_stream.ts";
import { ALL_EVENT_SUBJECTS, EVENT_STREAM } from "../../lib/wire/subjects.ts";

/**
 * A connection to NATS: the `NatsConnection` of `@nats-io/nats-core`, as
 * {@link connectNats} (or `connect` of `@nats-io/transport-node`) returns it.
 *
 * @example Connect, ingest, and close in order
 * ```ts ignore
 * import { connectNats, type NatsConnection, startNatsIngest } from "./nats.ts";
 * const nc: NatsConnection = await connectNats("nats://127.0.0.1:4222");
 * const ingest = await startNatsIngest(nc, service);
 * await ingest.stop();
 * await nc.drain();
 * ```
 */
export type NatsConnection = NatsCoreConnection;
export type { RedeliveryOptions } from "./redelivery.ts";

/**
 * Options of {@link startNatsIngest}.
 *
 * @example Core NATS at most once, on one spec's subject
 * ```ts
 * import assert from "node:assert/strict";
 * import type { NatsIngestOptions } from "./nats.ts";
 * const options: NatsIngestOptions = { mode: "core", subject: "vigil.events.Lease" };
 * assert.equal(options.mode, "core");
 * ```
 */
export interface NatsIngestOptions {
  /** `jetstream` (durable, acked after apply + save) or `core` (at most once). Default `jetstream`. */
  readonly mode?: "jetstream" | "core";
  /** Stream name. Default `VIGIL_EVENTS`. */
  readonly stream?: string;
  /** Subjects of the stream when it is created. Default `["vigil.events.>"]`. */
  readonly streamSubjects?: readonly string[];
  /** Subject filter of the consumer (or the core subscription). Default `vigil.events.>`. */
  readonly subject?: string;
  /** Durable consumer name. Default `vigil-collector`. */
  readonly durable?: string;
  /** Consumer's `max_ack_pending` when created. Default 20 000. */
  readonly maxAckPending?: number;
  /** Consumer's `ack_wait` when created, ms. Default 30 000. */
  readonly ackWaitMs?: number;
  /** Messages the client buffers ahead. Default 1024. */
  readonly maxMessages?: number;
  /**
   * How long each pull request waits for messages before the client issues another, ms (at
   * least 1000; the server's heartbeats come every half of it). A pull lost with a NATS server
   * that stopped is noticed after two missed heartbeats, so a shorter time recovers sooner, at
   * the cost of more requests. Default 30 000 (the client's).
   */
  readonly expiresMs?: number;
  /**
   * At start, recreate an existing durable consumer holding unacked
   * messages so that it resumes at {@link resumeSequence} (see
   * `ensureConsumer`). Turn off when several collectors share one durable.
   * Default true.
   */
  readonly rewind?: boolean;
  /** Redelivery of batches refused as `internal` (see `redelivery.ts`). */
  readonly redelivery?: RedeliveryOptions;
  /** Poll consumer info for the pending gauges this often, ms (0: never). Default 2000. */
  readonly infoMs?: number;
  /**
   * Reports unexpected failures of the consumer loop (an ack on a closed
   * connection), and in core mode an error of the subscription (its
   * subject not permitted to the collector's user). Default: the service's `internalError` (counted in
   * `vigil_internal_errors_total{where="nats"}` and logged). An exception
   * while ingesting a message always goes to `internalError` and makes the
   * message an `internal` refusal.
   */
  readonly onError?: (error: unknown) => void;
  /**
   * Says, once per refusal reason, what the JetStream ingest does with such
   * messages (terminates them, or redelivers them). Default `console.error`.
   */
  readonly log?: (line: string) => void;
}

/**
 * A running NATS ingest.
 *
 * @example Stop consuming before the service
 * ```ts ignore
 * import { connectNats, type NatsIngest, startNatsIngest } from "./nats.ts";
 * const nc = await connectNats("nats://127.0.0.1:4222");
 * const ingest: NatsIngest = await startNatsIngest(nc, service, { durable: "vigil-collector" });
 * console.log(ingest.mode, ingest.waiting);
 * await ingest.stop();
 * ```
 */
export interface NatsIngest {
  /** `jetstream` (durable, acked after apply and save) or `core` (at most once). */
  readonly mode: "jetstream" | "core";
  /** Messages ingested and waiting for their ack (JetStream). */
  readonly waiting: number;
  /** Stops consuming (held acks still run at the service's next persist). */
  stop(): Promise<void>;
}

/**
 * A message ingested and waiting for the state covering it to be saved:
 * its reply subject (where its ack goes) and its batch's numbers, not the
 * message, so its payload (and the socket chunk it may share) is not kept
 * until the save (up to seconds of traffic).
 */
interface Held {
  /** The reply subject to publish the ack on; the message itself when it has none we can read. */
  readonly ackTo: string | JsMsg;
  readonly batch: DecodedBatchRef;
}

/**
 * The reply subject of a JetStream message (its ack subject), or null:
 * nats.js v3's `JsMsgImpl` has it as `reply`, which the `JsMsg` type does
 * not declare.
 */
function replyOf(msg: JsMsg): string | null {
  const reply = (msg as { readonly reply?: unknown }).reply;
  return typeof reply === "string" && reply !== "" ? reply : null;
}

/** The payload of a JetStream ack (`+ACK`), what `JsMsg.ack()` publishes to the message's reply subject. */
const ACK = Uint8Array.of(43, 65, 67, 75);

/**
 * Connects to NATS for the collector (reconnects forever). `servers` is one
 * URL or several separated by commas (the servers of a cluster; the client
 * also learns the others from the server it reaches).
 *
 * @example Connect to a cluster
 * ```ts ignore
 * const nc = await connectNats("nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://10.0.0.3:4222");
 * ```
 */
export function connectNats(servers: string): Promise<NatsConnection> {
  const list = servers.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return connect({ servers: list, name: "vigil-collector", maxReconnectAttempts: -1 });
}

/**
 * A publish function for the alert router (`vigil.alerts.<spec>`).
 *
 * @example Route alerts to NATS
 * ```ts ignore
 * createCollectorService(collector, { alerts: { publish: natsPublisher(nc) } });
 * ```
 */
export function natsPublisher(nc: NatsConnection): (subject: string, data: Uint8Array) => void {
  return (subject, data) => nc.publish(subject, data);
}

function consumerConfig(o: NatsIngestOptions, durable: string, startSeq: number) {
  return {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: o.subject ?? ALL_EVENT_SUBJECTS,
    max_ack_pending: o.maxAckPending ?? 20_000,
    ack_wait: nanos(o.ackWaitMs ?? 30_000),
    ...(startSeq > 1
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq }
      : { deliver_policy: DeliverPolicy.All }),
  };
}

/**
 * The stream sequence a durable consumer recreated from `info` must start
 * at: just after its ack floor, and never before the sequence it was
 * itself started at. The second bound matters because nats-server 2.9
 * reports an ack floor of 0 for a consumer created at a start sequence
 * until it acks the message at that sequence: without it, a collector
 * killed twice in quick succession would replay the stream from 1.
 *
 * @example A consumer recreated at 6 that has acked nothing yet
 * ```ts
 * import assert from "node:assert/strict";
 * import { resumeSequence } from "./nats.ts";
 * const recreated = { ack_floor: { stream_seq: 0 }, config: { opt_start_seq: 6 } };
 * assert.equal(resumeSequence(recreated), 6);
 * const acked = { ack_floor: { stream_seq: 9 }, config: { opt_start_seq: 6 } };
 * assert.equal(resumeSequence(acked), 10);
 * assert.equal(resumeSequence({ ack_floor: { stream_seq: 0 }, config: {} }), 1);
 * ```
 */
export function resumeSequence(info: {
  readonly ack_floor: { readonly stream_seq: number };
  readonly config: { readonly opt_start_seq?: number };
}): number {
  return Math.max(info.ack_floor.stream_seq + 1, info.config.opt_start_seq ?? 1);
}

/**
 * Creates the durable consumer if absent. When it exists with messages
 * delivered but not acked (a previous collector died holding them) and
 * `rewind` is on, it is recreated to start at {@link resumeSequence}, so
 * those messages come again at once and in stream order instead of after
 * `ack_wait` (acked messages past the floor come again too: duplicates).
 */
async function ensureConsumer(jsm: JetStreamManager, stream: string, o: NatsIngestOptions) {
  const durable = o.durable ?? "vigil-collector";
  let info;
  try {
    info = await jsm.consumers.info(stream, durable);
  } catch (e) {
    if (!(e instanceof JetStreamApiError) || e.code !== 10014) throw e;
    await jsm.consumers.add(stream, consumerConfig(o, durable, 1));
    return durable;
  }
  if ((o.rewind ?? true) && info.num_ack_pending > 0) {
    await jsm.consumers.delete(stream, durable);
    await jsm.consumers.add(stream, consumerConfig(o, durable, resumeSequence(info)));
  }
  return durable;
}

/**
 * Starts consuming into the service.
 *
 * @example Consume the default stream with a durable consumer
 * ```ts ignore
 * const nc = await connectNats("nats://127.0.0.1:4222");
 * const ingest = await startNatsIngest(nc, service, { durable: "vigil-collector" });
 * // ... on shutdown:
 * await ingest.stop(); await service.stop(); await nc.drain();
 * ```
 */
export async function startNatsIngest(
  nc: NatsConnection,
  service: CollectorService,
  options: NatsIngestOptions = {},
): Promise<NatsIngest> {
  const onError = options.onError ?? ((e: unknown) => service.internalError("nats", e));
  if ((options.mode ?? "jetstream") === "core") return startCore(nc, service, options, onError);
  const redelivery = redeliveryOptions(options.redelivery);
  const log = options.log ?? ((line: string) => console.error(line));
  const registry = service.metrics.registry;
  const terminated = registry.counter(
    "vigil_jetstream_terminated",
    "JetStream messages refused and terminated (never redelivered), by reason",
  );
  const terminatedEvents = registry.counter(
    "vigil_jetstream_terminated_events",
    "Events in terminated JetStream messages (decoded batches), by reason",
  );
  const redeliveries = registry.counter(
    "vigil_jetstream_redeliveries",
    "JetStream messages handed back for a delayed redelivery, by reason",
  );
  const logged = new Set<RejectReason>();
  const stream = options.stream ?? EVENT_STREAM;
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, {
    name: stream,
    subjects: options.streamSubjects ?? [ALL_EVENT_SUBJECTS],
  });
  const durable = await ensureConsumer(jsm, stream, options);
  const consumer = await jetstream(nc).consumers.get(stream, durable);
  const messages: ConsumerMessages = await consumer.consume({
    max_messages: options.maxMessages ?? 1024,
    ...(options.expiresMs === undefined ? {} : { expires: options.expiresMs }),
  });
  let held: Held[] = [];
  const collector = service.collector;
  const removeSource = service.addAckSource({
    ready() {
      const acks: (() => void)[] = [];
      const keep: Held[] = [];
      for (const h of held) {
        const b = h.batch;
        if (collector.isApplied(b.stream, b.firstSeq, b.count)) {
          const to = h.ackTo;
          acks.push(typeof to === "string" ? () => nc.publish(to, ACK) : () => to.ack());
        } else keep.push(h);
      }
      held = keep;
      service.metrics.gauge("ack_waiting", held.length);
      return acks;
    },
  });

  /** Terminates or hands back a refused message; counts and logs it. */
  function refused(msg: JsMsg, out: Extract<IngestOutcome, { ok: false }>, events: number) {
    const delay = redeliveryDelay(out.reason, msg.info.deliveryCount, redelivery);
    const labels = { reason: out.reason };
    if (delay !== null) {
      redeliveries.inc(labels);
      msg.nak(delay);
    } else {
      terminated.inc(labels);
      terminatedEvents.inc(labels, events);
      msg.term();
    }
    if (logged.has(out.reason)) return;
    logged.add(out.reason);
    const fate = delay === null
      ? "terminated it"
      : `redelivering it, ${redelivery.maxDeliveries} deliveries at most`;
    log(
      `vigil nats ingest: a JetStream batch of ${events} events was refused as '${out.reason}' (${out.detail}), ${fate}; further '${out.reason}' refusals are only counted`,
    );
  }

  /** The batch of the message being handled, once the service decoded it. */
  let decoded: DecodedBatchRef | null = null;
  const ingestOptions = { onDecoded: (b: DecodedBatchRef) => void (decoded = b) };

  /** Ingests one message: held until saved, or refused (terminated or handed back). */
  function handle(msg: JsMsg): void {
    decoded = null;
    let out: IngestOutcome;
    try {
      out = service.ingestBytes(msg.data, "jetstream", ingestOptions);
    } catch (e) {
      // Thrown past the service: the same treatment as the service's own `internal`.
      service.internalError("jetstream ingest", e);
      const detail = "Unexpected collector error while ingesting; the collector logged it";
      service.reject("internal", "jetstream", { detail });
      out = { ok: false, reason: "internal", detail };
    }
    // Read through a cast: the compiler cannot see the service's callback assign it.
    const batch = decoded as DecodedBatchRef | null;
    if (!out.ok) refused(msg, out, batch?.count ?? 0);
    else if (batch !== null) held.push({ ackTo: replyOf(msg) ?? msg, batch });
    else throw new TypeError("The service accepted a JetStream batch it did not report decoding");
  }

  const loop = (async () => {
    for await (const msg of messages) {
      try {
        handle(msg);
      } catch (e) {
        // Only acking can get here (a closed connection): the message comes back after ack_wait.
        onError(e);
      }
    }
  })();
  const infoMs = options.infoMs ?? 2000;
  const infoTimer = infoMs <= 0 ? undefined : setInterval(() => {
    consumer.info().then((i) => {
      service.metrics.gauge("jetstream_pending", i.num_pending);
      service.metrics.gauge("jetstream_ack_pending", i.num_ack_pending);
    }, () => {});
  }, infoMs);

  return {
    mode: "jetstream",
    get waiting() {
      return held.length;
    },
    async stop() {
      if (infoTimer !== undefined) clearInterval(infoTimer);
      await messages.close();
      await loop;
      void removeSource;
    },
  };
}

function startCore(
  nc: NatsConnection,
  service: CollectorService,
  options: NatsIngestOptions,
  onError: (error: unknown) => void,
): NatsIngest {
  const sub: Subscription = nc.subscribe(options.subject ?? ALL_EVENT_SUBJECTS, {
    callback: (err, msg) => {
      // The subscription failed (a permission denied on its subject): said, not swallowed.
      if (err !== null) return onError(err);
      try {
        service.ingestBytes(msg.data, "nats");
      } catch (e) {
        // Counted and logged like the service's own `internal` refusals.
        service.internalError("nats ingest", e);
        service.reject("internal", "nats", {
          detail: "Unexpected collector error while ingesting",
        });
      }
    },
  });
  return {
    mode: "core",
    waiting: 0,
    async stop() {
      await sub.drain();
    },
  };
}
