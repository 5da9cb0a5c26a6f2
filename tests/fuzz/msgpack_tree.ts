/**
 * A msgpack value as a tree that may lie: every container, string and bin
 * node can claim a length other than what it holds (`claim`), use a wider
 * header than needed (`wide`), and integers can be forced into a family
 * (`tag`, e.g. `0xcf` for a uint 64 of 3). Raw bytes (`raw`) and strings of
 * arbitrary bytes (`rawstr`, e.g. invalid UTF-8) go where a value would.
 * The structural mutators of the ingest fuzzer edit such trees; `encodeTree`
 * writes them. Without lies, `batchTree` encodes to exactly the bytes of the
 * SDK's `encodeBatch` (a test checks it).
 *
 * Test-only: the fuzzer's own writer, so no lie depends on the codec under test.
 *
 * @module
 */
import type { BatchHeader, EventBody } from "../../lib/wire/event.ts";
import { WIRE_VERSION } from "../../lib/wire/event.ts";

/** A msgpack value, possibly lying about its length or encoding. */
export type MsgNode =
  | { t: "int"; v: number | bigint; tag?: number }
  | { t: "f64"; v: number }
  | { t: "f32"; v: number }
  | { t: "str"; v: string; claim?: number; wide?: boolean }
  | { t: "rawstr"; bytes: Uint8Array; claim?: number }
  | { t: "bin"; v: Uint8Array; claim?: number; wide?: boolean }
  | { t: "arr"; items: MsgNode[]; claim?: number; wide?: boolean }
  | { t: "map"; entries: [MsgNode, MsgNode][]; claim?: number; wide?: boolean }
  | { t: "nil" }
  | { t: "bool"; v: boolean }
  | { t: "ext"; type: number; data: Uint8Array }
  | { t: "raw"; bytes: Uint8Array };

const utf8 = new TextEncoder();

