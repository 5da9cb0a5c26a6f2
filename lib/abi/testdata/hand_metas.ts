/**
 * Metadata of two tiny hand-written specs (no compiler needed), shared by
 * the ABI tests and the hand-written core modules of `lib/wasm/testdata`:
 * - `Toggle`: one bool slot `on`; actions `flip` and `turnOn` (require not
 *   on); liveness `Settles` (when on, eventually not on); global invariant
 *   `AtMostOneOn` (code 2).
 * - `Dial`: `mode: Mode = enum { off, low, high }`, `level: 0..10`; actions
 *   `set(m: Mode)` and `bump(by: 1..3)` (require mode != off); invariant
 *   `BelowTen` (level < 10).
 * - `Ledger` (metadata only): an `int`, a signed range and maps keyed by
 *   enum, bool and range, for the state codec.
 *
 * @module
 */
import type { SpecMeta } from "../meta.ts";
import type { SourceRange } from "../source_range.ts";

function r(line: number, column = 1, endColumn = column + 10): SourceRange {
  return { line, column, endLine: line, endColumn };
}

const MODE = { kind: "enum", name: "Mode", labels: ["off", "low", "high"] } as const;

/** Metadata of the hand-written `Toggle` spec. */
export const TOGGLE_META: SpecMeta = {
  abi: 1,
  name: "Toggle",
  sourceHash: "0".repeat(64),
  stride: 8,
  slots: [{ offset: 0, width: 1, signed: false }],
  vars: [{ name: "on", type: { kind: "bool" }, base: 0, size: 1, range: r(2) }],
  initial: ["0"],
  actions: [
    { name: "flip", stepExport: "step-flip", checkExport: "check-flip", params: [], range: r(4) },
    {
      name: "turnOn",
      stepExport: "step-turn-on",
      checkExport: "check-turn-on",
      params: [],
      range: r(6),
    },
  ],
  invariants: [],
  globalInvariants: [{ name: "AtMostOneOn", code: 2, range: r(9) }],
  liveness: [{ name: "Settles", code: 4, range: r(8), withinMs: 1000, bit: 0 }],
  globalLiveness: [],
  verdicts: [
    { code: 0, kind: "ok", item: "", detail: "", range: r(1) },
    { code: 1, kind: "unknown_action", item: "", detail: "", range: r(1) },
    {
      code: 2,
      kind: "invariant_failed",
      item: "global invariant AtMostOneOn",
      detail: "count(n in nodes: n.on) <= 1",
      range: r(9),
    },
    {
      code: 3,
      kind: "guard_failed",
      item: "action turnOn",
      detail: "require not on",
      range: r(7, 3),
    },
    {
      code: 4,
      kind: "liveness_timeout",
      item: "liveness Settles",
      detail: "not on",
      range: r(8),
    },
  ],
  range: r(1),
};

/** Metadata of the hand-written `Dial` spec. */
export const DIAL_META: SpecMeta = {
  abi: 1,
  name: "Dial",
  sourceHash: "1".repeat(64),
  stride: 8,
  slots: [{ offset: 0, width: 1, signed: false }, { offset: 1, width: 1, signed: false }],
  vars: [
    { name: "mode", type: MODE, base: 0, size: 1, range: r(3) },
    { name: "level", type: { kind: "range", lo: "0", hi: "10" }, base: 1, size: 1, range: r(4) },
  ],
  initial: ["0", "0"],
  actions: [
    {
      name: "set",
      stepExport: "step-set",
      checkExport: "check-set",
      params: [{ name: "m", type: MODE, code: 2 }],
      range: r(6),
    },
    {
      name: "bump",
      stepExport: "step-bump",
      checkExport: "check-bump",
      params: [{ name: "by", type: { kind: "range", lo: "1", hi: "3" }, code: 3 }],
      range: r(8),
    },
  ],
  invariants: [{ name: "BelowTen", code: 6, range: r(11) }],
  globalInvariants: [],
  liveness: [],
  globalLiveness: [],
  verdicts: [
    { code: 0, kind: "ok", item: "", detail: "", range: r(1) },
    { code: 1, kind: "unknown_action", item: "", detail: "", range: r(1) },
    { code: 2, kind: "bad_argument", item: "action set", detail: "m", range: r(6, 12) },
    { code: 3, kind: "bad_argument", item: "action bump", detail: "by", range: r(8, 13) },
    {
      code: 4,
      kind: "guard_failed",
      item: "action bump",
      detail: "require mode != off",
      range: r(9, 3),
    },
    { code: 5, kind: "range_violation", item: "action bump", detail: "level", range: r(10, 3) },
    {
      code: 6,
      kind: "invariant_failed",
      item: "invariant BelowTen",
      detail: "level < 10",
      range: r(11),
    },
  ],
  range: r(1),
};

/** Metadata of `Ledger`: `int`, signed range and map slots (no core module). */
export const LEDGER_META: SpecMeta = {
  abi: 1,
  name: "Ledger",
  sourceHash: "2".repeat(64),
  stride: 48,
  slots: [
    { offset: 0, width: 8, signed: true },
    { offset: 8, width: 2, signed: true },
    { offset: 10, width: 1, signed: false },
    { offset: 11, width: 1, signed: false },
    { offset: 12, width: 1, signed: false },
    { offset: 13, width: 1, signed: false },
    { offset: 14, width: 1, signed: false },
    { offset: 16, width: 4, signed: false },
    { offset: 20, width: 4, signed: false },
    { offset: 24, width: 4, signed: false },
  ],
  vars: [
    { name: "balance", type: { kind: "int" }, base: 0, size: 1, range: r(2) },
    {
      name: "delta",
      type: { kind: "range", lo: "-300", hi: "300" },
      base: 1,
      size: 1,
      range: r(3),
    },
    {
      name: "byMode",
      type: { kind: "map", key: MODE, value: { kind: "bool" } },
      base: 2,
      size: 3,
      range: r(4),
    },
    {
      name: "flags",
      type: { kind: "map", key: { kind: "bool" }, value: MODE },
      base: 5,
      size: 2,
      range: r(5),
    },
    {
      name: "spent",
      type: {
        kind: "map",
        key: { kind: "range", lo: "-1", hi: "1" },
        value: { kind: "range", lo: "0", hi: "100000" },
      },
      base: 7,
      size: 3,
      range: r(6),
    },
  ],
  initial: ["0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
  actions: [
    {
      name: "pay",
      stepExport: "step-pay",
      checkExport: "check-pay",
      params: [
        { name: "amount", type: { kind: "int" }, code: 2 },
        { name: "urgent", type: { kind: "bool" }, code: 3 },
        { name: "mode", type: MODE, code: 4 },
      ],
      range: r(8),
    },
  ],
  invariants: [],
  globalInvariants: [],
  liveness: [],
  globalLiveness: [],
  verdicts: [
    { code: 0, kind: "ok", item: "", detail: "", range: r(1) },
    { code: 1, kind: "unknown_action", item: "", detail: "", range: r(1) },
    { code: 2, kind: "bad_argument", item: "action pay", detail: "amount", range: r(8) },
    { code: 3, kind: "bad_argument", item: "action pay", detail: "urgent", range: r(8) },
    { code: 4, kind: "bad_argument", item: "action pay", detail: "mode", range: r(8) },
  ],
  range: r(1),
};
