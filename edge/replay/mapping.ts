/**
 * The mapping file of `vigil replay`: which fields of a structured log line
 * are the node, the instance key, the time (a timestamp or a hybrid logical
 * clock), the action, its arguments and, optionally, the state the service
 * observed, and what orders it after other nodes' events (a `stamp` it
 * received, or message ids it `sends` and `receives`). No hand-written
 * parser: a mapping is plain JSON.
 *
 * ```json
 * {
 *   "where": { "type": "transition" },
 *   "node": "host",
 *   "key": "lock",
 *   "time": "ts",
 *   "action": "event",
 *   "actions": { "lock_acquired": "acquire", "lock_released": "release" },
 *   "args": "args",
 *   "state": { "mode": "after.mode", "owner": "after.owner" }
 * }
 * ```
 *
 * Paths are dot-separated (`"ctx.lock.id"`) or arrays of segments
 * (`["a.b", "c"]`) when a field name contains a dot; an array index is a
 * segment (`"argv.0"`). `docs/replay.md` documents every field.
 *
 * @module
 */

/**
 * A field path: the segments from the line's top-level object.
 *
 * @example A dotted field becomes a path
 * ```ts
 * import assert from "node:assert/strict";
 * import { type FieldPath, parseMapping } from "./mapping.ts";
 * const m = parseMapping({ node: "ctx.host", key: "lock", time: "ts", action: "event" });
 * const path: FieldPath | undefined = m.mappings[0]?.action;
 * assert.deepEqual(path, ["event"]);
 * ```
 */
export type FieldPath = readonly string[];

/**
 * Where the time of an event comes from.
 *
 * @example Seconds since the epoch
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMapping, type TimeSource } from "./mapping.ts";
 * const m = parseMapping({ node: "host", key: "lock", time: "ts", timeUnit: "s", action: "event" });
 * const time: TimeSource | undefined = m.mappings[0]?.time;
 * assert.deepEqual(time, { kind: "time", path: ["ts"], msPerUnit: 1000 });
 * ```
 */
export type TimeSource =
  | {
    /** A number (in `unit`) or an ISO 8601 string (or a numeric string). */
    readonly kind: "time";
    readonly path: FieldPath;
    /** Milliseconds per unit of a numeric time: 1000 (s), 1 (ms), 0.001 (us), 0.000001 (ns). */
    readonly msPerUnit: number;
  }
  | {
    /** A stamp string `<wall>-<logical>` in base 36, as `HybridClock.stamp()` writes. */
    readonly kind: "stamp";
    readonly path: FieldPath;
  }
  | {
    /** Separate wall (ms) and logical fields. */
    readonly kind: "hlc";
    readonly wall: FieldPath;
    readonly logical: FieldPath;
  };

/**
 * A value taken from a field, or a constant.
 *
 * @example A node id read from a field
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMapping, type ValueSource } from "./mapping.ts";
 * const m = parseMapping({ node: "host", key: "lock", time: "ts", action: "event" });
 * const node: ValueSource | undefined = m.mappings[0]?.node;
 * assert.deepEqual(node, { kind: "path", path: ["host"] });
 * ```
 */
export type ValueSource =
  | { readonly kind: "path"; readonly path: FieldPath }
  | { readonly kind: "const"; readonly value: string }
  | { readonly kind: "file" };

/**
 * Arguments or observed state: one object field, or one path per name.
 *
 * @example Arguments from one object field
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMapping, type RecordSource } from "./mapping.ts";
 * const m = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const args: RecordSource | undefined = m.mappings[0]?.args;
 * assert.deepEqual(args, { kind: "object", path: ["args"] });
 * ```
 */
export type RecordSource =
  | { readonly kind: "object"; readonly path: FieldPath }
  | { readonly kind: "fields"; readonly fields: ReadonlyMap<string, FieldPath> };

/**
 * One validated line mapping.
 *
 * @example Log action names renamed to spec actions
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LineMapping, parseMapping } from "./mapping.ts";
 * const m = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", actions: { take: "acquire" } });
 * const line: LineMapping = m.mappings[0]!;
 * assert.equal(line.actions.get("take"), "acquire");
 * ```
 */
export interface LineMapping {
  /** Spec name (`spec Lease` -> `Lease`); undefined: the only spec loaded. */
  readonly spec: string | undefined;
  /** Equality filters: a line is mapped only when every path holds one of the values. */
  readonly where: readonly { readonly path: FieldPath; readonly values: readonly unknown[] }[];
  /** Where the node id comes from. */
  readonly node: ValueSource;
  /** Where the instance key comes from. */
  readonly key: ValueSource;
  /** Where the event's time comes from. */
  readonly time: TimeSource;
  /** The field holding the action name. */
  readonly action: FieldPath;
  /** Log action names to spec action names. */
  readonly actions: ReadonlyMap<string, string>;
  /** Undefined: no arguments in the log (a line of an action with parameters is then unmapped). */
  readonly args: RecordSource | undefined;
  /** Where the observed state comes from; undefined: not in the log (no divergence check). */
  readonly state: RecordSource | undefined;
  /** A per-node sequence number in the log: a jump is a hole (lines missing). */
  readonly seq: FieldPath | undefined;
  /**
   * The stamp(s) the node received before this step (`<wall>-<logical>@<node>`):
   * each is a dependency on the sender's events up to that time.
   */
  readonly stamp: FieldPath | undefined;
  /** The id(s) of the messages this step sent (a later receive of one depends on it). */
  readonly sends: FieldPath | undefined;
  /** The id(s) of the messages received before this step (each depends on its send line). */
  readonly receives: FieldPath | undefined;
}

