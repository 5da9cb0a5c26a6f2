import assert from "node:assert/strict";
import {
  assignable,
  cardinality,
  comparable,
  describeType,
  finiteBounds,
  joinTypes,
} from "./type_rules.ts";
import type { Type } from "../ir.ts";

const INT: Type = { kind: "int" };
const BOOL: Type = { kind: "bool" };
const SLOT: Type = { kind: "range", lo: 1n, hi: 4n, name: "Slot" };
const MODE: Type = { kind: "enum", name: "Mode", labels: ["a", "b", "c"] };
const COLOR: Type = { kind: "enum", name: "Color", labels: ["a2"] };

Deno.test("comparable allows ints with ranges, same enums, bools and nodes", () => {
  assert.ok(comparable(INT, SLOT));
  assert.ok(comparable(MODE, MODE));
  assert.ok(comparable(BOOL, BOOL));
  assert.ok(comparable({ kind: "node" }, { kind: "node" }));
  assert.ok(!comparable(MODE, COLOR));
  assert.ok(!comparable(BOOL, INT));
  assert.ok(!comparable({ kind: "node" }, INT));
  assert.ok(comparable({ kind: "error" }, MODE));
});

Deno.test("assignable allows ints into ranges, same enums and bools only", () => {
  assert.ok(assignable({ kind: "range", lo: 0n, hi: 1n }, INT));
  assert.ok(assignable({ kind: "int" }, SLOT));
  assert.ok(assignable({ kind: "enum", name: "Mode", labels: ["a", "b", "c"] }, MODE));
  assert.ok(!assignable({ kind: "enum", name: "Mode", labels: ["a", "b", "c"] }, INT));
  assert.ok(!assignable({ kind: "bool" }, INT));
  assert.ok(!assignable({ kind: "int" }, BOOL));
});

Deno.test("joinTypes keeps equal ranges, widens mixed integers and rejects mismatches", () => {
  assert.deepEqual(joinTypes(SLOT, SLOT), SLOT);
  assert.deepEqual(joinTypes(SLOT, INT), INT);
  assert.deepEqual(joinTypes(MODE, MODE), MODE);
  assert.equal(joinTypes(MODE, COLOR), null);
  assert.equal(joinTypes(BOOL, INT), null);
  assert.deepEqual(joinTypes({ kind: "error" }, BOOL), BOOL);
});

Deno.test("finite bounds, cardinality and descriptions", () => {
  assert.deepEqual(finiteBounds({ kind: "range", lo: 1n, hi: 4n }), { lo: 1n, hi: 4n });
  assert.deepEqual(finiteBounds({ kind: "enum", name: "Mode", labels: ["a", "b", "c"] }), {
    lo: 0n,
    hi: 2n,
  });
  assert.equal(cardinality({ kind: "bool" }), 2n);
  assert.equal(describeType(SLOT), "Slot");
  assert.equal(describeType({ kind: "range", lo: -1n, hi: 3n }), "-1..3");
  assert.equal(
    describeType({ kind: "map", key: { kind: "bool" }, value: { kind: "int" } }),
    "map[bool, int]",
  );
});
