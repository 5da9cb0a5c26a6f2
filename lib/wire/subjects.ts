/**
 * The NATS names both ends agree on: the subjects events and alerts are
 * published on, and the JetStream stream that holds events. The SDK's
 * transports publish on {@link eventSubject}; the collector creates the
 * stream ({@link EVENT_STREAM_CONFIG}), consumes {@link ALL_EVENT_SUBJECTS}
 * and publishes alerts on {@link alertSubject}. `docs/wire-format.md`
 * ("Carriers") tells the same for other languages.
 *
 * @module
 */

/**
 * The JetStream stream of events.
 *
 * @example The stream's name
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_STREAM } from "./subjects.ts";
 * assert.equal(EVENT_STREAM, "VIGIL_EVENTS");
 * ```
 */
export const EVENT_STREAM = "VIGIL_EVENTS";

/**
 * The first tokens of every event subject: `vigil.events.<spec name>`.
 *
 * @example An event subject starts with the prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_SUBJECT_PREFIX, eventSubject } from "./subjects.ts";
 * assert.ok(eventSubject({ spec: "ab", specName: "Lease" }).startsWith(`${EVENT_SUBJECT_PREFIX}.`));
 * ```
 */
export const EVENT_SUBJECT_PREFIX = "vigil.events";

/**
 * Every event subject: the event stream's subject and the collector's default filter.
 *
 * @example The wildcard over every spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALL_EVENT_SUBJECTS } from "./subjects.ts";
 * assert.equal(ALL_EVENT_SUBJECTS, "vigil.events.>");
 * ```
 */
export const ALL_EVENT_SUBJECTS = `${EVENT_SUBJECT_PREFIX}.>`;

/**
 * The first tokens of every alert subject: `vigil.alerts.<spec name>`.
 *
 * @example Alerts of a spec go to the prefix and its name
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALERT_SUBJECT_PREFIX, alertSubject } from "./subjects.ts";
 * assert.equal(alertSubject("Lease"), `${ALERT_SUBJECT_PREFIX}.Lease`);
 * ```
 */
export const ALERT_SUBJECT_PREFIX = "vigil.alerts";

/**
 * A JetStream stream's name and subjects.
 *
 * @example A stream of one spec's events
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StreamNames } from "./subjects.ts";
 * const names: StreamNames = { name: "LEASE_EVENTS", subjects: ["vigil.events.Lease"] };
 * assert.equal(names.subjects.length, 1);
 * ```
 */
export interface StreamNames {
  /** Stream name. */
  readonly name: string;
  /** Subjects the stream captures. */
  readonly subjects: readonly string[];
}

/**
 * The event stream as created when absent: {@link EVENT_STREAM} over
 * {@link ALL_EVENT_SUBJECTS}.
 *
 * @example The default stream
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_STREAM_CONFIG } from "./subjects.ts";
 * assert.deepEqual(EVENT_STREAM_CONFIG, { name: "VIGIL_EVENTS", subjects: ["vigil.events.>"] });
 * ```
 */
export const EVENT_STREAM_CONFIG: StreamNames = Object.freeze({
  name: EVENT_STREAM,
  subjects: Object.freeze([ALL_EVENT_SUBJECTS]),
});

/**
 * A spec name as one subject token: every character outside
 * `[A-Za-z0-9_-]` replaced by `_` (so no `.`, `*`, `>` or space).
 *
 * @example Tokens
 * ```ts
 * import assert from "node:assert/strict";
 * import { subjectToken } from "./subjects.ts";
 * assert.equal(subjectToken("my.spec *>"), "my_spec___");
 * assert.equal(subjectToken("Lease"), "Lease");
 * ```
 */
export function subjectToken(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}

/**
 * The event subject of a stream: `vigil.events.<spec name>` (the name as a
 * {@link subjectToken}; a stream with no name uses the first 16 hex digits
 * of its spec hash).
 *
 * @example Subject of a Lease batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventSubject } from "./subjects.ts";
 * assert.equal(eventSubject({ spec: "ab12", specName: "Lease" }), "vigil.events.Lease");
 * assert.equal(eventSubject({ spec: "0123456789abcdef0123", specName: "" }), "vigil.events.0123456789abcdef");
 * ```
 */
export function eventSubject(stream: { readonly spec: string; readonly specName: string }): string {
  const token = stream.specName !== "" ? subjectToken(stream.specName) : stream.spec.slice(0, 16);
  return `${EVENT_SUBJECT_PREFIX}.${token}`;
}

/**
 * The alert subject of a spec: `<prefix>.<name>` (the name as a
 * {@link subjectToken}, `_` when empty), the prefix
 * {@link ALERT_SUBJECT_PREFIX} unless given.
 *
 * @example Lease alerts
 * ```ts
 * import assert from "node:assert/strict";
 * import { alertSubject } from "./subjects.ts";
 * assert.equal(alertSubject("Lease"), "vigil.alerts.Lease");
 * assert.equal(alertSubject("a.b", "ops.alerts"), "ops.alerts.a_b");
 * ```
 */
export function alertSubject(specName: string, prefix: string = ALERT_SUBJECT_PREFIX): string {
  return `${prefix}.${subjectToken(specName) || "_"}`;
}