/**
 * A validated mapping file: the first line mapping whose `where` matches a line applies.
 *
 * @example Two kinds of lines in one file
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Mapping, parseMapping } from "./mapping.ts";
 * const m: Mapping = parseMapping({
 *   mappings: [
 *     { where: { kind: "lock" }, node: "host", key: "lock", time: "ts", action: "event" },
 *     { where: { kind: "order" }, node: "host", key: "order", time: "ts", action: "event" },
 *   ],
 * });
 * assert.equal(m.mappings.length, 2);
 * assert.ok(m.topLevel.has("kind"));
 * ```
 */
export interface Mapping {
  /** The line mappings, in file order. */
  readonly mappings: readonly LineMapping[];
  /** Every top-level field any mapping reads (for the fast line scanner). */
  readonly topLevel: ReadonlySet<string>;
}

/**
 * A mapping file that is not valid: `at` names the offending field.
 *
 * @example A mapping without a node
 * ```ts
 * import assert from "node:assert/strict";
 * import { MappingError, parseMapping } from "./mapping.ts";
 * assert.throws(() => parseMapping({ key: "lock", time: "ts", action: "event" }), MappingError);
 * ```
 */
export class MappingError extends Error {
  /** Where in the mapping, e.g. `mappings[1].time`. */
  readonly at: string;
  /**
   * Creates the error.
   *
   * @example Report a bad mapping
   * ```ts
   * import assert from "node:assert/strict";
   * import { MappingError } from "./mapping.ts";
   * const e = new MappingError("node", "expected a field path");
   * assert.equal(e.message, "Mapping field 'node': expected a field path");
   * ```
   */
  constructor(at: string, problem: string) {
    super(`Mapping field '${at}': ${problem}`);
    this.name = "MappingError";
    this.at = at;
  }
}

const UNITS: Readonly<Record<string, number>> = { s: 1000, ms: 1, us: 0.001, ns: 0.000001 };

const KNOWN = new Set([
  "spec",
  "where",
  "node",
  "key",
  "time",
  "timeUnit",
  "hlc",
  "action",
  "actions",
  "args",
  "state",
  "seq",
  "stamp",
  "sends",
  "receives",
  "comment",
]);

type Json = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function pathOf(v: unknown, at: string): FieldPath {
  if (typeof v === "string" && v.length > 0) return v.split(".");
  if (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && s !== "")) {
    return v as string[];
  }
  throw new MappingError(at, `expected a field path (a non-empty string or array of strings)`);
}

function valueOf(v: unknown, at: string): ValueSource {
  if (v === "$file") return { kind: "file" };
  if (isObject(v) && "const" in v) {
    if (typeof v.const !== "string") throw new MappingError(at, "'const' must be a string");
    return { kind: "const", value: v.const };
  }
  return { kind: "path", path: pathOf(v, at) };
}

function recordOf(v: unknown, at: string): RecordSource {
  if (isObject(v)) {
    const fields = new Map<string, FieldPath>();
    for (const [name, p] of Object.entries(v)) fields.set(name, pathOf(p, `${at}.${name}`));
    return { kind: "fields", fields };
  }
  return { kind: "object", path: pathOf(v, at) };
}

function timeOf(m: Json, at: string): TimeSource {
  if (m.hlc !== undefined) {
    if (isObject(m.hlc)) {
      return {
        kind: "hlc",
        wall: pathOf(m.hlc.wall, `${at}hlc.wall`),
        logical: pathOf(m.hlc.logical, `${at}hlc.logical`),
      };
    }
    return { kind: "stamp", path: pathOf(m.hlc, `${at}hlc`) };
  }
  if (m.time === undefined) throw new MappingError(`${at}time`, "a 'time' or an 'hlc' is required");
  const unit = m.timeUnit ?? "ms";
  const msPerUnit = typeof unit === "string" ? UNITS[unit] : undefined;
  if (msPerUnit === undefined) {
    throw new MappingError(`${at}timeUnit`, `expected 's', 'ms', 'us' or 'ns', got '${unit}'`);
  }
  return { kind: "time", path: pathOf(m.time, `${at}time`), msPerUnit };
}

