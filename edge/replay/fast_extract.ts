/**
 * The fast path of mapping a line, for the common mapping (one line
 * mapping, every field read at the top level, a numeric time, arguments
 * in one flat object, no observed state or causality fields): one pass
 * finds where the mapping's fields are (`scanRanges`), and the values are
 * read in place, with no object per line: the `where` values, the action
 * and enum arguments compared where they stand, numbers parsed where they
 * stand, the node's string reused while a file keeps naming the same
 * node, the key interned (`key_table.ts`) straight from the line.
 *
 * It maps a line only when everything is plain (each field present and of
 * the expected kind, the action and every argument known); anything else
 * (a missing field, a number as a node, a numeric string, an unknown
 * action, a nested argument, a value the field scanner would refuse) is
 * left to the general path (`extract.ts`), which maps it or says why it
 * cannot. So both paths agree on every line the fast one maps
 * (`fast_extract_test.ts` compares them on random lines).
 *
 * @module
 */
import type { LineMapping, Mapping } from "./mapping.ts";
import type { ReplayEvent } from "./extract.ts";
import type { ParamEncoding, ReplaySpec } from "./replay_spec.ts";
import { asciiText, byteAtom, bytesEqual, FieldFinder } from "./byte_scan.ts";
import { KeyTable } from "./key_table.ts";
import type { RawLine } from "./reader.ts";
import { LineScanner } from "./line_scan.ts";

const QUOTE = 34;
const NO_ARGS: number[] = [];
const NO_FIELDS = new FieldFinder([]);
/** {@link FastLineMapper}'s action of a line whose action is not ASCII (the general path reads it). */
const NOT_ASCII = -2;
const UTF8 = new TextEncoder();

/** A field the fast path reads: its index among the scanned keys, or a constant. */
type Name =
  | { readonly kind: "field"; readonly index: number }
  | { readonly kind: "const"; readonly value: string }
  | { readonly kind: "file" };

/** An action as it may be written in a log line (its UTF-8 bytes). */
interface Candidate {
  readonly raw: Uint8Array;
  readonly action: number;
}

/** An enum label as it may be written in a log line (its UTF-8 bytes). */
interface Label {
  readonly bytes: Uint8Array;
  readonly value: number;
}

/**
 * Maps plain lines of one mapping without building objects.
 *
 * @example Map a lease line
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { FastLineMapper } from "./fast_extract.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replaySpecs } from "./replay_spec.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const fast = FastLineMapper.of(mapping, { specs: replaySpecs([lease]), files: ["a.ndjson"] })!;
 * const ev = fast.map('{"ts":5,"host":"a","lock":"l1","event":"acquire","args":{"c":2}}', 0, 1);
 * assert.deepEqual([ev?.node, ev?.key, ev?.wall, ev?.args], ["a", "l1", 5, [2]]);
 * assert.equal(fast.map('{"ts":"5","host":"a","lock":"l1","event":"acquire","args":{"c":2}}', 0, 2), undefined);
 * ```
 */
