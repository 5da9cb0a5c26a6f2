/**
 * Making sure the JetStream event stream exists, for both ends: a service
 * before it publishes, the collector before it consumes. Written against
 * the two calls it makes on a JetStream manager (a structural type, so the
 * ground layer loads no NATS client); `@nats-io/jetstream`'s
 * `JetStreamManager` fits it.
 *
 * @module
 */
import { EVENT_STREAM_CONFIG } from "./subjects.ts";

/**
 * The part of a JetStream manager (`@nats-io/jetstream`) that {@link ensureStream} calls.
 *
 * @example A stand-in manager whose stream exists
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureStream, type StreamAdmin } from "./ensure_stream.ts";
 * let added = 0;
 * const admin: StreamAdmin = {
 *   streams: {
 *     info: () => Promise.resolve({}),
 *     add: () => Promise.resolve(void added++),
 *   },
 * };
 * await ensureStream(admin);
 * assert.equal(added, 0);
 * ```
 */
export interface StreamAdmin {
  /** The stream calls used: `info` and `add`. */
  readonly streams: {
    /** Resolves when the stream exists; rejects with a "stream not found" API error when not. */
    info(name: string): Promise<unknown>;
    /** Creates a stream (file storage and limits retention unless told otherwise). */
    add(config: { name: string; subjects: string[] }): Promise<unknown>;
  };
}

/**
 * Options of {@link ensureStream}.
 *
 * @example A stream of one spec's events
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureStream, type EnsureStreamOptions, STREAM_NOT_FOUND } from "./ensure_stream.ts";
 * const added: unknown[] = [];
 * const options: EnsureStreamOptions = { name: "LEASE", subjects: ["vigil.events.Lease"] };
 * const notFound = Object.assign(new Error("stream not found"), { code: STREAM_NOT_FOUND });
 * await ensureStream({
 *   streams: { info: () => Promise.reject(notFound), add: (c) => Promise.resolve(void added.push(c)) },
 * }, options);
 * assert.deepEqual(added, [{ name: "LEASE", subjects: ["vigil.events.Lease"] }]);
 * ```
 */
export interface EnsureStreamOptions {
  /** Default `VIGIL_EVENTS` (`EVENT_STREAM`). */
  readonly name?: string;
  /** Default `["vigil.events.>"]` (`ALL_EVENT_SUBJECTS`). */
  readonly subjects?: readonly string[];
}

/** The JetStream API error code of "stream not found". */
export const STREAM_NOT_FOUND = 10059;

/**
 * True when `e` is JetStream's "stream not found" API error: an `Error`
 * whose `code` is {@link STREAM_NOT_FOUND} (as `JetStreamApiError` and its
 * `StreamNotFoundError` carry it).
 *
 * @example Recognise the error
 * ```ts
 * import assert from "node:assert/strict";
 * import { isStreamNotFound, STREAM_NOT_FOUND } from "./ensure_stream.ts";
 * assert.equal(isStreamNotFound(Object.assign(new Error("stream not found"), { code: STREAM_NOT_FOUND })), true);
 * assert.equal(isStreamNotFound(new Error("timeout")), false);
 * ```
 */
export function isStreamNotFound(e: unknown): boolean {
  return e instanceof Error && (e as { readonly code?: unknown }).code === STREAM_NOT_FOUND;
}

/**
 * Creates the event stream if it does not exist (file storage, limits
 * retention); leaves an existing stream as it is. Any error but "stream
 * not found" from the lookup is thrown as it is.
 *
 * @example Create the stream on a manager that has none
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureStream, STREAM_NOT_FOUND } from "./ensure_stream.ts";
 * const added: unknown[] = [];
 * const jsm = {
 *   streams: {
 *     info: () => Promise.reject(Object.assign(new Error("stream not found"), { code: STREAM_NOT_FOUND })),
 *     add: (config: unknown) => Promise.resolve(void added.push(config)),
 *   },
 * };
 * await ensureStream(jsm);
 * assert.deepEqual(added, [{ name: "VIGIL_EVENTS", subjects: ["vigil.events.>"] }]);
 * ```
 *
 * @example With a NATS connection
 * ```ts ignore
 * import { jetstreamManager } from "@nats-io/jetstream";
 * await ensureStream(await jetstreamManager(nc), { name: "VIGIL_EVENTS" });
 * ```
 */
export async function ensureStream(
  jsm: StreamAdmin,
  options: EnsureStreamOptions = {},
): Promise<void> {
  const name = options.name ?? EVENT_STREAM_CONFIG.name;
  const subjects = [...(options.subjects ?? EVENT_STREAM_CONFIG.subjects)];
  try {
    await jsm.streams.info(name);
  } catch (e) {
    if (!isStreamNotFound(e)) throw e;
    await jsm.streams.add({ name, subjects });
  }
}
