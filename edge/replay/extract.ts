/**
 * Applying a mapping to one log line: the parsed line becomes a
 * {@link ReplayEvent} (spec, node, key, time, action index, encoded
 * arguments, observed state, the dependencies it received), is filtered
 * out by the mapping's `where`, or
 * is unmapped with a reason a person can act on (`missing field 'ts'`,
 * `unknown action 'frobnicate' of spec 'Lease'`).
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import {
  getPath,
  type LineMapping,
  type Mapping,
  MappingError,
  type ValueSource,
} from "./mapping.ts";
import { scanFields } from "./scan.ts";
import { FastLineMapper } from "./fast_extract.ts";
import { KeyTable } from "./key_table.ts";
import { messageIds, stampDependencies } from "./dependencies.ts";
import type { EventDependency } from "../../lib/wire/event.ts";
import type { ReplaySpec } from "./replay_spec.ts";
import type { RawLine } from "./reader.ts";
import { encode, missing, recordOf, timeOf } from "./values.ts";

/** A mapped line: one step of one instance. */
export interface ReplayEvent {
  readonly wall: number;
  readonly logical: number;
  readonly file: number;
  readonly line: number;
  readonly spec: ReplaySpec;
  readonly node: string;
  readonly key: string;
  readonly action: number;
  readonly args: number[];
  readonly observed: StateView | null;
  /** The log's own per-node sequence number, or -1. */
  readonly logSeq: number;
  /** Dependencies from the stamps it received (`stamp`), or null. */
  readonly deps: readonly EventDependency[] | null;
  /** Ids of the messages it sent (`sends`), or null. */
  readonly sends: readonly string[] | null;
  /** Ids of the messages it received (`receives`), or null. */
  readonly receives: readonly string[] | null;
  /** Set when it arrived older than the window allows (processed out of order). */
  late: boolean;
}

/** A line that could not be mapped; `spec`/`node`/`key` when they could be read (the hole's owner). */
export interface Unmapped {
  readonly reason: string;
  readonly spec?: ReplaySpec;
  readonly node?: string;
  readonly key?: string;
}

/** Marks a line the mapping's `where` excludes. */
export const FILTERED = "filtered";

/** A line mapping bound to its spec. */
interface Bound {
  readonly m: LineMapping;
  readonly spec: ReplaySpec;
}

/**
 * Binds each line mapping to its spec; throws `MappingError` for an unknown
 * spec name, or a missing name when several specs are served.
 *
 * @example Bind
 * ```ts ignore
 * const ex = new LineExtractor(parseMapping(json), replaySpecs(specs), ["logs/api-1.ndjson"]);
 * ```
 */
export class LineExtractor {
  readonly #bound: readonly Bound[];
  readonly #keys: readonly string[];
  readonly #fileNodes: readonly string[];
  readonly #time = { wall: 0, logical: 0 };
  /** Every key read, interned (see `key_table.ts`). */
  readonly #internedKeys = new KeyTable();
  /** The fast path for plain lines of a plain mapping, or null. */
  readonly #fast: FastLineMapper | null;

  /** Binds the mapping to the specs; `files` name the sources (for `$file` nodes). */
  constructor(mapping: Mapping, specs: readonly ReplaySpec[], files: readonly string[]) {
    this.#bound = mapping.mappings.map((m, i) => ({ m, spec: pickSpec(m, specs, i) }));
    this.#keys = [...mapping.topLevel];
    this.#fileNodes = files.map((f) => f.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, ""));
    this.#fast = FastLineMapper.of(mapping, { specs, files, keys: this.#internedKeys });
  }

  /** Maps one line: an event, {@link FILTERED}, or an unmapped reason. */
  map(line: string, file: number, lineNo: number): ReplayEvent | Unmapped | typeof FILTERED {
    if (this.#fast !== null) {
      const ev = this.#fast.map(line, file, lineNo);
      if (ev !== undefined) return ev === null ? FILTERED : ev;
    }
    return this.mapGenerally(line, file, lineNo);
  }

  /**
   * {@link map} for a line read as bytes (`LineReader.pullRaw`): a plain
   * line is mapped where its bytes stand, any other decoded and mapped
   * the general way.
   */
  mapRaw(raw: RawLine, file: number): ReplayEvent | Unmapped | typeof FILTERED {
    const b = raw.bytes;
    if (b === null) return this.map(raw.text(), file, raw.number);
    if (this.#fast !== null) {
      const ev = this.#fast.mapLine(raw, file);
      if (ev !== undefined) return ev === null ? FILTERED : ev;
    }
    return this.mapGenerally(raw.text(), file, raw.number);
  }

