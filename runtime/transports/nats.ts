/**
 * Core NATS transport: publishes each batch on a connection the user made
 * with `@nats-io/transport-node` (the SDK never opens one itself, and
 * `close()` leaves it open). At most once: a batch published while nobody
 * subscribes, or lost in a reconnect beyond the client's buffer, is gone;
 * use JetStream for at least once.
 *
 * Default subject: `vigil.events.<spec name>` where the spec name has every
 * character outside `[A-Za-z0-9_-]` replaced by `_` (a batch whose stream
 * has no name uses the first 16 hex digits of its spec hash): `eventSubject`
 * of `lib/wire/subjects.ts`, exported here with the subject names for users.
 *
 * @module
 */
import type { NatsConnection } from "@nats-io/nats-core";
import type { BatchMeta } from "../../lib/wire/event.ts";
import { eventSubject } from "../../lib/wire/subjects.ts";
import { DeliveryError, type Transport, TransportClosedError } from "./transport.ts";

export { ALL_EVENT_SUBJECTS, EVENT_SUBJECT_PREFIX, eventSubject } from "../../lib/wire/subjects.ts";

/**
 * A fixed subject or one computed per batch.
 *
 * @example One subject per node
 * ```ts
 * import assert from "node:assert/strict";
 * import { subjectOf, type SubjectOption } from "./nats.ts";
 * const option: SubjectOption = (meta) => `vigil.events.${meta.specName}.${meta.node}`;
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * assert.equal(subjectOf(option)(meta), "vigil.events.Lease.n1");
 * ```
 */
export type SubjectOption = string | ((meta: BatchMeta) => string);

/**
 * Options of {@link natsTransport}.
 *
 * @example Publish on a fixed subject
 * ```ts
 * import assert from "node:assert/strict";
 * import { type NatsTransportOptions, subjectOf } from "./nats.ts";
 * const options: NatsTransportOptions = { subject: "vigil.events.lease" };
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * assert.equal(subjectOf(options.subject)(meta), "vigil.events.lease");
 * ```
 */
export interface NatsTransportOptions {
  /** Subject to publish on. Default {@link eventSubject}. */
  readonly subject?: SubjectOption;
}

/**
 * Resolves a subject option into a function.
 *
 * @example The default subject, a fixed one, and a refused one
 * ```ts
 * import assert from "node:assert/strict";
 * import { subjectOf } from "./nats.ts";
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };
 * assert.equal(subjectOf(undefined)(meta), "vigil.events.Lease");
 * assert.equal(subjectOf("audit.lease")(meta), "audit.lease");
 * assert.throws(() => subjectOf("vigil.events.>"), TypeError);
 * ```
 */
export function subjectOf(option: SubjectOption | undefined): (meta: BatchMeta) => string {
  if (option === undefined) return eventSubject;
  if (typeof option === "string") {
    if (option === "" || /[\s*>]/.test(option)) {
      throw new TypeError(`Invalid publish subject '${option}'`);
    }
    return () => option;
  }
  return option;
}

/**
 * Creates a core NATS transport over the user's connection.
 *
 * @example Publish batches on the user's connection
 * ```ts ignore
 * import { connect } from "@nats-io/transport-node";
 * import { natsTransport } from "./nats.ts";
 * const nc = await connect({ servers: "nats://127.0.0.1:4222" });
 * const transport = natsTransport(nc, { subject: "vigil.events.lease" });
 * ```
 */
export function natsTransport(nc: NatsConnection, options: NatsTransportOptions = {}): Transport {
  const subject = subjectOf(options.subject);
  let closed = false;
  return {
    name: "nats",
    send(batch, meta) {
      if (closed) return Promise.reject(new TransportClosedError("nats"));
      try {
        nc.publish(subject(meta), batch);
        return Promise.resolve();
      } catch (cause) {
        return Promise.reject(new DeliveryError("nats", 1, { cause }));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (nc.isClosed()) return;
      try {
        await nc.flush();
      } catch (cause) {
        throw new DeliveryError("nats", 1, { cause });
      }
    },
  };
}
