/**
 * A `__proto__` key survives where an assignment to it would set the
 * prototype instead (Node and Bun; Deno only under
 * `--unstable-unsafe-proto`): the ITF trace of a spec with a `__proto__`
 * variable and parameter (`lib/explore/itf.ts`), and the replay scanner's
 * fields (`edge/replay/scan.ts`). The tests run once as they are and once
 * again, in a child `deno test`, under `--unstable-unsafe-proto`.
 */
import assert from "node:assert/strict";
import { analyze } from "../lib/frontend.ts";
import { toItf } from "../lib/explore/itf.ts";
import { scanFields } from "../edge/replay/scan.ts";
import { registerUnsafeProtoRerun } from "../tools/harness/unsafe_proto.ts";

/** Parses a spec that must check. */
function programOf(source: string) {
  const { program, diagnostics } = analyze(source);
  assert.ok(
    program !== null && !diagnostics.some((d) => d.severity === "error"),
    JSON.stringify(diagnostics),
  );
  return program;
}

Deno.test("toItf keeps a state variable named __proto__ as an own key", () => {
  const program = programOf(
    "spec P\nstate __proto__: 0..3 = 0\nstate other: bool = false\naction bump\n  __proto__ := 2\n",
  );
  const itf = toItf(program, [
    { step: 0, action: null, args: {}, state: JSON.parse('{"__proto__":0,"other":false}') },
    { step: 1, action: "bump", args: {}, state: JSON.parse('{"__proto__":2,"other":false}') },
  ]);
  assert.equal(Object.getPrototypeOf(itf.states[1]), Object.prototype);
  const text = JSON.stringify(itf.states);
  const back = JSON.parse(text);
  assert.ok(Object.hasOwn(back[0], "__proto__"), text);
  assert.deepEqual(back[0]["__proto__"], { "#bigint": "0" });
  assert.deepEqual(back[1]["__proto__"], { "#bigint": "2" });
  assert.equal(back[1].other, false);
});

Deno.test("toItf keeps a parameter named __proto__ in the nondeterministic picks", () => {
  const program = programOf(
    "spec Q\nstate n: 0..3 = 0\naction set(__proto__: 0..3)\n  n := __proto__\n",
  );
  const itf = toItf(program, [
    { step: 0, action: null, args: {}, state: { n: 0 } },
    { step: 1, action: "set", args: JSON.parse('{"__proto__":3}'), state: { n: 3 } },
  ]);
  const picks = itf.states[1]!["mbt::nondetPicks"] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(picks), Object.prototype);
  const back = JSON.parse(JSON.stringify(picks));
  assert.ok(Object.hasOwn(back, "__proto__"), JSON.stringify(picks));
  assert.deepEqual(back["__proto__"], { "#bigint": "3" });
});

Deno.test("scanFields reads a __proto__ field as JSON.parse does, at the top and in a flat object", () => {
  const line = '{"ts":5,"__proto__":"p","args":{"__proto__":3,"n":1},"node":"a"}';
  const got = scanFields(line, ["ts", "__proto__", "args"]);
  assert.ok(got !== null);
  const parsed = JSON.parse(line);
  assert.deepEqual(got, { ts: parsed.ts, ["__proto__"]: parsed["__proto__"], args: parsed.args });
  assert.ok(Object.hasOwn(got, "__proto__"));
  assert.equal(got["__proto__"], "p");
  const args = got.args as Record<string, unknown>;
  assert.ok(Object.hasOwn(args, "__proto__"));
  assert.equal(args["__proto__"], 3);
  assert.equal(Object.getPrototypeOf(got), Object.prototype);
  assert.equal(Object.getPrototypeOf(args), Object.prototype);
});

registerUnsafeProtoRerun(import.meta.url, {
  passed: 4,
  name: "The same hold where Object.prototype.__proto__ is a setter",
});
