/**
 * Core NATS transport: publishes each batch on a connection the user made
 * with `@nats-io/transport-node` (the SDK never opens one itself, and
 * `close()` leaves it open). At most once: a batch published while nobody
 * subscribes, or lost in a reconnect beyond the client's buffer, is gone;
 * use JetStream for at least once.
 *
 * Refusals are told, not lost: the first batch on each subject is
 * confirmed (a flush after the publish); when the server denied the
 * publish (a permission violation, seen on the connection's status), that
 * batch and each later one on the subject fail with `BatchRefusedError`
 * (reason `permission`), each confirmed in turn until one passes. A
 * payload over the server's `max_payload` fails at once (`too_large`).
 * Only a permission revoked while a subject was in use costs the batches
 * published before the server's first denial arrived (at most once, as
 * any core NATS publish).
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
import { eventSubject, partitionSubject } from "../../lib/wire/subjects.ts";
import {
  BatchRefusedError,
  DeliveryError,
  type Transport,
  TransportClosedError,
} from "./transport.ts";
import { natsRefusal } from "./nats_refusal.ts";

export {
  ALL_EVENT_SUBJECTS,
  EVENT_SUBJECT_PREFIX,
  eventSubject,
  partitionOf,
  partitionSubject,
} from "../../lib/wire/subjects.ts";

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
  /** Subject to publish on. Default {@link eventSubject}, or the partition's subject with `partition`. */
  readonly subject?: SubjectOption;
  /**
   * The partition this transport carries (a partitioned batcher's
   * `transportFor(p)`): the default subject becomes
   * `vigil.events.<spec>.<partition>` (`partitionSubject`). Not with `subject`.
   */
  readonly partition?: number;
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
 * The subject function of a transport's options: `subject`, else the
 * partition's subject when `partition` is given, else {@link eventSubject}.
 *
 * @throws {TypeError} When both `subject` and `partition` are given.
 * @throws {RangeError} When `partition` is not a partition number.
 *
 * @example A transport of partition 3
 * ```ts
 * import assert from "node:assert/strict";
 * import { transportSubject } from "./nats.ts";
 * const meta = { spec: "ab", specName: "Lease", node: "n1", boot: "b1~p3", firstSeq: 0, count: 1 };
 * assert.equal(transportSubject({ partition: 3 })(meta), "vigil.events.Lease.3");
 * assert.equal(transportSubject({})(meta), "vigil.events.Lease");
 * assert.throws(() => transportSubject({ subject: "a.b", partition: 3 }), TypeError);
 * ```
 */
export function transportSubject(
  options: { readonly subject?: SubjectOption; readonly partition?: number },
): (meta: BatchMeta) => string {
  const p = options.partition;
  if (p === undefined) return subjectOf(options.subject);
  if (options.subject !== undefined) {
    throw new TypeError("Give either option 'subject' or option 'partition', not both");
  }
  partitionSubject({ spec: "", specName: "_" }, p);
  return (meta) => partitionSubject(meta, p);
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
  const subject = transportSubject(options);
  const denials = watchDenials(nc);
  /** Subjects a publish was confirmed on, with their denials then (a later denial voids it). */
  const confirmed = new Map<string, number>();
  let closed = false;

  /** Publishes, then waits until the server read it: refused when it denied the subject meanwhile. */
  async function confirm(subj: string, batch: Uint8Array, denied: Denials): Promise<void> {
    const before = denied.count(subj);
    nc.publish(subj, batch);
    try {
      await nc.flush();
    } catch (cause) {
      throw new DeliveryError("nats", 1, { cause });
    }
    // The server's error comes before its answer to the flush; its status is read a task later.
    await new Promise((r) => setTimeout(r, 0));
    if (denied.count(subj) > before) {
      const detail = denied.last(subj) ?? `Permissions Violation for Publish to "${subj}"`;
      throw new BatchRefusedError("nats", { reason: "permission", detail });
    }
    confirmed.set(subj, before);
  }

  return {
    name: "nats",
    send(batch, meta) {
      if (closed) return Promise.reject(new TransportClosedError("nats"));
      const subj = subject(meta);
      try {
        if (denials === null || confirmed.get(subj) === denials.count(subj)) {
          nc.publish(subj, batch);
          return Promise.resolve();
        }
        return confirm(subj, batch, denials).catch((cause) => {
          throw cause instanceof BatchRefusedError || cause instanceof DeliveryError
            ? cause
            : natsRefusal("nats", cause) ?? new DeliveryError("nats", 1, { cause });
        });
      } catch (cause) {
        return Promise.reject(
          natsRefusal("nats", cause) ?? new DeliveryError("nats", 1, { cause }),
        );
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      denials?.stop();
      if (nc.isClosed()) return;
      try {
        await nc.flush();
      } catch (cause) {
        throw new DeliveryError("nats", 1, { cause });
      }
    },
  };
}

/** Publish permission violations the server reported on a connection, by subject. */
interface Denials {
  /** Denials of `subject` so far. */
  count(subject: string): number;
  /** The server's words for the last one. */
  last(subject: string): string | undefined;
  /** Stops reading the connection's status. */
  stop(): void;
}

/** Reads the connection's status for publish denials; `null` when it has no status to read. */
function watchDenials(nc: NatsConnection): Denials | null {
  if (typeof nc.status !== "function") return null;
  const statuses = nc.status();
  const counts = new Map<string, number>();
  const words = new Map<string, string>();
  void (async () => {
    try {
      for await (const s of statuses) {
        if (s.type !== "error") continue;
        const e = s.error as {
          name?: string;
          operation?: string;
          subject?: string;
          message?: string;
        };
        if (e.name !== "PermissionViolationError" || e.operation !== "publish") continue;
        const subj = e.subject ?? "";
        counts.set(subj, (counts.get(subj) ?? 0) + 1);
        words.set(subj, e.message ?? "");
      }
    } catch {
      // The connection closed with an error: nothing more will be denied on it.
    }
  })();
  return {
    count: (subj) => counts.get(subj) ?? 0,
    last: (subj) => words.get(subj),
    stop: () => (statuses as { stop?: () => void }).stop?.(),
  };
}
