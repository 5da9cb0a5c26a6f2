/**
 * Prometheus text exposition (format 0.0.4): counters, gauges and
 * histograms with labels, kept in a small registry and rendered on
 * `GET /metrics`. A histogram (`histogram.ts`) is rendered as its
 * cumulative `<name>_bucket{le="..."}` series up to `le="+Inf"`, then
 * `<name>_sum` and `<name>_count`.
 *
 * @module
 */
import { HistogramCounts, type HistogramSnapshot } from "./histogram.ts";
export type { HistogramSnapshot };

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
  /** Whether it is a counter, a gauge or a histogram. */
  readonly type: "counter" | "gauge" | "histogram";
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
  /** A counter or a gauge. */
  readonly type: "counter" | "gauge";
  /** Adds `n` (default 1) to the series with `labels`. */
  inc(labels?: Labels, n?: number): void;
  /** Sets the series with `labels` (gauges; counters accept it for restored totals). */
  set(labels: Labels, value: number): void;
  /** The value of the series with `labels` (0 when absent). */
  get(labels?: Labels): number;
}

/**
 * A histogram family with labelled children, each counting observations
 * into the family's buckets.
 *
 * @example Observe, then read the counts back
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry, type HistogramMetric } from "./metrics.ts";
 * const h: HistogramMetric = createRegistry().histogram("vigil_wait_seconds", "Waits", [0.5, 1]);
 * h.observe(0.7);
 * assert.deepEqual(h.get()?.cumulative, [0, 1]);
 * ```
 */
