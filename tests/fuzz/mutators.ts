/**
 * The ingest fuzzer's mutators, at two levels:
 * - structural, on the msgpack tree of a real batch (`msgpack_tree.ts`):
 *   wrong types, missing, repeated and extra map keys, lying array, map, str
 *   and bin length headers, huge claimed counts, sequence numbers near and
 *   past 2^53, many and overlapping drop ranges, invalid UTF-8, nested
 *   garbage, odd encodings, out-of-range event fields;
 * - byte-level, on encoded bytes: bit flips, interesting bytes, splices of
 *   two batches, inserted, deleted and duplicated runs, truncation,
 *   trailing bytes.
 *
 * Every mutator returns a short label of what it did (kept in the session
 * step, so a corpus case says what kind of input it is).
 *
 * @module
 */
import type { MsgNode } from "./msgpack_tree.ts";
import { num, pathOf, pickPlace, replace, str } from "./msgpack_tree.ts";
import type { Rand } from "./rand.ts";

/** What the structural mutators know of the batch's spec and session. */
export interface MutationContext {
  readonly stride: number;
  readonly actions: number;
  readonly verdicts: number;
  /** Node ids of the session (for identity swaps). */
  readonly nodes: readonly string[];
  /** Allow inputs costing megabytes or deep recursion (long runs). */
  readonly heavy: boolean;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const HUGE_COUNTS = [0xffff, 0x10000, 1 << 24, 1 << 25, 0x7fff_ffff, 0xffff_ffff] as const;

const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xc0, 0x80], // overlong NUL
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0x6c, 0x6f, 0x63, 0x6b, 0x3a, 0xe2, 0x82], // "lock:" and a cut sequence
];
const ODD_STRINGS = ["", "\u0000", "é", "ключ", "🔒", "lock:\ud800", "a".repeat(40)];

function clone(n: MsgNode): MsgNode {
  return structuredClone(n);
}

/** A random value of any msgpack type. */
export function randomValue(r: Rand, depth = 0): MsgNode {
  switch (r.int(depth > 2 ? 10 : 12)) {
    case 0:
      return num(r.pick([0, 1, -1, 127, 128, 255, 256, 65535, 65536, -33, 2 ** 32, MAX_SAFE]));
    case 1:
      return { t: "int", v: r.pick([2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 63n)]) };
    case 2:
      return { t: "f64", v: r.pick([NaN, Infinity, -Infinity, -0, 0.5, 1e308, 1]) };
    case 3:
      return { t: "f32", v: r.pick([1, 0.5, NaN]) };
    case 4:
      return str(r.pick(ODD_STRINGS));
    case 5:
      return { t: "rawstr", bytes: Uint8Array.from(r.pick(INVALID_UTF8)) };
    case 6:
      return { t: "bin", v: r.bytes(r.int(40)) };
    case 7:
      return { t: "nil" };
    case 8:
      return { t: "bool", v: r.chance(0.5) };
    case 9:
      return { t: "ext", type: r.int(256), data: r.bytes(r.pick([1, 2, 4, 8, 16, 3])) };
    case 10:
      return { t: "arr", items: Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1)) };
    default:
      return {
        t: "map",
        entries: Array.from(
          { length: r.int(3) },
          () => [randomValue(r, depth + 1), randomValue(r, depth + 1)] as [MsgNode, MsgNode],
        ),
      };
  }
}

function entries(tree: MsgNode): [MsgNode, MsgNode][] {
  if (tree.t !== "map") throw new TypeError("Expected the batch tree to be a map");
  return tree.entries;
}

function entry(tree: MsgNode, key: string): [MsgNode, MsgNode] | undefined {
  return entries(tree).find((e) => e[0].t === "str" && e[0].v === key);
}

function events(tree: MsgNode): MsgNode[] {
  const ev = entry(tree, "ev")?.[1];
  return ev?.t === "arr" ? ev.items : [];
}

function eventCount(tree: MsgNode): number {
  return events(tree).length;
}

function keyName(e: [MsgNode, MsgNode]): string {
  return e[0].t === "str" ? e[0].v : "?";
}

/** An event's field `i` (0 key .. 6 verdict), with a setter. */
function eventField(r: Rand, tree: MsgNode, i: number): { set: (n: MsgNode) => void } | null {
  const evs = events(tree);
  if (evs.length === 0) return null;
  const e = r.pick(evs);
  if (e.t !== "arr" || e.items.length <= i) return null;
  return { set: (n) => (e.items[i] = n) };
}