function whereOf(v: unknown, at: string): LineMapping["where"] {
  if (v === undefined) return [];
  if (!isObject(v)) throw new MappingError(at, "expected an object of path: value(s)");
  return Object.entries(v).map(([p, x]) => ({
    path: pathOf(p, `${at}.${p}`),
    values: Array.isArray(x) ? x : [x],
  }));
}

function actionsOf(v: unknown, at: string): Map<string, string> {
  if (v === undefined) return new Map();
  if (!isObject(v)) throw new MappingError(at, "expected an object of log name: spec action");
  const out = new Map<string, string>();
  for (const [from, to] of Object.entries(v)) {
    if (typeof to !== "string") throw new MappingError(`${at}.${from}`, "expected a string");
    out.set(from, to);
  }
  return out;
}

function lineMapping(m: unknown, at: string): LineMapping {
  if (!isObject(m)) throw new MappingError(at || "(root)", "expected an object");
  const unknown = Object.keys(m).find((k) => !KNOWN.has(k));
  if (unknown !== undefined) throw new MappingError(`${at}${unknown}`, "unknown field");
  if (m.spec !== undefined && typeof m.spec !== "string") {
    throw new MappingError(`${at}spec`, "expected a spec name");
  }
  if (m.node === undefined) throw new MappingError(`${at}node`, "required");
  if (m.key === undefined) throw new MappingError(`${at}key`, "required");
  if (m.action === undefined) throw new MappingError(`${at}action`, "required");
  return {
    spec: m.spec,
    where: whereOf(m.where, `${at}where`),
    node: valueOf(m.node, `${at}node`),
    key: valueOf(m.key, `${at}key`),
    time: timeOf(m, at),
    action: pathOf(m.action, `${at}action`),
    actions: actionsOf(m.actions, `${at}actions`),
    args: m.args === undefined ? undefined : recordOf(m.args, `${at}args`),
    state: m.state === undefined ? undefined : recordOf(m.state, `${at}state`),
    seq: m.seq === undefined ? undefined : pathOf(m.seq, `${at}seq`),
    stamp: m.stamp === undefined ? undefined : pathOf(m.stamp, `${at}stamp`),
    sends: m.sends === undefined ? undefined : pathOf(m.sends, `${at}sends`),
    receives: m.receives === undefined ? undefined : pathOf(m.receives, `${at}receives`),
  };
}

function topLevelOf(m: LineMapping, out: Set<string>): void {
  const add = (p: FieldPath | undefined) => p !== undefined && out.add(p[0]!);
  const addValue = (v: ValueSource) => v.kind === "path" && add(v.path);
  const addRecord = (r: RecordSource | undefined) => {
    if (r?.kind === "object") add(r.path);
    else if (r?.kind === "fields") { for (const p of r.fields.values()) add(p); }
  };
  for (const w of m.where) add(w.path);
  addValue(m.node);
  addValue(m.key);
  if (m.time.kind === "hlc") add(m.time.wall), add(m.time.logical);
  else add(m.time.path);
  add(m.action);
  addRecord(m.args);
  addRecord(m.state);
  add(m.seq);
  add(m.stamp);
  add(m.sends);
  add(m.receives);
}

/**
 * Validates a parsed mapping file: one line mapping, or `{ "mappings": [...] }`
 * (the first whose `where` matches a line applies).
 *
 * @throws {MappingError} Naming the first invalid field.
 *
 * @example Map lease transitions
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMapping } from "./mapping.ts";
 * const m = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * assert.deepEqual([...m.topLevel], ["host", "lock", "ts", "event", "args"]);
 * ```
 */
export function parseMapping(json: unknown): Mapping {
  const many = isObject(json) && "mappings" in json;
  const list = many ? json.mappings : [json];
  if (!Array.isArray(list) || list.length === 0) {
    throw new MappingError("mappings", "expected a non-empty array of line mappings");
  }
  const mappings = list.map((m, i) => lineMapping(m, many ? `mappings[${i}].` : ""));
  const topLevel = new Set<string>();
  for (const m of mappings) topLevelOf(m, topLevel);
  return { mappings, topLevel };
}

/**
 * Reads a field path from a parsed line; `undefined` when a segment is missing.
 *
 * @example Read a nested field
 * ```ts
 * import assert from "node:assert/strict";
 * import { getPath } from "./mapping.ts";
 * assert.equal(getPath({ ctx: { lock: "l1" } }, ["ctx", "lock"]), "l1");
 * assert.equal(getPath({ ctx: "flat" }, ["ctx", "lock"]), undefined);
 * ```
 */
export function getPath(obj: unknown, path: FieldPath): unknown {
  let v = obj;
  for (let i = 0; i < path.length; i++) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[path[i]!];
  }
  return v;
}

/**
 * Formats a path for messages: `ctx.lock`.
 *
 * @example Show a path
 * ```ts
 * import assert from "node:assert/strict";
 * import { showPath } from "./mapping.ts";
 * assert.equal(showPath(["ctx", "lock"]), "ctx.lock");
 * ```
 */
export function showPath(path: FieldPath): string {
  return path.join(".");
}
