/**
 * What a collector's stored state belongs to, so that a state left by
 * another run is never mixed into this one. A store records its origin at
 * first use, beside the snapshot (`["vigil", "collector", "origin"]`):
 *
 * - a collector reading JetStream: the stream's name and creation time
 *   (what JetStream reports, kept across server restarts; a new server or a
 *   recreated stream has another one);
 * - a collector fed over HTTP (or core NATS, which keeps nothing): the
 *   names of the specs it serves. Serving more specs later is the same
 *   origin; no longer serving one of them is not.
 *
 * At start the command compares the recorded origin with the current one
 * ({@link compareOrigin}) and refuses a mismatch, naming both and the
 * flags that decide (`--reset-state`, `--adopt-state`).
 *
 * @module
 */
import type { Kv, KvKey } from "../lib/ports/kv.ts";
import type { NatsConnection } from "../edge/ingest/nats.ts";

/** The KV key of the origin record. */
export const ORIGIN_KEY: KvKey = ["vigil", "collector", "origin"];

/** A JetStream stream, by name and creation time. */
export interface JetStreamOrigin {
  readonly kind: "jetstream";
  /** Stream name, e.g. `VIGIL_EVENTS`. */
  readonly stream: string;
  /** Creation time as JetStream reports it (RFC 3339, nanoseconds). */
  readonly created: string;
}

/** A collector fed over HTTP or core NATS: the names of its specs. */
export interface SpecsOrigin {
  readonly kind: "specs";
  /** Spec names, sorted. */
  readonly specs: readonly string[];
}

/** What a stored state belongs to. */
export type StoreOrigin = JetStreamOrigin | SpecsOrigin;

/** An origin as recorded: when, and by which carrier (for messages only). */
export type RecordedOrigin = StoreOrigin & {
  /** When it was recorded (ISO time). */
  readonly recordedAt: string;
  /** The NATS URL or `HTTP`, for messages. */
  readonly via: string;
};

/** The outcome of {@link compareOrigin}. */
export type OriginCheck =
  | { readonly kind: "same" }
  /** Compatible, with a new record to write (specs added). */
  | { readonly kind: "update"; readonly origin: StoreOrigin }
  | { readonly kind: "mismatch"; readonly reason: string };

/** `'A', 'B'`. */
function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/** An origin in words. */
function describe(o: StoreOrigin): string {
  return o.kind === "jetstream"
    ? `JetStream stream '${o.stream}' created ${o.created}`
    : `a collector of spec${o.specs.length === 1 ? "" : "s"} ${
      quoted(o.specs)
    } fed over HTTP or core NATS`;
}

/**
 * Compares the recorded origin of a state with the current one (`null`:
 * the JetStream stream does not exist yet).
 *
 * @example The same stream, a recreated one, and a spec added
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareOrigin } from "./store_origin.ts";
 * const stream = { kind: "jetstream", stream: "VIGIL_EVENTS", created: "2026-01-01T00:00:00Z" } as const;
 * assert.deepEqual(compareOrigin(stream, stream), { kind: "same" });
 * const recreated = { ...stream, created: "2026-02-01T00:00:00Z" };
 * const check = compareOrigin(stream, recreated);
 * assert.equal(check.kind, "mismatch");
 * assert.match(check.kind === "mismatch" ? check.reason : "", /created 2026-02-01T00:00:00Z/);
 * const added = compareOrigin({ kind: "specs", specs: ["Lease"] }, { kind: "specs", specs: ["Lease", "Order"] });
 * assert.equal(added.kind, "update");
 * assert.equal(compareOrigin({ kind: "specs", specs: ["Lease"] }, { kind: "specs", specs: ["Order"] }).kind, "mismatch");
 * ```
 */
export function compareOrigin(stored: StoreOrigin, current: StoreOrigin | null): OriginCheck {
  if (current === null) {
    const name = stored.kind === "jetstream" ? `'${stored.stream}'` : "";
    return {
      kind: "mismatch",
      reason: `it belongs to ${describe(stored)}, and the stream ${name} does not exist on ` +
        `this server (a new server, or the stream was deleted)`,
    };
  }
  if (stored.kind === "jetstream" && current.kind === "jetstream") {
    if (stored.stream === current.stream && stored.created === current.created) {
      return { kind: "same" };
    }
    return {
      kind: "mismatch",
      reason: `it belongs to ${describe(stored)}, and this collector reads ${
        describe(current)
      } (a new server or a recreated stream)`,
    };
  }
  if (stored.kind === "specs" && current.kind === "specs") {
    const now = new Set(current.specs);
    const gone = stored.specs.filter((s) => !now.has(s));
    if (gone.length > 0) {
      return {
        kind: "mismatch",
        reason: `it belongs to ${describe(stored)}, and this collector does not serve ${
          quoted(gone)
        }`,
      };
    }
    return current.specs.length === stored.specs.length
      ? { kind: "same" }
      : { kind: "update", origin: current };
  }
  return {
    kind: "mismatch",
    reason: `it belongs to ${describe(stored)}, and this collector reads ${describe(current)}`,
  };
}