function nested(depth: number, map: boolean): MsgNode {
  const unit = map ? [0x81, 0xa1, 0x61] : [0x91];
  const bytes = new Uint8Array(depth * unit.length + 1);
  for (let i = 0; i < depth; i++) bytes.set(unit, i * unit.length);
  bytes[bytes.length - 1] = 0xc0;
  return { t: "raw", bytes };
}

type Structural = (tree: MsgNode, r: Rand, ctx: MutationContext) => string;

const structural: readonly (readonly [number, Structural])[] = [
  [6, function wrongType(tree, r) {
    const e = r.pick(entries(tree));
    let v = randomValue(r);
    while (v.t === e[1].t) v = randomValue(r);
    e[1] = v;
    return `wrong-type:${keyName(e)}=${v.t}`;
  }],
  [4, function missingKey(tree, r) {
    const es = entries(tree);
    if (es.length === 0) return "missing:none";
    const i = r.int(es.length);
    const name = keyName(es[i]!);
    const lie = r.chance(0.5);
    if (lie && tree.t === "map") tree.claim = es.length;
    es.splice(i, 1);
    return `missing:${name}${lie ? ":lying-count" : ""}`;
  }],
  [4, function repeatedKey(tree, r) {
    const es = entries(tree);
    if (es.length === 0) return "repeated:none";
    const e = r.pick(es);
    const copy: [MsgNode, MsgNode] = [clone(e[0]), r.chance(0.5) ? clone(e[1]) : randomValue(r)];
    const lie = r.chance(0.3);
    if (lie && tree.t === "map") tree.claim = es.length;
    es.splice(r.int(es.length + 1), 0, copy);
    return `repeated:${keyName(e)}${lie ? ":lying-count" : ""}`;
  }],
  [3, function extraKey(tree, r) {
    const k = r.chance(0.7)
      ? str(r.pick(["V", "ev ", "extra", "", "seq\u0000", "drops"]))
      : randomValue(r);
    entries(tree).splice(r.int(entries(tree).length + 1), 0, [k, randomValue(r)]);
    return "extra-key";
  }],
  [2, function reorder(tree, r) {
    const es = entries(tree);
    for (let i = es.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [es[i], es[j]] = [es[j]!, es[i]!];
    }
    return "reorder";
  }],
  [8, function lie(tree, r) {
    const target = pickPlace(tree, {
      random: () => r.float(),
      keep: (x) =>
        x.t === "arr" || x.t === "map" || x.t === "str" || x.t === "bin" || x.t === "rawstr",
    });
    if (target === null) return "lie:none";
    const n = target.node as { claim?: number };
    const actual = target.node.t === "arr"
      ? target.node.items.length
      : target.node.t === "map"
      ? target.node.entries.length
      : target.node.t === "bin"
      ? target.node.v.length
      : target.node.t === "rawstr"
      ? target.node.bytes.length
      : new TextEncoder().encode((target.node as { v: string }).v).length;
    n.claim = r.chance(0.6)
      ? Math.max(0, actual + r.pick([-3, -2, -1, 1, 2, 3]))
      : r.pick(HUGE_COUNTS);
    return `lie:${pathOf(target)}=${n.claim}`;
  }],
  [5, function hugeCount(tree, r) {
    const name = r.pick(["ev", "drop"]);
    const e = entry(tree, name);
    if (e === undefined || e[1].t !== "arr") return `huge-count:${name}:absent`;
    e[1].items.length = Math.min(e[1].items.length, r.int(3));
    e[1].claim = r.pick(HUGE_COUNTS);
    return `huge-count:${name}=${e[1].claim}`;
  }],
  [6, function seqEdge(tree, r) {
    const e = entry(tree, "seq");
    if (e === undefined) return "seq:absent";
    const n = eventCount(tree);
    const choices: [string, MsgNode][] = [
      ["2^53-1", num(MAX_SAFE)],
      ["2^53", { t: "int", v: 2n ** 53n }],
      ["2^53+1", { t: "int", v: 2n ** 53n + 1n }],
      ["last=2^53-1", num(Math.max(0, MAX_SAFE - n + 1))],
      ["last=2^53", num(Math.max(0, MAX_SAFE - n + 2))],
      ["last=2^53+2", num(Math.max(0, MAX_SAFE - n + 4))],
      ["2^64-1", { t: "int", v: 2n ** 64n - 1n }],
      ["2^63", { t: "int", v: 2n ** 63n }],
      ["2^32", num(2 ** 32)],
      ["-1", num(-1)],
      ["0.5", { t: "f64", v: 0.5 }],
      ["NaN", { t: "f64", v: NaN }],
      ["Infinity", { t: "f64", v: Infinity }],
      ["2^52 as float", { t: "f64", v: 2 ** 52 }],
    ];
    const [label, v] = r.pick(choices);
    e[1] = v;
    return `seq:${label}`;
  }],
  [3, function manyDrops(tree, r, ctx) {
    const n = ctx.heavy && r.chance(0.3)
      ? r.pick([5_000, 20_000, 60_000, 100_000, 150_000])
      : r.pick([10, 100, 1_000, 3_000]);
    const seqEntry = entry(tree, "seq");
    const dropEntry = entry(tree, "drop");
    if (seqEntry === undefined || dropEntry === undefined) return "many-drops:absent";
    const base = seqEntry[1].t === "int" && typeof seqEntry[1].v === "number" ? seqEntry[1].v : 0;
    const adjacent = r.chance(0.3);
    const step = adjacent ? 1 : 2;
    const items: MsgNode[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const a = base + step * i;
      items[i] = { t: "arr", items: [num(a), num(a)] };
    }
    dropEntry[1] = { t: "arr", items };
    seqEntry[1] = num(base + step * n);
    return `many-drops:${n}${adjacent ? ":adjacent" : ""}`;
  }],
  [4, function badDrops(tree, r) {
    const e = entry(tree, "drop");
    if (e === undefined) return "bad-drops:absent";
    const seqNode = entry(tree, "seq")?.[1];
    const s = seqNode?.t === "int" && typeof seqNode.v === "number" ? seqNode.v : 10;
    const pair = (a: number, b: number): MsgNode => ({ t: "arr", items: [num(a), num(b)] });
    const variants: [string, MsgNode][] = [
      ["overlapping", { t: "arr", items: [pair(0, 5), pair(3, 8)] }],
      ["descending", { t: "arr", items: [pair(6, 7), pair(0, 1)] }],
      ["first>last", { t: "arr", items: [pair(5, 2)] }],
      ["last>=seq", { t: "arr", items: [pair(Math.max(0, s - 1), s)] }],
      ["beyond-seq", { t: "arr", items: [pair(s + 10, s + 20)] }],
      ["repeated", { t: "arr", items: [pair(0, 1), pair(0, 1)] }],
      ["one-item", { t: "arr", items: [{ t: "arr", items: [num(1)] }] }],
      ["three-items", { t: "arr", items: [{ t: "arr", items: [num(1), num(2), num(3)] }] }],
      ["floats", { t: "arr", items: [{ t: "arr", items: [{ t: "f64", v: 0.5 }, num(1)] }] }],
      ["negative", { t: "arr", items: [pair(-5, -1)] }],
      ["huge", {
        t: "arr",
        items: [{ t: "arr", items: [num(0), { t: "int", v: 2n ** 64n - 1n }] }],
      }],
      ["not-an-array", randomValue(r)],
      ["whole-range", { t: "arr", items: [pair(0, Math.max(0, s - 1))] }],
    ];
    const [label, v] = r.pick(variants);
    e[1] = v;
    return `bad-drops:${label}`;
  }],
  [5, function badUtf8(tree, r) {
    const target = pickPlace(tree, { random: () => r.float(), keep: (x) => x.t === "str" });
    if (target === null) return "utf8:none";
    if (r.chance(0.7)) {
      replace(target, { t: "rawstr", bytes: Uint8Array.from(r.pick(INVALID_UTF8)) });
      return `utf8:invalid:${pathOf(target)}`;
    }
    replace(target, str(r.pick(ODD_STRINGS)));
    return `utf8:odd:${pathOf(target)}`;
  }],
  [3, function nestedGarbage(tree, r, ctx) {
    const depth = ctx.heavy && r.chance(0.3)
      ? r.pick([10_000, 100_000])
      : r.pick([2, 10, 100, 1_000]);
    const target = pickPlace(tree, { random: () => r.float(), keep: () => true });
    if (target === null) return "nested:none";
    replace(target, nested(depth, r.chance(0.3)));
    return `nested:${depth}:${pathOf(target)}`;
  }],
  [4, function eventShape(tree, r) {
    const evs = events(tree);
    if (evs.length === 0) return "event-shape:none";
    const i = r.int(evs.length);
    const e = evs[i]!;
    if (e.t !== "arr") return "event-shape:not-array";
    const op = r.int(4);
    if (op === 0) e.items.splice(r.int(e.items.length), 1);
    else if (op === 1) e.items.push(randomValue(r));
    else if (op === 2) {
      const a = r.int(e.items.length);
      const b = r.int(e.items.length);
      [e.items[a], e.items[b]] = [e.items[b]!, e.items[a]!];
    } else evs[i] = randomValue(r);
    return `event-shape:${["field-missing", "field-extra", "fields-swapped", "not-an-event"][op]}`;
  }],
  [4, function badArgs(tree, r) {
    const f = eventField(r, tree, 4);
    if (f === null) return "args:none";
    const variants: [string, MsgNode][] = [
      ["none", { t: "arr", items: [] }],
      ["two", { t: "arr", items: [num(1), num(2)] }],
      ["NaN", { t: "arr", items: [{ t: "f64", v: NaN }] }],
      ["Infinity", { t: "arr", items: [{ t: "f64", v: Infinity }] }],
      ["-0", { t: "arr", items: [{ t: "f64", v: -0 }] }],
      ["1e308", { t: "arr", items: [{ t: "f64", v: 1e308 }] }],
      ["2^64-1", { t: "arr", items: [{ t: "int", v: 2n ** 64n - 1n }] }],
      ["string", { t: "arr", items: [str("1")] }],
      ["nil", { t: "arr", items: [{ t: "nil" }] }],
      ["nested", { t: "arr", items: [{ t: "arr", items: [num(1)] }] }],
      ["float32", { t: "arr", items: [{ t: "f32", v: 1 }] }],
      ["huge-claim", { t: "arr", items: [num(1)], claim: r.pick(HUGE_COUNTS) }],
      ["many", { t: "arr", items: Array.from({ length: 300 }, (_, i) => num(i)) }],
    ];
    const [label, v] = r.pick(variants);
    f.set(v);
    return `args:${label}`;
  }],
  [3, function badState(tree, r, ctx) {
    const f = eventField(r, tree, 5);
    if (f === null) return "state:none";
    const len = r.pick([
      0,
      ctx.stride - 1,
      ctx.stride + 1,
      1,
      2 * ctx.stride,
      ctx.heavy ? 65_536 : 300,
    ]);
    if (r.chance(0.2)) {
      f.set(str("x".repeat(ctx.stride)));
      return "state:string";
    }
    f.set({ t: "bin", v: r.bytes(Math.max(0, len)) });
    return `state:${len}-bytes`;
  }],
  [3, function badAction(tree, r, ctx) {
    const f = eventField(r, tree, 3);
    if (f === null) return "action:none";
    const v: MsgNode = r.pick([
      num(ctx.actions),
      num(0xffff_ffff),
      num(0xffff_fffe),
      num(2 ** 32),
      num(-1),
      { t: "int", v: 2n ** 53n },
      { t: "f64", v: 0.5 },
    ]);
    f.set(v);
    return `action:${v.t === "int" ? String(v.v) : v.t}`;
  }],
  [3, function badVerdict(tree, r, ctx) {
    const f = eventField(r, tree, 6);
    if (f === null) return "verdict:none";
    const v = r.pick([0xffff_fffe, ctx.verdicts, ctx.verdicts - 1, 255, 2 ** 32, -1]);
    f.set(num(v));
    return `verdict:${v}`;
  }],
  [4, function badTime(tree, r) {
    const which = r.int(3);
    if (which === 0) {
      const e = entry(tree, "t0");
      if (e === undefined) return "time:t0-absent";
      e[1] = r.pick<MsgNode>([
        num(MAX_SAFE),
        num(-MAX_SAFE),
        { t: "int", v: 2n ** 60n },
        num(-1),
        { t: "f64", v: 1.5 },
      ]);
      return "time:t0";
    }
    const f = eventField(r, tree, which === 1 ? 1 : 2);
    if (f === null) return "time:none";
    f.set(r.pick<MsgNode>([num(MAX_SAFE), num(-MAX_SAFE), num(2 ** 31), num(-1), {
      t: "int",
      v: 2n ** 53n,
    }]));
    return which === 1 ? "time:dt" : "time:logical";
  }],
  [4, function badKey(tree, r, ctx) {
    const evs = events(tree);
    if (evs.length === 0) return "key:none";
    const op = r.int(4);
    if (op === 3) {
      // Keys of equal length that differ: each event its own partition.
      evs.forEach((e, i) => {
        if (e.t === "arr" && e.items.length > 0) {
          e.items[0] = str(`k:${String(i).padStart(5, "0")}`);
        }
      });
      return "key:distinct-equal-length";
    }
    const f = eventField(r, tree, 0);
    if (f === null) return "key:none";
    const long = ctx.heavy ? 65_536 : 300;
    const v = op === 0 ? "" : op === 1 ? "x".repeat(long) : `lock:${r.int(1000)}`;
    f.set(str(v));
    return `key:${["empty", "long", "new"][op]}`;
  }],
  [4, function identity(tree, r, ctx) {
    const field = r.pick(["node", "boot", "spec", "name"]);
    const e = entry(tree, field);
    if (e === undefined) return `identity:${field}:absent`;
    let v: string;
    if (field === "node") v = r.chance(0.6) ? r.pick(ctx.nodes) : r.pick(["", "intruder", "é"]);
    else if (field === "boot") v = r.pick(["", `b-${r.int(1e6)}`, "boot-x"]);
    else if (field === "spec") {
      const cur = e[1].t === "str" ? e[1].v : "";
      v = r.pick(["f".repeat(64), cur.toUpperCase(), cur.slice(1), ""]);
    } else v = r.pick(["Other", "", "lease"]);
    e[1] = str(v);
    return `identity:${field}`;
  }],
  [2, function badVersion(tree, r) {
    const e = entry(tree, "v");
    if (e === undefined) return "version:absent";
    const [label, v] = r.pick<[string, MsgNode]>([
      ["0", num(0)],
      ["2", num(2)],
      ["1.0", { t: "f64", v: 1 }],
      ["'1'", str("1")],
      ["nil", { t: "nil" }],
      ["2^32+1", num(2 ** 32 + 1)],
      ["uint64 1", { t: "int", v: 1n, tag: 0xcf }],
    ]);
    e[1] = v;
    return `version:${label}`;
  }],
  [4, function oddEncoding(tree, r) {
    const target = pickPlace(tree, { random: () => r.float(), keep: () => true });
    if (target === null) return "encoding:none";
    const n = target.node;
    if (n.t === "int" && typeof n.v === "number") {
      const tag = n.v >= 0
        ? r.pick([0xcc, 0xcd, 0xce, 0xcf, 0xd3, 0xd2])
        : r.pick([0xd0, 0xd1, 0xd2, 0xd3]);
      const form = r.weighted([[3, "f32"], [2, "f64"], [5, "int"]] as const);
      replace(target, form === "int" ? { t: "int", v: n.v, tag } : { t: form, v: n.v });
      return `encoding:number:${pathOf(target)}`;
    }
    if (n.t === "arr" || n.t === "map" || n.t === "str" || n.t === "bin") {
      n.wide = true;
      return `encoding:wide-header:${pathOf(target)}`;
    }
    replace(
      target,
      r.pick<MsgNode>([{ t: "nil" }, { t: "bool", v: true }, {
        t: "ext",
        type: 1,
        data: new Uint8Array(4),
      }]),
    );
    return `encoding:odd-type:${pathOf(target)}`;
  }],
];

