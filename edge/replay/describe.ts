/**
 * Turns what the checks found into {@link ReplayViolation}s that point at
 * log lines: a local violation with the instance's previous lines, a global
 * one with the partition's merged history and cut, each event resolved
 * through its node stream's side table to (file, line).
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import { VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";
import type { EventInfo, Violation } from "../engine/types.ts";
import type { ReplayEvent } from "./extract.ts";
import type { Instance, NodeStream } from "./log_streams.ts";
import type { Timeout } from "./local_liveness.ts";
import type {
  LineRef,
  ReplayCutEntry,
  ReplayDivergence,
  ReplayLine,
  ReplayViolation,
} from "./report_types.ts";

/** What a local check found. */
export interface LocalFacts {
  /** The verdict code, or `VERDICT_DIVERGENCE`. */
  readonly code: number;
  readonly divergences: readonly ReplayDivergence[];
  /** The slots before the step, or null: the instance's current state (a refused step changed nothing). */
  readonly before: readonly bigint[] | null;
}

/** Converts bigints (ints beyond 2^53) to decimal strings so a view is JSON. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v !== null && typeof v === "object") {
    // From entries: a key named `__proto__` (a spec name) stays an own key.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  }
  return v;
}

function ref(files: readonly string[], st: NodeStream | undefined, seq: number): LineRef | null {
  const at = st?.lineOf(seq);
  return at === undefined ? null : { file: files[at.file] ?? `#${at.file}`, line: at.line };
}

function argsOf(ev: ReplayEvent): Record<string, unknown> {
  const meta = ev.spec.compiled.meta.actions[ev.action]!;
  // From entries: a parameter named `__proto__` stays an own key.
  return Object.fromEntries(meta.params.map((p, i) => {
    const v = ev.args[i];
    const value = p.type.kind === "enum"
      ? p.type.labels[v ?? -1] ?? v
      : p.type.kind === "bool"
      ? v !== 0
      : v;
    return [p.name, value];
  }));
}

/**
 * Describes a local violation (a refused step or a divergence) of one instance.
 *
 * @example Print a local violation
 * ```ts ignore
 * const v = describeLocal(ev, stream, inst, seq, facts, files);
 * console.log(v.message, v.at);
 * ```
 */
export function describeLocal(
  ev: ReplayEvent,
  st: NodeStream,
  inst: Instance,
  seq: number,
  f: LocalFacts,
  files: readonly string[],
): ReplayViolation {
  const c = st.spec.compiled;
  const action = c.meta.actions[ev.action]!;
  const div = f.code === VERDICT_DIVERGENCE;
  const v = div ? null : c.verdict(f.code);
  const property = v === null
    ? {
      item: `action ${action.name}`,
      detail: f.divergences.map((d) => d.variable).join(", "),
      line: action.range.line,
      column: action.range.column,
    }
    : { item: v.item, detail: v.detail, line: v.line, column: v.column };
  const at = ref(files, st, seq)!;
  const args = argsOf(ev);
  const lines: ReplayLine[] = st.recentOf(inst).map((s) => ({
    ...ref(files, st, s)!,
    node: st.node,
    seq: s,
  }));
  lines[lines.length - 1] = {
    ...at,
    node: st.node,
    seq,
    action: action.name,
    args,
    verdict: div ? "divergence" : v!.kind,
    wall: ev.wall,
    logical: ev.logical,
    late: ev.late,
  };
  const kind = div ? "divergence" : v!.kind;
  const shownArgs = Object.entries(args).map(([k, x]) => `${k}: ${String(x)}`).join(", ");
  const what = div
    ? `divergence after action ${action.name}: ${
      f.divergences.map((d) =>
        `${d.variable} expected ${show(d.expected)}, observed ${show(d.actual)}`
      )
        .join("; ")
    }`
    : `${kind} in ${property.item}: ${property.detail}`;
  const before = f.before === null ? c.readSlots(inst.index) : f.before;
  return {
    scope: "local",
    kind,
    specName: c.meta.name,
    key: ev.key,
    nodes: [st.node],
    property,
    message:
      `${c.meta.name}: ${what} (line ${property.line}:${property.column}) on '${st.node}' key '${ev.key}' at ${at.file}:${at.line}: ${action.name}(${shownArgs})`,
    at,
    lines,
    ...(div ? { divergences: f.divergences.map((d) => jsonValue(d) as ReplayDivergence) } : {}),
    before: jsonValue(c.view(before)) as StateView,
    outOfWindow: ev.late,
    incomplete: st.hasHole(ev.key),
  };
}