export interface HistogramMetric extends Family {
  /** Always `histogram`. */
  readonly type: "histogram";
  /** The buckets' upper bounds (`+Inf` implied). */
  readonly bounds: readonly number[];
  /** Counts `value` in the series with `labels` (`RangeError` on NaN). */
  observe(value: number, labels?: Labels): void;
  /**
   * Replaces the series with `labels` by counts kept elsewhere (read at
   * collection); `RangeError` when their bounds are not the family's.
   */
  set(labels: Labels, counts: HistogramSnapshot): void;
  /** The counts of the series with `labels`, or `undefined` when absent. */
  get(labels?: Labels): HistogramSnapshot | undefined;
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
  /**
   * A histogram with buckets of these upper bounds (finite, increasing; `+Inf` is added).
   * Its series may not use the label `le`.
   */
  histogram(name: string, help: string, bounds: readonly number[]): HistogramMetric;
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

function histogram(name: string, help: string, bounds: readonly number[]): HistogramMetric & {
  lines(): string[];
} {
  if (!NAME.test(name)) throw new TypeError(`Invalid metric name '${name}'`);
  const model = new HistogramCounts(bounds);
  const fixed = model.bounds;
  const les = fixed.map((b) => formatValue(b));
  const series = new Map<string, HistogramCounts | HistogramSnapshot>();
  const keyOf = (labels: Labels) => {
    if ("le" in labels) {
      throw new TypeError(`Histogram '${name}' cannot take the label 'le' (it names its buckets)`);
    }
    return labelKey(labels);
  };
  const withLe = (key: string, le: string) =>
    key === "" ? `{le="${le}"}` : `${key.slice(0, -1)},le="${le}"}`;
  return {
    name,
    help,
    type: "histogram",
    bounds: fixed,
    observe(value, labels = {}) {
      const k = keyOf(labels);
      let h = series.get(k);
      if (h === undefined) series.set(k, h = new HistogramCounts(fixed));
      if (!(h instanceof HistogramCounts)) {
        throw new TypeError(`Histogram '${name}' series ${k || "{}"} is set, not observed`);
      }
      h.observe(value);
    },
    set(labels, counts) {
      const same = counts.bounds.length === fixed.length &&
        counts.bounds.every((b, i) => b === fixed[i]) &&
        counts.cumulative.length === fixed.length;
      if (!same) {
        throw new RangeError(
          `Histogram '${name}' has bounds [${fixed.join(", ")}], not [${counts.bounds.join(", ")}]`,
        );
      }
      series.set(keyOf(labels), counts);
    },
    get(labels = {}) {
      const h = series.get(keyOf(labels));
      return h instanceof HistogramCounts ? h.snapshot() : h;
    },
    lines() {
      const out = [`# HELP ${name} ${help.replace(/\n/g, " ")}`, `# TYPE ${name} histogram`];
      for (const [k, h] of series) {
        const s = h instanceof HistogramCounts ? h.snapshot() : h;
        for (let i = 0; i < les.length; i++) {
          out.push(`${name}_bucket${withLe(k, les[i]!)} ${formatValue(s.cumulative[i]!)}`);
        }
        out.push(`${name}_bucket${withLe(k, "+Inf")} ${formatValue(s.count)}`);
        out.push(`${name}_sum${k} ${formatValue(s.sum)}`);
        out.push(`${name}_count${k} ${formatValue(s.count)}`);
      }
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
  const families: { readonly name: string; lines(): string[] }[] = [];
  const collectors: (() => void)[] = [];
  const check = (name: string) => {
    if (families.some((f) => f.name === name)) {
      throw new TypeError(`Metric '${name}' is already registered`);
    }
  };
  const add = (name: string, help: string, type: "counter" | "gauge") => {
    check(name);
    const m = metric(name, help, type);
    families.push(m);
    return m;
  };
  return {
    counter: (name, help) => add(name.endsWith("_total") ? name : `${name}_total`, help, "counter"),
    gauge: (name, help) => add(name, help, "gauge"),
    histogram(name, help, bounds) {
      check(name);
      const h = histogram(name, help, bounds);
      families.push(h);
      return h;
    },
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

/**
 * Reads one histogram series back from parsed samples (for tests and
 * tools): its `<name>_bucket` samples with `labels` plus `le`, `<name>_sum`
 * and `<name>_count`. Throws `SyntaxError` when the series breaks the text
 * format's rules: a bucket bound that is not a number, bounds not
 * increasing, counts not cumulative, no `le="+Inf"` bucket or not last,
 * or a `_count` other than the `+Inf` bucket; `undefined` when absent.
 *
 * @example Render a histogram and read it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry, parsePrometheus, readHistogram } from "./metrics.ts";
 * const r = createRegistry();
 * r.histogram("vigil_wait_seconds", "Waits", [0.5, 1]).observe(0.7, { member: "a" });
 * const h = readHistogram(parsePrometheus(r.render()), "vigil_wait_seconds", { member: "a" });
 * assert.deepEqual(h, { bounds: [0.5, 1], cumulative: [0, 1], sum: 0.7, count: 1 });
 * ```
 */
export function readHistogram(
  samples: readonly Sample[],
  name: string,
  labels: Labels = {},
): HistogramSnapshot | undefined {
  const keys = Object.keys(labels);
  const matches = (s: Sample, extra: number) =>
    Object.keys(s.labels).length === keys.length + extra &&
    keys.every((k) => s.labels[k] === labels[k]);
  const buckets = samples.filter((s) =>
    s.name === `${name}_bucket` && s.labels.le !== undefined && matches(s, 1)
  );
  const sum = samples.find((s) => s.name === `${name}_sum` && matches(s, 0));
  const count = samples.find((s) => s.name === `${name}_count` && matches(s, 0));
  if (buckets.length === 0 && sum === undefined && count === undefined) return undefined;
  const where = `histogram '${name}'${keys.length === 0 ? "" : ` ${JSON.stringify(labels)}`}`;
  if (sum === undefined || count === undefined) {
    throw new SyntaxError(`The ${where} lacks its _sum or _count`);
  }
  const last = buckets.at(-1);
  if (last === undefined || last.labels.le !== "+Inf") {
    throw new SyntaxError(`The ${where} does not end with a bucket le="+Inf"`);
  }
  const bounds: number[] = [];
  const cumulative: number[] = [];
  let before = 0;
  for (const [i, b] of buckets.entries()) {
    const le = b.labels.le!;
    const bound = le === "+Inf" ? Infinity : Number(le);
    if (le.trim() === "" || Number.isNaN(bound)) {
      throw new SyntaxError(`The ${where} has a bucket le="${le}", not a number`);
    }
    if (i > 0 && bound <= bounds[i - 1]!) {
      throw new SyntaxError(`The ${where} has bucket le="${le}" after a bound not below it`);
    }
    if (b.value < before) {
      throw new SyntaxError(
        `The ${where} has ${b.value} at le="${le}", below the ${before} of the bucket before: ` +
          `buckets are cumulative`,
      );
    }
    if (le === "+Inf" && i !== buckets.length - 1) {
      throw new SyntaxError(`The ${where} has a bucket after le="+Inf"`);
    }
    before = b.value;
    if (le !== "+Inf") {
      bounds.push(bound);
      cumulative.push(b.value);
    }
  }
  if (count.value !== last.value) {
    throw new SyntaxError(
      `The ${where} counts ${count.value} in _count but ${last.value} in its le="+Inf" bucket`,
    );
  }
  return { bounds, cumulative, sum: sum.value, count: count.value };
}