/**
 * Applies one to a few structural mutations to a batch tree, in place.
 *
 * @example Mutate a batch tree
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchTree } from "./msgpack_tree.ts";
 * import { mutateTree } from "./mutators.ts";
 * import { Rand } from "./rand.ts";
 * const tree = batchTree({ spec: "ab", specName: "L", node: "n", boot: "b", firstSeq: 0, dropped: [] }, []);
 * const ctx = { stride: 8, actions: 2, verdicts: 3, nodes: ["n"], heavy: false };
 * const labels = mutateTree(tree, { ...ctx, rand: new Rand(1) });
 * assert.ok(labels.length > 0);
 * ```
 */
export function mutateTree(
  tree: MsgNode,
  ctx: MutationContext & { readonly rand: Rand },
): string[] {
  const r = ctx.rand;
  const n = r.chance(0.7) ? 1 : r.range(2, 4);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) labels.push(r.weighted(structural)(tree, r, ctx));
  return labels;
}

const INTERESTING = [
  0x00,
  0xff,
  0x7f,
  0x80,
  0xc0,
  0xc1,
  0xca,
  0xcb,
  0xcf,
  0xd3,
  0xd9,
  0xdb,
  0xdc,
  0xdd,
  0xde,
  0xdf,
  0xc4,
  0xc6,
  0x90,
  0x9f,
  0xa0,
  0xbf,
];