export class FastLineMapper {
  /** Finds the top-level fields read. */
  readonly #finder: FieldFinder;
  /** Finds them for every line of a chunk at once (null: not here, see `line_scan.ts`). */
  readonly #scanner: LineScanner | null;
  /** How many top-level fields are read. */
  readonly #fieldCount: number;
  /** Where {@link map} encodes a line. */
  #scratch = new Uint8Array(1024);
  readonly #keyTable: KeyTable;
  /** The number or literal of each scanned field that holds one (valid for the line being mapped). */
  readonly #atoms: (number | boolean | null | undefined)[];
  readonly #ranges: Int32Array;
  readonly #argRanges: Int32Array;
  readonly #spec: ReplaySpec;
  readonly #where: readonly {
    readonly index: number;
    readonly values: readonly unknown[];
    /** The ASCII string values, as bytes (no other string equals an ASCII field). */
    readonly strings: readonly Uint8Array[];
  }[];
  readonly #node: Name;
  readonly #key: number;
  readonly #time: number;
  readonly #msPerUnit: number;
  readonly #action: number;
  readonly #candidates: readonly Candidate[];
  /** The args field's index, or -1. */
  readonly #args: number;
  readonly #params: readonly (readonly ParamEncoding[])[];
  /** Per action, the finder of its parameters in the arguments object. */
  readonly #paramFinders: readonly FieldFinder[];
  /** Per action and parameter, the ASCII labels of an enum. */
  readonly #labels: readonly (readonly (readonly Label[])[])[];
  readonly #seq: number;
  readonly #fileNodes: readonly string[];
  /** Per file, the node its last line named (reused while lines name it again). */
  readonly #lastNode: (string | undefined)[];

  /**
   * The fast mapper of a mapping, or null when the mapping reads anything
   * the fast path does not (several line mappings, nested paths, a clock
   * stamp, an observed state, causality fields, arguments by field).
   */
  static of(
    mapping: Mapping,
    o: {
      readonly specs: readonly ReplaySpec[];
      readonly files: readonly string[];
      /** Where keys are interned (the general path's table, so both give the same strings). */
      readonly keys?: KeyTable;
    },
  ): FastLineMapper | null {
    const { specs, files } = o;
    if (mapping.mappings.length !== 1) return null;
    const m = mapping.mappings[0]!;
    const flat = (p: readonly string[] | undefined) => p === undefined || p.length === 1;
    const plain = m.where.every((w) => w.path.length === 1) &&
      (m.node.kind !== "path" || m.node.path.length === 1) &&
      (m.key.kind === "path" && m.key.path.length === 1) &&
      m.time.kind === "time" && m.time.path.length === 1 && m.action.length === 1 &&
      (m.args === undefined || (m.args.kind === "object" && m.args.path.length === 1)) &&
      m.state === undefined && flat(m.seq) && m.stamp === undefined &&
      m.sends === undefined && m.receives === undefined;
    // Field names are matched by their bytes: a non-ASCII one is left to the general path.
    if (!plain || ![...mapping.topLevel].every(asciiOnly)) return null;
    const spec = m.spec === undefined
      ? (specs.length === 1 ? specs[0] : undefined)
      : specs.find((x) => x.name === m.spec || x.compiled.meta.sourceHash === m.spec);
    if (spec === undefined) return null; // the general path says why
    return new FastLineMapper(m, {
      fields: [...mapping.topLevel],
      spec,
      files,
      keys: o.keys ?? new KeyTable(),
    });
  }

  private constructor(
    m: LineMapping,
    o: {
      readonly fields: readonly string[];
      readonly spec: ReplaySpec;
      readonly files: readonly string[];
      readonly keys: KeyTable;
    },
  ) {
    const keys = o.fields;
    this.#keyTable = o.keys;
    const index = (p: readonly string[]) => keys.indexOf(p[0]!);
    this.#finder = new FieldFinder(keys.map((k) => UTF8.encode(k)));
    this.#scanner = LineScanner.of(keys.map((k) => UTF8.encode(k)));
    this.#fieldCount = keys.length;
    this.#ranges = new Int32Array(2 * keys.length);
    this.#atoms = keys.map(() => undefined);
    this.#spec = o.spec;
    this.#where = m.where.map((w) => ({
      index: index(w.path),
      values: w.values,
      strings: w.values.filter((v) => typeof v === "string" && asciiOnly(v)).map((v) =>
        UTF8.encode(v as string)
      ),
    }));
    this.#node = m.node.kind === "path" ? { kind: "field", index: index(m.node.path) } : m.node;
    this.#key = m.key.kind === "path" ? index(m.key.path) : -1;
    const time = m.time as { readonly path: readonly string[]; readonly msPerUnit: number };
    this.#time = index(time.path);
    this.#msPerUnit = time.msPerUnit;
    this.#action = index(m.action);
    const candidates: Candidate[] = [];
    for (const [raw, to] of m.actions) {
      const action = o.spec.actions.get(to);
      if (action !== undefined) candidates.push({ raw: UTF8.encode(raw), action });
    }
    for (const [name, action] of o.spec.actions) {
      if (!m.actions.has(name)) candidates.push({ raw: UTF8.encode(name), action });
    }
    // Only ASCII names: a line naming another is decoded and mapped the general way.
    this.#candidates = candidates.filter((c) => c.raw.every((x) => x < 128));
    this.#args = m.args === undefined ? -1 : index((m.args as { path: readonly string[] }).path);
    this.#params = o.spec.params;
    this.#paramFinders = o.spec.params.map((ps) =>
      new FieldFinder(ps.map((p) => UTF8.encode(p.name)))
    );
    this.#labels = o.spec.params.map((ps) =>
      ps.map((p) =>
        [...p.labels].filter(([l]) => asciiOnly(l)).map(([l, value]) => ({
          bytes: UTF8.encode(l),
          value,
        }))
      )
    );
    this.#argRanges = new Int32Array(2 * Math.max(1, ...o.spec.params.map((ps) => ps.length)));
    this.#seq = m.seq === undefined ? -1 : index(m.seq);
    this.#fileNodes = o.files.map((f) => f.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, ""));
    this.#lastNode = o.files.map(() => undefined);
  }

  /**
   * Maps a plain line: its event, `null` when the mapping's `where`
   * excludes it, or undefined when it is not plain (map it the general
   * way). The line is encoded and mapped as {@link mapBytes} maps bytes.
   */
  map(line: string, file: number, lineNo: number): ReplayEvent | null | undefined {
    if (this.#scratch.length < 3 * line.length) {
      this.#scratch = new Uint8Array(3 * line.length + 64);
    }
    const { written } = UTF8.encodeInto(line, this.#scratch);
    return this.mapBytes(this.#scratch, 0, written, file, lineNo);
  }

  /**
   * Maps the plain line held in `b[start..end)` (its UTF-8 bytes, where
   * they stand in the chunk read) without decoding it: its event, `null`
   * when the mapping's `where` excludes it, or undefined when it is not
   * plain (decode it and map it the general way). A string the mapping
   * reads (a `where` value, the node, the key, the action, an enum
   * argument) must be ASCII here; any other byte leaves the line to the
   * general path.
   */
  mapBytes(
    b: Uint8Array,
    start: number,
    end: number,
    file: number,
    lineNo: number,
  ): ReplayEvent | null | undefined {
    if (!this.#finder.find(b, start, end, this.#ranges)) return undefined;
    return this.#mapFound(b, file, lineNo);
  }

  /**
   * {@link mapBytes} for a line read in place whose end is not known yet:
   * the scan that finds its fields finds its newline, and says it
   * (`RawLine.endAt`) when it maps the line.
   */
  mapLine(raw: RawLine, file: number): ReplayEvent | null | undefined {
    const b = raw.bytes!;
    const scanner = this.#scanner;
    // A chunk not numbered (0) is scanned a line at a time.
    let newline = scanner === null || raw.chunk === 0
      ? -2
      : scanner.findLine(b, raw.start, raw.limit, raw.chunk, this.#ranges);
    if (newline === -2) newline = this.#finder.findLine(b, raw.start, raw.limit, this.#ranges);
    if (newline < 0) return undefined;
    raw.endAt(newline);
    return this.#mapFound(b, file, raw.number);
  }

  /** Maps the line whose fields' ranges {@link FieldFinder} just found. */
  #mapFound(b: Uint8Array, file: number, lineNo: number): ReplayEvent | null | undefined {
    const r = this.#ranges;
    const atoms = this.#atoms;
    const action = this.#actionOf(b);
    if (action === NOT_ASCII) return undefined;
    // Every field read must be one the field scanner would accept, whatever the line's fate.
    for (let k = 0; k < this.#fieldCount; k++) {
      const i = r[2 * k]!;
      if (i < 0) continue;
      const c = b[i];
      if (c === QUOTE) continue;
      if (c === 123) {
        // Only the arguments may be an object, a flat one: its members' ranges are read here.
        if (k !== this.#args) return undefined;
        const params = action < 0 ? NO_FIELDS : this.#paramFinders[action]!;
        if (!params.findFlat(b, i, r[2 * k + 1]!, this.#argRanges)) return undefined;
        continue;
      }
      if (c === 91) return undefined;
      const atom = byteAtom(b, i, r[2 * k + 1]!);
      if (atom === undefined) return undefined;
      atoms[k] = atom;
    }
    for (const w of this.#where) {
      const i = r[2 * w.index]!;
      if (i < 0) return null;
      const wend = r[2 * w.index + 1]!;
      if (b[i] === 123) return undefined; // an object: read the general way
      if (b[i] === QUOTE) {
        // Equal to an ASCII value is ASCII; else only an ASCII string is surely filtered out here.
        let hit = false;
        for (const v of w.strings) {
          if (bytesEqual(b, i + 1, wend - 1, v)) {
            hit = true;
            break;
          }
        }
        if (!hit) return isAscii(b, i + 1, wend - 1) ? null : undefined;
      } else if (!w.values.includes(atoms[w.index])) return null;
    }
    let node: string;
    const n = this.#node;
    if (n.kind === "field") {
      const i = r[2 * n.index]!;
      const nend = r[2 * n.index + 1]!;
      if (i < 0 || b[i] !== QUOTE || nend - i <= 2) return undefined;
      const last = this.#lastNode[file];
      if (last !== undefined && sameText(b, i + 1, nend - 1, last)) node = last;
      else {
        const text = asciiText(b, i + 1, nend - 1);
        if (text === null) return undefined;
        node = this.#lastNode[file] = text;
      }
    } else node = n.kind === "const" ? n.value : this.#fileNodes[file] ?? "";
    const ki = r[2 * this.#key]!;
    const kend = r[2 * this.#key + 1]!;
    if (ki < 0 || b[ki] !== QUOTE || kend - ki <= 2) return undefined;
    const key = this.#keyTable.internAscii(b, ki + 1, kend - 1);
    if (key === null) return undefined;
    const ti = r[2 * this.#time]!;
    if (ti < 0 || b[ti] === QUOTE || b[ti] === 123) return undefined;
    const t = atoms[this.#time];
    if (typeof t !== "number") return undefined;
    const ms = t * this.#msPerUnit;
    if (!Number.isFinite(ms)) return undefined;
    const wall = Math.floor(ms);
    const logical = wall === ms ? 0 : Math.round((ms - wall) * 1000);
    if (action < 0) return undefined;
    const args = this.#argsOf(b, action);
    if (args === undefined) return undefined;
    let logSeq = -1;
    if (this.#seq >= 0) {
      const si = r[2 * this.#seq]!;
      if (si < 0 || b[si] === QUOTE || b[si] === 123) return undefined;
      const sq = atoms[this.#seq];
      if (typeof sq !== "number" || !Number.isSafeInteger(sq) || sq < 0) return undefined;
      logSeq = sq;
    }
    return {
      wall,
      logical,
      file,
      line: lineNo,
      spec: this.#spec,
      node,
      key,
      action,
      args,
      observed: null,
      logSeq,
      deps: null,
      sends: null,
      receives: null,
      late: false,
    };
  }

  /** The action a line names (a plain string, a known name), -1, or {@link NOT_ASCII}. */
  #actionOf(b: Uint8Array): number {
    const r = this.#ranges;
    const ai = r[2 * this.#action]!;
    if (ai < 0 || b[ai] !== QUOTE) return -1;
    const aend = r[2 * this.#action + 1]!;
    // Equal to a name is ASCII (the names compared are); else the general path reads a non-ASCII one.
    for (const c of this.#candidates) {
      if (bytesEqual(b, ai + 1, aend - 1, c.raw)) return c.action;
    }
    return isAscii(b, ai + 1, aend - 1) ? -1 : NOT_ASCII;
  }

  /**
   * The encoded arguments of `action`, or undefined when they are not
   * plain; the members' ranges were read when the line was checked.
   */
  #argsOf(b: Uint8Array, action: number): number[] | undefined {
    const params = this.#params[action]!;
    const r = this.#ranges;
    const at = this.#args;
    const i = at < 0 ? -1 : r[2 * at]!;
    const objectArgs = i >= 0 && b[i] === 123;
    const ar = this.#argRanges;
    if (params.length === 0) return NO_ARGS;
    if (!objectArgs) return undefined;
    const out = new Array<number>(params.length);
    const labels = this.#labels[action]!;
    for (let p = 0; p < params.length; p++) {
      const vi = ar[2 * p]!;
      if (vi < 0) return undefined;
      const vend = ar[2 * p + 1]!;
      const enc = params[p]!;
      if (b[vi] === QUOTE) {
        if (enc.kind !== "enum" || !isAscii(b, vi + 1, vend - 1)) return undefined;
        let found = -1;
        for (const l of labels[p]!) {
          if (bytesEqual(b, vi + 1, vend - 1, l.bytes)) {
            found = l.value;
            break;
          }
        }
        if (found < 0) return undefined;
        out[p] = found;
      } else {
        const v = byteAtom(b, vi, vend);
        if (enc.kind === "num" && typeof v === "number") out[p] = v;
        else if (enc.kind === "bool" && typeof v === "boolean") out[p] = v ? 1 : 0;
        else return undefined;
      }
    }
    return out;
  }
}

/** True when every byte of `b[i..j)` is ASCII. */
function isAscii(b: Uint8Array, i: number, j: number): boolean {
  for (let x = i; x < j; x++) if (b[x]! >= 128) return false;
  return true;
}

/** True when the ASCII bytes `b[i..j)` spell `text`. */
function sameText(b: Uint8Array, i: number, j: number, text: string): boolean {
  if (j - i !== text.length) return false;
  for (let x = 0; x < text.length; x++) if (b[i + x] !== text.charCodeAt(x)) return false;
  return true;
}

/** True when every character of `text` is ASCII. */
function asciiOnly(text: string): boolean {
  for (let x = 0; x < text.length; x++) if (text.charCodeAt(x) >= 128) return false;
  return true;
}
