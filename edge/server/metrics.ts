/**
 * Prometheus text exposition (format 0.0.4): counters and gauges with
 * labels, kept in a small registry and rendered on `GET /metrics`.
 *
 * @module
 */

/**
 * The content type of the Prometheus text format.
 *
 * @example The content type of /metrics
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROMETHEUS_TEXT } from "./metrics.ts";
 * assert.match(PROMETHEUS_TEXT, /^text\/plain; version=0\.0\.4/);
 * ```
 */
export const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Label names to values.
 *
 * @example A series by its labels
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry, type Labels } from "./metrics.ts";
 * const batches = createRegistry().counter("vigil_batches", "Batches");
 * const labels: Labels = { source: "http", outcome: "accepted" };
 * batches.inc(labels, 2);
 * assert.equal(batches.get(labels), 2);
 * ```
 */
export type Labels = Readonly<Record<string, string>>;

/**
 * A metric family: a name, a help line, a type and its labelled values.
 *
 * @example A family's name, help and type
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry, type Family } from "./metrics.ts";
 * const family: Family = createRegistry().gauge("vigil_buffered", "Events in the reorder window");
 * assert.deepEqual([family.name, family.type], ["vigil_buffered", "gauge"]);
 * ```
 */
export interface Family {
  /** The family's name, e.g. `vigil_batches_total`. */
  readonly name: string;
  /** The help line. */
  readonly help: string;
  /** Whether it is a counter or a gauge. */
  readonly type: "counter" | "gauge";
}

/**
 * A counter or gauge family with labelled children.
 *
 * @example A counter gets `_total`
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry, type Metric } from "./metrics.ts";
 * const counter: Metric = createRegistry().counter("vigil_batches", "Batches");
 * counter.inc();
 * assert.equal(counter.name, "vigil_batches_total");
 * assert.equal(counter.get(), 1);
 * ```
 */
export interface Metric extends Family {
  /** Adds `n` (default 1) to the series with `labels`. */
  inc(labels?: Labels, n?: number): void;
  /** Sets the series with `labels` (gauges; counters accept it for restored totals). */
  set(labels: Labels, value: number): void;
  /** The value of the series with `labels` (0 when absent). */
  get(labels?: Labels): number;
}

/**
 * A set of metric families.
 *
 * @example Render and parse the text format
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry, parsePrometheus, type Registry } from "./metrics.ts";
 * const registry: Registry = createRegistry();
 * registry.gauge("vigil_nodes", "Nodes").set({}, 3);
 * assert.deepEqual(parsePrometheus(registry.render()), [{ name: "vigil_nodes", labels: {}, value: 3 }]);
 * ```
 */
export interface Registry {
  /** A counter (`_total` is appended to its name if missing). */
  counter(name: string, help: string): Metric;
  /** A gauge. */
  gauge(name: string, help: string): Metric;
  /** Registers a callback run before each render (to refresh gauges). */
  onCollect(fn: () => void): void;
  /** The text exposition of every family. */
  render(): string;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Escapes a label value (`\`, `"` and newline).
 *
 * @example Escape quotes
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeLabel } from "./metrics.ts";
 * assert.ok(escapeLabel('a"b') === 'a\\"b');
 * ```
 */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/**
 * Keys of the label objects seen, by identity: a caller that passes the
 * same (frozen) object every time, as the ingest path does per source,
 * pays the sort and the escaping once.
 */
const labelKeys = new WeakMap<Labels, string>();

function labelKey(labels: Labels): string {
  const known = labelKeys.get(labels);
  if (known !== undefined) return known;
  const key = buildLabelKey(labels);
  if (Object.isFrozen(labels)) labelKeys.set(labels, key);
  return key;
}

function buildLabelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  for (const k of keys) if (!NAME.test(k)) throw new TypeError(`Invalid label name '${k}'`);
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",")}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function metric(name: string, help: string, type: "counter" | "gauge"): Metric & {
  lines(): string[];
} {
  if (!NAME.test(name)) throw new TypeError(`Invalid metric name '${name}'`);
  const series = new Map<string, number>();
  return {
    name,
    help,
    type,
    inc(labels = {}, n = 1) {
      const k = labelKey(labels);
      series.set(k, (series.get(k) ?? 0) + n);
    },
    set(labels, value) {
      series.set(labelKey(labels), value);
    },
    get(labels = {}) {
      return series.get(labelKey(labels)) ?? 0;
    },
    lines() {
      const out = [`# HELP ${name} ${help.replace(/\n/g, " ")}`, `# TYPE ${name} ${type}`];
      for (const [k, v] of series) out.push(`${name}${k} ${formatValue(v)}`);
      return out;
    },
  };
}

/**
 * Creates a metric registry.
 *
 * @example Count events and render
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry } from "./metrics.ts";
 * const r = createRegistry();
 * const events = r.counter("vigil_events_in", "Events received");
 * events.inc({ spec: "Lease" }, 3);
 * assert.ok(r.render().includes('vigil_events_in_total{spec="Lease"} 3'));
 * ```
 */
export function createRegistry(): Registry {
  const families: ReturnType<typeof metric>[] = [];
  const collectors: (() => void)[] = [];
  const add = (name: string, help: string, type: "counter" | "gauge") => {
    if (families.some((f) => f.name === name)) {
      throw new TypeError(`Metric '${name}' is already registered`);
    }
    const m = metric(name, help, type);
    families.push(m);
    return m;
  };
  return {
    counter: (name, help) => add(name.endsWith("_total") ? name : `${name}_total`, help, "counter"),
    gauge: (name, help) => add(name, help, "gauge"),
    onCollect(fn) {
      collectors.push(fn);
    },
    render() {
      for (const fn of collectors) fn();
      return families.flatMap((f) => f.lines()).join("\n") + "\n";
    },
  };
}

/**
 * One parsed sample of the text format.
 *
 * @example One line of the text format
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePrometheus, type Sample } from "./metrics.ts";
 * const [s]: Sample[] = parsePrometheus('vigil_batches_total{source="http"} 7\n');
 * assert.deepEqual(s, { name: "vigil_batches_total", labels: { source: "http" }, value: 7 });
 * ```
 */
export interface Sample {
  /** The metric's name. */
  readonly name: string;
  /** Its labels. */
  readonly labels: Labels;
  /** Its value. */
  readonly value: number;
}

/**
 * Parses the sample lines of a text exposition (for tests and tools);
 * throws `SyntaxError` on a line that is not a comment, blank or sample.
 *
 * @example Parse one sample
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePrometheus } from "./metrics.ts";
 * const [s] = parsePrometheus('x_total{a="b"} 2\n');
 * assert.ok(s?.value === 2 && s.labels.a === "b");
 * ```
 */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/;
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = sample.exec(line);
    if (m === null) throw new SyntaxError(`Not a sample line '${line}'`);
    const labels: Record<string, string> = {};
    const body = m[3] ?? "";
    label.lastIndex = 0;
    while (label.lastIndex < body.length) {
      const l = label.exec(body);
      if (l === null) throw new SyntaxError(`Bad labels in '${line}'`);
      labels[l[1]!] = l[2]!.replace(/\\n/g, "\n").replace(/\\(.)/g, "$1");
    }
    const raw = m[4]!;
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== "NaN") throw new SyntaxError(`Bad value in '${line}'`);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}