type ByteMutator = (b: Uint8Array, r: Rand, other: () => Uint8Array) => [Uint8Array, string];

function cat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

const byteMutators: readonly (readonly [number, ByteMutator])[] = [
  [6, function flip(b, r) {
    const out = b.slice();
    const k = r.range(1, 8);
    for (let i = 0; i < k && out.length > 0; i++) out[r.int(out.length)]! ^= 1 << r.int(8);
    return [out, `flip:${k}`];
  }],
  [5, function interesting(b, r) {
    const out = b.slice();
    const k = r.range(1, 4);
    for (let i = 0; i < k && out.length > 0; i++) out[r.int(out.length)] = r.pick(INTERESTING);
    return [out, `interesting:${k}`];
  }],
  [3, function window(b, r) {
    const out = b.slice();
    const w = r.pick([2, 4, 8]);
    if (out.length < w) return [out, "window:short"];
    const at = r.int(out.length - w + 1);
    const [label, head, rest] = r.pick(
      [["max", 0xff, 0xff], ["signed-max", 0x7f, 0xff], [
        "zero",
        0x00,
        0x00,
      ], ["high-bit", 0x01, 0x00]] as const,
    );
    out[at] = head;
    for (let i = 1; i < w; i++) out[at + i] = rest;
    return [out, `window:${w}:${label}`];
  }],
  [4, function insert(b, r) {
    const at = r.int(b.length + 1);
    const run = r.chance(0.5) || b.length === 0
      ? r.bytes(r.range(1, 64))
      : b.slice(r.int(b.length), r.int(b.length) + r.range(1, 64));
    return [cat(b.subarray(0, at), run, b.subarray(at)), `insert:${run.length}`];
  }],
  [4, function remove(b, r) {
    if (b.length === 0) return [b, "delete:empty"];
    const at = r.int(b.length);
    const n = r.range(1, Math.min(64, b.length - at));
    return [cat(b.subarray(0, at), b.subarray(at + n)), `delete:${n}`];
  }],
  [2, function duplicate(b, r) {
    if (b.length === 0) return [b, "duplicate:empty"];
    const at = r.int(b.length);
    const run = b.slice(at, at + r.range(1, 256));
    const to = r.int(b.length + 1);
    return [cat(b.subarray(0, to), run, b.subarray(to)), `duplicate:${run.length}`];
  }],
  [4, function splice(b, r, other) {
    const o = other();
    const i = r.int(b.length + 1);
    const j = r.int(o.length + 1);
    return [cat(b.subarray(0, i), o.subarray(j)), "splice"];
  }],
  [3, function truncate(b, r) {
    return [b.slice(0, r.int(b.length + 1)), "truncate"];
  }],
  [3, function trailing(b, r) {
    const extra = r.chance(0.3) ? b.slice(0, r.int(b.length + 1)) : r.bytes(r.range(1, 16));
    return [cat(b, extra), `trailing:${extra.length}`];
  }],
];

/**
 * Applies one to a few byte-level mutations; `other` supplies a second
 * batch for splices.
 *
 * @example Flip bits of a batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { mutateBytes } from "./mutators.ts";
 * import { Rand } from "./rand.ts";
 * const other = () => new Uint8Array([0x90]);
 * const [bytes, labels] = mutateBytes(new Uint8Array([0x80]), { rand: new Rand(2), other });
 * assert.ok(bytes instanceof Uint8Array && labels.length > 0);
 * ```
 */
export function mutateBytes(
  bytes: Uint8Array,
  options: { readonly rand: Rand; readonly other: () => Uint8Array },
): [Uint8Array, string[]] {
  const { rand: r, other } = options;
  const n = r.chance(0.6) ? 1 : r.range(2, 4);
  const labels: string[] = [];
  let b = bytes;
  for (let i = 0; i < n; i++) {
    const [out, label] = r.weighted(byteMutators)(b, r, other);
    b = out;
    labels.push(label);
  }
  return [b, labels];
}