/**
 * The origin of a collector fed over HTTP or core NATS serving `specs`.
 *
 * @example Names sorted, each once
 * ```ts
 * import assert from "node:assert/strict";
 * import { specsOrigin } from "./store_origin.ts";
 * assert.deepEqual(specsOrigin(["Order", "Lease", "Lease"]), { kind: "specs", specs: ["Lease", "Order"] });
 * ```
 */
export function specsOrigin(specs: readonly string[]): SpecsOrigin {
  return { kind: "specs", specs: [...new Set(specs)].sort() };
}

/**
 * Reads the origin recorded in `kv`, or `null` when none is.
 *
 * @throws {Error} When the record is not one this version wrote.
 *
 * @example Record and read back
 * ```ts
 * import assert from "node:assert/strict";
 * import { readOrigin, writeOrigin } from "./store_origin.ts";
 * const kv = await Deno.openKv(":memory:");
 * assert.equal(await readOrigin(kv), null);
 * await writeOrigin(kv, { kind: "specs", specs: ["Lease"] }, { via: "HTTP", now: new Date(0) });
 * const o = await readOrigin(kv);
 * assert.deepEqual(o, { kind: "specs", specs: ["Lease"], via: "HTTP", recordedAt: "1970-01-01T00:00:00.000Z" });
 * kv.close();
 * ```
 */
export async function readOrigin(kv: Kv): Promise<RecordedOrigin | null> {
  const { value } = await kv.get(ORIGIN_KEY);
  if (value === null || value === undefined) return null;
  const o = typeof value === "string" ? JSON.parse(value) : value;
  const ok = typeof o === "object" && o !== null &&
    (o.kind === "jetstream"
      ? typeof o.stream === "string" && typeof o.created === "string"
      : o.kind === "specs" && Array.isArray(o.specs));
  if (!ok) {
    throw new Error(`The origin record of the store is not understood: ${JSON.stringify(o)}`);
  }
  return o as RecordedOrigin;
}

/**
 * Records `origin` in `kv` (replacing any record).
 *
 * @example See {@link readOrigin}
 * ```ts
 * import assert from "node:assert/strict";
 * import { readOrigin, writeOrigin } from "./store_origin.ts";
 * const kv = await Deno.openKv(":memory:");
 * await writeOrigin(kv, { kind: "jetstream", stream: "S", created: "t" }, { via: "nats://h:4222" });
 * assert.equal((await readOrigin(kv))?.kind, "jetstream");
 * kv.close();
 * ```
 */
export async function writeOrigin(
  kv: Kv,
  origin: StoreOrigin,
  options: { readonly via: string; readonly now?: Date },
): Promise<void> {
  const record: RecordedOrigin = {
    ...origin,
    via: options.via,
    recordedAt: (options.now ?? new Date()).toISOString(),
  };
  const res = await kv.atomic().set(ORIGIN_KEY, JSON.stringify(record)).commit();
  if (!res.ok) throw new Error("Writing the store's origin record failed");
}

/** The part of a JetStream stream info reply read here. */
interface StreamInfoReply {
  readonly created?: unknown;
  readonly error?: { readonly err_code?: unknown; readonly description?: unknown };
}

/** JetStream's error code for "stream not found". */
const STREAM_NOT_FOUND = 10059;

/**
 * The origin of JetStream stream `stream` on `nc`'s server, or `null` when
 * the stream does not exist (asked through the JetStream API subject, so
 * no JetStream client is loaded for it).
 *
 * @throws {Error} When JetStream does not answer (not enabled, no permission).
 *
 * @example Ask a running server
 * ```ts ignore
 * const nc = await connectNats("nats://127.0.0.1:4222");
 * const origin = await jetStreamOrigin(nc, "VIGIL_EVENTS"); // null before the first collector or service creates it
 * ```
 */
export async function jetStreamOrigin(
  nc: NatsConnection,
  stream: string,
): Promise<JetStreamOrigin | null> {
  let reply: StreamInfoReply;
  try {
    const msg = await nc.request(`$JS.API.STREAM.INFO.${stream}`, new Uint8Array(), {
      timeout: 5_000,
    });
    reply = JSON.parse(new TextDecoder().decode(msg.data)) as StreamInfoReply;
  } catch (e) {
    throw new Error(
      `JetStream did not answer for stream '${stream}' (${(e as Error).message}): ` +
        `is JetStream enabled on the server (nats-server -js)?`,
      { cause: e },
    );
  }
  if (reply.error !== undefined) {
    if (reply.error.err_code === STREAM_NOT_FOUND) return null;
    throw new Error(`JetStream refused the info of stream '${stream}': ${reply.error.description}`);
  }
  if (typeof reply.created !== "string") {
    throw new Error(`JetStream's info of stream '${stream}' has no creation time`);
  }
  return { kind: "jetstream", stream, created: reply.created };
}