  /** {@link map} without the fast path for plain lines (what the fast path is checked against). */
  mapGenerally(
    line: string,
    file: number,
    lineNo: number,
  ): ReplayEvent | Unmapped | typeof FILTERED {
    let root: unknown = scanFields(line, this.#keys);
    if (root === null) {
      try {
        root = JSON.parse(line);
      } catch (e) {
        return unmapped(`invalid JSON: ${(e as Error).message}`);
      }
      if (typeof root !== "object" || root === null || Array.isArray(root)) {
        return unmapped("not a JSON object");
      }
    }
    const b = this.#match(root);
    if (b === undefined) return FILTERED;
    return this.#event(b, root, file, lineNo);
  }

  #match(root: unknown): Bound | undefined {
    for (const b of this.#bound) {
      let ok = true;
      for (const w of b.m.where) {
        if (!w.values.includes(getPath(root, w.path))) {
          ok = false;
          break;
        }
      }
      if (ok) return b;
    }
    return undefined;
  }

  #event(b: Bound, root: unknown, file: number, line: number): ReplayEvent | Unmapped {
    const m = b.m;
    const spec = b.spec;
    const node = this.#name(m.node, root, file, "node");
    if (typeof node !== "string") return node;
    const named = this.#name(m.key, root, file, "key");
    if (typeof named !== "string") return { ...named, spec, node };
    const key = this.#internedKeys.intern(named, 0, named.length);
    const t = this.#time;
    const bad = timeOf(m, root, t);
    if (bad !== null) return { reason: bad, spec, node, key };
    const raw = getPath(root, m.action);
    if (typeof raw !== "string") {
      return { reason: missing(m.action, raw, "a string"), spec, node, key };
    }
    const name = m.actions.get(raw) ?? raw;
    const action = spec.actions.get(name);
    if (action === undefined) {
      const shown = name === raw ? `'${raw}'` : `'${raw}' (renamed '${name}')`;
      return { reason: `unknown action ${shown} of spec '${spec.name}'`, spec, node, key };
    }
    const args = encode(spec, action, m.args, root);
    if (typeof args === "string") return { reason: args, spec, node, key };
    const observed = m.state === undefined ? null : recordOf(m.state, root);
    if (typeof observed === "string") return { reason: observed, spec, node, key };
    let logSeq = -1;
    if (m.seq !== undefined) {
      const s = getPath(root, m.seq);
      if (typeof s !== "number" || !Number.isSafeInteger(s) || s < 0) {
        return { reason: missing(m.seq, s, "a sequence number"), spec, node, key };
      }
      logSeq = s;
    }
    const deps = m.stamp === undefined ? null : stampDependencies(m.stamp, root);
    if (typeof deps === "string") return { reason: deps, spec, node, key };
    const sends = m.sends === undefined ? null : messageIds(m.sends, root);
    if (typeof sends === "string") return { reason: sends, spec, node, key };
    const receives = m.receives === undefined ? null : messageIds(m.receives, root);
    if (typeof receives === "string") return { reason: receives, spec, node, key };
    return {
      wall: t.wall,
      logical: t.logical,
      file,
      line,
      spec,
      node,
      key,
      action,
      args,
      observed,
      logSeq,
      deps,
      sends,
      receives,
      late: false,
    };
  }

  #name(v: ValueSource, root: unknown, file: number, what: string): string | Unmapped {
    if (v.kind === "const") return v.value;
    if (v.kind === "file") return this.#fileNodes[file] ?? "";
    const x = getPath(root, v.path);
    if (typeof x === "string" && x.length > 0) return x;
    if (typeof x === "number") return String(x);
    return unmapped(missing(v.path, x, `a ${what}`));
  }
}

function pickSpec(m: LineMapping, specs: readonly ReplaySpec[], i: number): ReplaySpec {
  if (m.spec === undefined) {
    if (specs.length === 1) return specs[0]!;
    const names = specs.map((s) => `'${s.name}'`).join(", ");
    throw new MappingError(`mappings[${i}].spec`, `required with several specs (${names})`);
  }
  const s = specs.find((x) => x.name === m.spec || x.compiled.meta.sourceHash === m.spec);
  if (s === undefined) throw new MappingError(`mappings[${i}].spec`, `no spec '${m.spec}' loaded`);
  return s;
}

function unmapped(reason: string): Unmapped {
  return { reason };
}