function show(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  return JSON.stringify(jsonValue(v));
}

/**
 * Describes a collector violation with the log lines of its history and cut.
 *
 * @example Print the lines of a global violation
 * ```ts ignore
 * const v = describeGlobal(violation, (node) => streams.get(node), files);
 * for (const l of v.lines) console.log(`${l.file}:${l.line}`, l.node, l.action);
 * ```
 */
export function describeGlobal(
  v: Violation,
  streamOf: (node: string) => NodeStream | undefined,
  files: readonly string[],
): ReplayViolation {
  // The collector numbers the events it was fed; in a shard that is not every step of the node.
  const seqOf = (node: string, fed: number) => streamOf(node)?.seqOfFed(fed) ?? fed;
  const line = (e: EventInfo): ReplayLine => {
    const seq = seqOf(e.node, e.seq);
    const at = ref(files, streamOf(e.node), seq) ?? { file: "?", line: 0 };
    return {
      ...at,
      node: e.node,
      seq,
      action: e.action,
      args: e.args,
      verdict: e.verdict,
      wall: e.wall,
      logical: e.logical,
      late: e.late,
    };
  };
  const lines = v.history.map(line);
  const last = v.kind === "invariant" ? lines[lines.length - 1] : undefined;
  const cut: ReplayCutEntry[] = v.cut.map((c) => {
    const seq = seqOf(c.node, c.seq);
    const lastEvents = c.lastEvents.map((e) => ({ ...e, seq: seqOf(e.node, e.seq) }));
    return { ...c, seq, lastEvents, at: ref(files, streamOf(c.node), seq) };
  });
  const holes = v.cut.some((c) => streamOf(c.node)?.hasHole(v.partition) ?? false);
  const where = last === undefined ? "" : ` at ${last.file}:${last.line}`;
  return {
    scope: "global",
    kind: v.kind,
    specName: v.specName,
    key: v.partition,
    nodes: v.nodes,
    property: {
      item: `${v.property.item} ${v.property.name}`,
      detail: v.property.detail,
      line: v.property.line,
      column: v.property.column,
    },
    message: `${v.message}${where}`,
    at: last === undefined ? null : { file: last.file, line: last.line },
    lines,
    cut,
    outOfWindow: last?.late ?? false,
    incomplete: v.incomplete || holes,
    id: v.id,
    ...(v.causal === undefined ? {} : { causal: v.causal }),
  };
}

/**
 * Describes a local liveness timeout: the line that opened the obligation
 * and the line that found it late (`seq` -1: the end of the logs).
 *
 * @example Print a timeout
 * ```ts ignore
 * console.log(describeTimeout(stream, inst, timeout, seq, files).message);
 * ```
 */
export function describeTimeout(
  st: NodeStream,
  inst: Instance,
  t: Timeout,
  seq: number,
  files: readonly string[],
): ReplayViolation {
  const name = st.spec.compiled.meta.name;
  const opened = ref(files, st, t.openedBy);
  const at = seq < 0 ? null : ref(files, st, seq);
  const lines: ReplayLine[] = [];
  if (opened !== null) lines.push({ ...opened, node: st.node, seq: t.openedBy });
  if (at !== null) lines.push({ ...at, node: st.node, seq });
  const where = at === null ? "by the end of the logs" : `at ${at.file}:${at.line}`;
  const from = opened === null ? "" : ` (obligation from ${opened.file}:${opened.line})`;
  return {
    scope: "local",
    kind: "liveness_timeout",
    specName: name,
    key: inst.key,
    nodes: [st.node],
    property: {
      item: `liveness ${t.item.name}`,
      detail: `eventually within ${t.item.withinMs} ms`,
      line: t.item.line,
      column: t.item.column,
    },
    message: `${name}: liveness ${t.item.name} (line ${t.item.line}:${t.item.column}) timed out ` +
      `on '${st.node}' key '${inst.key}' ${where}: deadline ${t.deadline}${from}`,
    at,
    lines,
    outOfWindow: false,
    incomplete: st.hasHole(inst.key),
  };
}