/** A growable byte buffer. */
class Sink {
  buf = new Uint8Array(1024);
  view = new DataView(this.buf.buffer);
  pos = 0;

  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(x: number): void {
    this.room(1);
    this.buf[this.pos++] = x & 0xff;
  }
  u16(x: number): void {
    this.room(2);
    this.view.setUint16(this.pos, x & 0xffff);
    this.pos += 2;
  }
  u32(x: number): void {
    this.room(4);
    this.view.setUint32(this.pos, x >>> 0);
    this.pos += 4;
  }
  u64(x: bigint): void {
    this.room(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, x));
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/** Clamps a claimed length to what a 32-bit header can say. */
function claimOf(claim: number | undefined, actual: number): number {
  const n = claim ?? actual;
  return Math.max(0, Math.min(0xffff_ffff, Math.floor(n)));
}

/** Header of a family with a fix form (`fixBase`, `fixMax`), an optional 8-bit, a 16- and a 32-bit form. */
function head(
  s: Sink,
  n: number,
  wide: boolean | undefined,
  fix: readonly [base: number, max: number] | null,
  tags: readonly [t8: number, t16: number, t32: number],
): void {
  if (wide === true) {
    s.u8(tags[2]);
    s.u32(n);
  } else if (fix !== null && n <= fix[1]) s.u8(fix[0] | n);
  else if (tags[0] >= 0 && n < 0x100) (s.u8(tags[0]), s.u8(n));
  else if (n < 0x10000) (s.u8(tags[1]), s.u16(n));
  else (s.u8(tags[2]), s.u32(n));
}

function writeInt(s: Sink, v: number | bigint, tag: number | undefined): void {
  if (tag !== undefined) {
    const b = typeof v === "bigint" ? v : BigInt(Math.trunc(v));
    s.u8(tag);
    if (tag === 0xcc || tag === 0xd0) s.u8(Number(BigInt.asUintN(8, b)));
    else if (tag === 0xcd || tag === 0xd1) s.u16(Number(BigInt.asUintN(16, b)));
    else if (tag === 0xce || tag === 0xd2) s.u32(Number(BigInt.asUintN(32, b)));
    else s.u64(b);
    return;
  }
  if (typeof v === "bigint") {
    if (v >= 0n) (s.u8(0xcf), s.u64(v));
    else (s.u8(0xd3), s.u64(v));
    return;
  }
  const x = v;
  if (x >= 0) {
    if (x < 0x80) s.u8(x);
    else if (x < 0x100) (s.u8(0xcc), s.u8(x));
    else if (x < 0x10000) (s.u8(0xcd), s.u16(x));
    else if (x <= 0xffff_ffff) (s.u8(0xce), s.u32(x));
    else (s.u8(0xcf), s.u64(BigInt(x)));
  } else if (x >= -32) s.u8(x & 0xff);
  else if (x >= -128) (s.u8(0xd0), s.u8(x & 0xff));
  else if (x >= -32768) (s.u8(0xd1), s.u16(x & 0xffff));
  else if (x >= -0x8000_0000) (s.u8(0xd2), s.u32(x >>> 0));
  else (s.u8(0xd3), s.u64(BigInt(x)));
}

function write(s: Sink, n: MsgNode): void {
  switch (n.t) {
    case "int":
      return writeInt(s, n.v, n.tag);
    case "f64":
      s.room(9);
      s.buf[s.pos] = 0xcb;
      s.view.setFloat64(s.pos + 1, n.v);
      s.pos += 9;
      return;
    case "f32":
      s.room(5);
      s.buf[s.pos] = 0xca;
      s.view.setFloat32(s.pos + 1, n.v);
      s.pos += 5;
      return;
    case "str": {
      const b = utf8.encode(n.v);
      head(s, claimOf(n.claim, b.length), n.wide, [0xa0, 31], [0xd9, 0xda, 0xdb]);
      return s.bytes(b);
    }
    case "rawstr":
      head(s, claimOf(n.claim, n.bytes.length), false, [0xa0, 31], [0xd9, 0xda, 0xdb]);
      return s.bytes(n.bytes);
    case "bin":
      head(s, claimOf(n.claim, n.v.length), n.wide, null, [0xc4, 0xc5, 0xc6]);
      return s.bytes(n.v);
    case "arr":
      head(s, claimOf(n.claim, n.items.length), n.wide, [0x90, 15], [-1, 0xdc, 0xdd]);
      for (const item of n.items) write(s, item);
      return;
    case "map":
      head(s, claimOf(n.claim, n.entries.length), n.wide, [0x80, 15], [-1, 0xde, 0xdf]);
      for (const [k, v] of n.entries) (write(s, k), write(s, v));
      return;
    case "nil":
      return s.u8(0xc0);
    case "bool":
      return s.u8(n.v ? 0xc3 : 0xc2);
    case "ext": {
      const len = n.data.length;
      const fixed = [1, 2, 4, 8, 16].indexOf(len);
      if (fixed >= 0) s.u8(0xd4 + fixed);
      else if (len < 0x100) (s.u8(0xc7), s.u8(len));
      else if (len < 0x10000) (s.u8(0xc8), s.u16(len));
      else (s.u8(0xc9), s.u32(len));
      s.u8(n.type);
      return s.bytes(n.data);
    }
    case "raw":
      return s.bytes(n.bytes);
  }
}

/**
 * Encodes a tree, lies included.
 *
 * @example Claim three items and hold one
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeTree } from "./msgpack_tree.ts";
 * const bytes = encodeTree({ t: "arr", claim: 3, items: [{ t: "int", v: 1 }] });
 * assert.deepEqual([...bytes], [0x93, 0x01]);
 * ```
 */
export function encodeTree(root: MsgNode): Uint8Array {
  const s = new Sink();
  write(s, root);
  return s.buf.slice(0, s.pos);
}

/** A number as the SDK's writer encodes it: an integer family when safe (not -0), else float 64. */
export function num(x: number): MsgNode {
  return Number.isSafeInteger(x) && !Object.is(x, -0) ? { t: "int", v: x } : { t: "f64", v: x };
}

/** A string node. */
export function str(v: string): MsgNode {
  return { t: "str", v };
}

/**
 * The tree of a batch in the SDK writer's form (header keys in its order).
 *
 * @example A tree of an empty batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchTree } from "./msgpack_tree.ts";
 * const tree = batchTree({ spec: "ab", specName: "L", node: "n", boot: "b", firstSeq: 0, dropped: [] }, []);
 * assert.equal(tree.t === "map" && tree.entries.length, 9);
 * ```
 */
export function batchTree(header: BatchHeader, events: readonly EventBody[]): MsgNode {
  const t0 = events.length > 0 ? events[0]!.wall : 0;
  const ev: MsgNode[] = events.map((e) => ({
    t: "arr",
    items: [
      str(e.key),
      num(e.wall - t0),
      num(e.logical),
      num(e.action),
      { t: "arr", items: Array.from(e.args, num) },
      { t: "bin", v: e.state },
      num(e.verdict),
    ],
  }));
  return {
    t: "map",
    entries: [
      [str("v"), num(WIRE_VERSION)],
      [str("spec"), str(header.spec)],
      [str("name"), str(header.specName)],
      [str("node"), str(header.node)],
      [str("boot"), str(header.boot)],
      [str("seq"), num(header.firstSeq)],
      [str("drop"), {
        t: "arr",
        items: header.dropped.map(([a, b]) => ({ t: "arr", items: [num(a), num(b)] })),
      }],
      [str("t0"), num(t0)],
      [str("ev"), { t: "arr", items: ev }],
    ],
  };
}

/** A node of a tree and where it sits (`at` in its parent: an item index, or `2i` / `2i + 1` for entry `i`'s key / value). */
export interface Place {
  readonly node: MsgNode;
  readonly parent: MsgNode | null;
  readonly at: number;
  /** The parent's place. */
  readonly up: Place | null;
}

/** Replaces the node at a place. */
export function replace(p: Place, n: MsgNode): void {
  const parent = p.parent;
  if (parent?.t === "arr") parent.items[p.at] = n;
  else if (parent?.t === "map") parent.entries[p.at >> 1]![p.at & 1] = n;
}

/** The path of a place, e.g. `$.ev[3][5]` or `$.key(seq)`. */
export function pathOf(p: Place): string {
  const parts: string[] = [];
  for (let x: Place | null = p; x !== null && x.parent !== null; x = x.up) {
    if (x.parent.t === "arr") parts.push(`[${x.at}]`);
    else if (x.parent.t === "map") {
      const k = x.parent.entries[x.at >> 1]![0];
      const name = k.t === "str" ? k.v : `#${x.at >> 1}`;
      parts.push((x.at & 1) === 1 ? `.${name}` : `.key(${name})`);
    }
  }
  return `$${parts.reverse().join("")}`;
}

/**
 * One node of the tree chosen uniformly among those `keep` accepts
 * (reservoir sampling over a depth-first walk), or null; the root is never chosen.
 *
 * @example Pick a string
 * ```ts
 * import assert from "node:assert/strict";
 * import { type MsgNode, pathOf, pickPlace } from "./msgpack_tree.ts";
 * const tree: MsgNode = { t: "arr", items: [{ t: "str", v: "a" }] };
 * const p = pickPlace(tree, { random: () => 0, keep: (n) => n.t === "str" });
 * assert.equal(p === null ? null : pathOf(p), "$[0]");
 * ```
 */
export function pickPlace(
  root: MsgNode,
  options: { readonly random: () => number; readonly keep: (n: MsgNode) => boolean },
): Place | null {
  const { random, keep } = options;
  let chosen: Place | null = null;
  let seen = 0;
  const stack: Place[] = [{ node: root, parent: null, at: 0, up: null }];
  while (stack.length > 0) {
    const p = stack.pop()!;
    const n = p.node;
    if (p.parent !== null && keep(n) && random() * ++seen < 1) chosen = p;
    if (n.t === "arr") {
      for (let i = n.items.length - 1; i >= 0; i--) {
        stack.push({ node: n.items[i]!, parent: n, at: i, up: p });
      }
    } else if (n.t === "map") {
      for (let i = n.entries.length - 1; i >= 0; i--) {
        const [k, v] = n.entries[i]!;
        stack.push({ node: v, parent: n, at: 2 * i + 1, up: p });
        stack.push({ node: k, parent: n, at: 2 * i, up: p });
      }
    }
  }
  return chosen;
}
