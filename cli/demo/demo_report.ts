/**
 * What `vigil demo` prints: the progress line (events/s, nodes, partitions,
 * violations) and an alert with its counterexample (the invariant and its
 * spec lines, each node's state in the cut, the merged events that led
 * there with their hybrid logical clocks). Pure formatting over the
 * collector's JSON shapes.
 *
 * @module
 */
import type { CutEntry, EventInfo, Hlc, PartitionInfo, Violation } from "../../edge/mod.ts";

/** What one progress line shows. */
export interface Progress {
  readonly elapsedMs: number;
  readonly nodes: number;
  readonly partitions: readonly PartitionInfo[];
  /** Events per second since the previous line. */
  readonly rate: number;
  readonly events: number;
  readonly violations: number;
}

const ITEM_START = /^\s*(spec|const|type|state|init|action|invariant|global|liveness)\b/;

const int = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Formats one progress line.
 *
 * @example A progress line
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProgress } from "./demo_report.ts";
 * const line = formatProgress({ elapsedMs: 3_000, nodes: 3, partitions: [], rate: 1_500, events: 4_200, violations: 0 });
 * assert.ok(line.includes("1,500 events/s"));
 * ```
 */
export function formatProgress(p: Progress): string {
  const count = (s: PartitionInfo["status"]) => p.partitions.filter((x) => x.status === s).length;
  const parts = `${p.partitions.length} partitions (${count("ok")} ok, ${
    count("violated")
  } violated, ${count("unknown")} unknown)`;
  const t = (p.elapsedMs / 1000).toFixed(1).padStart(5);
  return `[${t}s] ${int(p.rate)} events/s · ${
    int(p.events)
  } events · ${p.nodes} nodes · ${parts} · ${
    p.violations === 1 ? "1 violation" : `${p.violations} violations`
  }`;
}

/** A hybrid logical time as `HH:MM:SS.mmm+logical` (UTC time of day of the wall part). */
export function formatHlc(h: Hlc): string {
  return `${new Date(h.wall).toISOString().slice(11, 23)}+${h.logical}`;
}

function value(v: unknown): string {
  if (v !== null && typeof v === "object") {
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    return `{${entries.map(([k, x]) => `${k}: ${value(x)}`).join(", ")}}`;
  }
  return String(v);
}

/** A state view as `mode=held owner=1 token=3 granted={...}`. */
export function formatState(state: Readonly<Record<string, unknown>>): string {
  return Object.entries(state).map(([k, v]) => `${k}=${value(v)}`).join(" ");
}

function call(e: EventInfo): string {
  return `${e.action}(${Object.entries(e.args).map(([k, v]) => `${k}=${value(v)}`).join(", ")})`;
}

/** The spec lines of the item starting at `line` (1-based), with line numbers. */
export function specExcerpt(source: string, line: number, maxLines = 4): string[] {
  const lines = source.split("\n");
  const out: string[] = [];
  for (let i = line - 1; i < lines.length && out.length < maxLines; i++) {
    const text = lines[i]!;
    if (i > line - 1 && (text.trim() === "" || ITEM_START.test(text))) break;
    out.push(`${String(i + 1).padStart(4)} | ${text}`);
  }
  return out;
}

function cutLine(c: CutEntry, involved: boolean, width: number): string {
  const mark = involved ? "*" : " ";
  return `  ${mark} ${c.node.padEnd(width)}  seq ${String(c.seq).padEnd(6)} hlc ${formatHlc(c)}  ${
    formatState(c.state)
  }`;
}

function eventLine(e: EventInfo, width: number, last: boolean): string {
  const verdict = e.verdict === "ok" ? "" : ` [${e.verdict}]`;
  const late = e.late ? " (late)" : "";
  return `    ${e.node.padEnd(width)}  #${String(e.seq).padEnd(6)} ${call(e).padEnd(16)} hlc ${
    formatHlc(e)
  }${verdict}${late}${last ? "   <- the invariant fails here" : ""}`;
}

/** The events of a causal verdict's evidence, merged time order, with the messages that order them. */
function evidenceLines(c: NonNullable<Violation["causal"]>, width: number): string[] {
  const from = new Map<number, number[]>();
  for (const m of c.messages) from.set(m.to, [...(from.get(m.to) ?? []), m.from]);
  const label = (i: number) => {
    const e = c.events[i];
    return e === undefined ? `#${i}` : `${e.node} #${e.seq}`;
  };
  return [
    "  events around the violating cut (merged time order; > starts a state in the cut,",
    "  ~ concurrent with every other node's state in the cut, <- a message ordered it after):",
    ...c.events.map((e) => {
      const mark = e.inCut ? ">" : e.concurrent ? "~" : " ";
      const after = (from.get(e.index) ?? []).map(label);
      return `  ${mark} ${e.node.padEnd(width)}  #${String(e.seq).padEnd(6)} ${
        e.action.padEnd(16)
      } hlc ${formatHlc(e.at)}${after.length > 0 ? `  <- ${after.join(", ")}` : ""}`;
    }),
  ];
}

