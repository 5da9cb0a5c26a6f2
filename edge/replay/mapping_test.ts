import assert from "node:assert/strict";
import { getPath, MappingError, parseMapping } from "./mapping.ts";

Deno.test("parseMapping reads paths, renames, filters and per-argument fields", () => {
  const m = parseMapping({
    where: { type: ["transition", "step"] },
    node: "$file",
    key: { const: "main" },
    time: "meta.ts",
    timeUnit: "s",
    action: "event",
    actions: { lock_acquired: "acquire" },
    args: { c: "client.id" },
    state: "after",
    seq: "n",
  });
  const l = m.mappings[0]!;
  assert.deepEqual(l.where, [{ path: ["type"], values: ["transition", "step"] }]);
  assert.deepEqual(l.node, { kind: "file" });
  assert.deepEqual(l.key, { kind: "const", value: "main" });
  assert.deepEqual(l.time, { kind: "time", path: ["meta", "ts"], msPerUnit: 1000 });
  assert.equal(l.actions.get("lock_acquired"), "acquire");
  assert.deepEqual(l.args, { kind: "fields", fields: new Map([["c", ["client", "id"]]]) });
  assert.deepEqual(l.state, { kind: "object", path: ["after"] });
  assert.deepEqual([...m.topLevel].sort(), ["after", "client", "event", "meta", "n", "type"]);
});

Deno.test("parseMapping takes an HLC stamp or wall/logical fields instead of a time", () => {
  const a = parseMapping({ node: "n", key: "k", hlc: "stamp", action: "a" }).mappings[0]!;
  assert.deepEqual(a.time, { kind: "stamp", path: ["stamp"] });
  const b = parseMapping({ node: "n", key: "k", hlc: { wall: "h.w", logical: "h.l" }, action: "a" })
    .mappings[0]!;
  assert.deepEqual(b.time, { kind: "hlc", wall: ["h", "w"], logical: ["h", "l"] });
});

Deno.test("parseMapping accepts several line mappings", () => {
  const m = parseMapping({
    mappings: [
      { spec: "Lease", where: { svc: "lock" }, node: "n", key: "k", time: "t", action: "a" },
      { spec: "Order", where: { svc: "order" }, node: "n", key: "id", time: "t", action: "a" },
    ],
  });
  assert.equal(m.mappings.length, 2);
  assert.equal(m.mappings[1]!.spec, "Order");
});

Deno.test("parseMapping names the offending field of an invalid mapping", () => {
  const bad = (json: unknown, at: string) =>
    assert.throws(() => parseMapping(json), (e) => e instanceof MappingError && e.at === at);
  bad({ key: "k", time: "t", action: "a" }, "node");
  bad({ node: "n", key: "k", action: "a" }, "time");
  bad({ node: "n", key: "k", time: "t", action: "a", timeUnit: "h" }, "timeUnit");
  bad({ node: "n", key: "k", time: "t", action: "a", colour: 1 }, "colour");
  bad({ node: "", key: "k", time: "t", action: "a" }, "node");
  bad({ mappings: [] }, "mappings");
  bad({ mappings: [{ node: "n", key: "k", time: "t" }] }, "mappings[0].action");
});

Deno.test("getPath reads nested fields and array indices, undefined when absent", () => {
  const o = { a: { b: [10, { c: "x" }] } };
  assert.equal(getPath(o, ["a", "b", "1", "c"]), "x");
  assert.equal(getPath(o, ["a", "b", "0"]), 10);
  assert.equal(getPath(o, ["a", "z", "c"]), undefined);
  assert.equal(getPath(null, ["a"]), undefined);
});