/** Options of {@link formatAlert}. */
export interface AlertOptions {
  /** The spec's source text (for its lines). */
  readonly source: string;
  /** The spec's path as shown, e.g. `specs/lease.vigil`. */
  readonly file: string;
  /** Events of the history shown at most (the newest). Default 10. */
  readonly maxEvents?: number;
  /** The dashboard's address (ends with `/`): the alert links its space-time diagram. */
  readonly dashboard?: string;
}

/** What a causal verdict means, in one line. */
function causalLine(v: Violation, o: AlertOptions): string[] {
  const c = v.causal;
  if (c === undefined) return [];
  const meaning = c.verdict === "definitely"
    ? "every ordering the recorded causality allows passes through the violating cut"
    : "some ordering the recorded causality allows passes through the violating cut";
  const concurrent = c.events.filter((e) => e.concurrent && e.inCut).map((e) => e.node);
  return [
    `  causal verdict: ${c.verdict} violated (${meaning}; clocks within ${c.maxSkewMs} ms)`,
    ...(concurrent.length > 1
      ? [`  no message orders the holds of ${concurrent.join(" and ")}: they are concurrent`]
      : []),
    ...(o.dashboard === undefined ? [] : [
      `  space-time diagram: ${o.dashboard}api/violations/${encodeURIComponent(v.id)}/diagram.svg`,
    ]),
    "",
  ];
}

/**
 * Formats a violation as the demo prints it.
 *
 * @example Print an alert
 * ```ts ignore
 * console.log(formatAlert(violation, { source, file: "specs/lease.vigil" }));
 * ```
 */
export function formatAlert(v: Violation, o: AlertOptions): string {
  const p = v.property;
  const width = Math.max(4, ...v.cut.map((c) => c.node.length));
  const shown = v.history.slice(-(o.maxEvents ?? 10));
  const earlier = v.history.length - shown.length;
  const rule = "=".repeat(78);
  return [
    rule,
    `ALERT  ${p.item} ${p.name} violated in '${v.partition}' by ${v.nodes.join(", ")}`,
    rule,
    `  ${v.message}`,
    "",
    ...causalLine(v, o),
    `  spec  ${o.file}:${p.line}:${p.column}`,
    ...specExcerpt(o.source, p.line),
    "",
    `  nodes' states at the violation (* = involved)${
      v.incomplete ? "; INCOMPLETE: a stream had a hole" : ""
    }:`,
    ...v.cut.map((c) => cutLine(c, v.nodes.includes(c.node), width)),
    "",
    ...(v.causal === undefined
      ? [
        `  events that led there (merged in causal order, oldest first${
          earlier > 0 ? `; ${earlier} earlier not shown` : ""
        }):`,
        ...shown.map((e, i) => eventLine(e, width, i === shown.length - 1)),
      ]
      : evidenceLines(v.causal, width)),
    rule,
  ].join("\n");
}
