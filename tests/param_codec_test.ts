/**
 * Encoding named arguments (`runtime/monitor/param_codec.ts`): a missing
 * parameter named like an `Object.prototype` member reads the inherited
 * member, and must still be reported as a missing argument, directly and
 * through a loaded monitor.
 */
import assert from "node:assert/strict";
import { argValue, paramCodec } from "../runtime/monitor/param_codec.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { compileToTemp } from "../tools/harness/spec_files.ts";

const INHERITED = ["toString", "valueOf", "constructor", "hasOwnProperty", "__proto__"];

Deno.test("argValue reports a missing parameter named like an Object.prototype member as missing", () => {
  for (const name of INHERITED) {
    for (const type of [{ kind: "bool" }, { kind: "int" }] as const) {
      const p = paramCodec("act", name, type);
      assert.throws(() => argValue(p, {}), {
        name: "TypeError",
        message: `Action 'act' parameter '${name}': missing argument`,
      });
      assert.throws(() => argValue(p, undefined), {
        message: `Action 'act' parameter '${name}': missing argument`,
      });
    }
  }
  const p = paramCodec("act", "toString", { kind: "bool" });
  const given = JSON.parse('{"toString":true}');
  assert.equal(argValue(p, given), 1);
  assert.throws(() => argValue(p, { toString: "yes" } as never), {
    message: "Action 'act' parameter 'toString': expected a boolean, got 'yes'",
  });
});

Deno.test("A loaded monitor reports a missing 'toString' argument as missing", async () => {
  const compiled = await compileToTemp(
    "proto_param",
    "spec ProtoParam\nstate on: bool = false\naction say(toString: bool)\n  on := toString\n",
  );
  try {
    const monitor = (await loadSpec(`${compiled.dir}/proto_param.core.wasm`)).monitor();
    assert.throws(() => monitor.tryStep("say", {}), {
      name: "TypeError",
      message: "Action 'say' parameter 'toString': missing argument",
    });
    assert.throws(() => monitor.tryStep("say"), {
      message: "Action 'say' parameter 'toString': missing argument",
    });
    assert.equal(monitor.tryStep("say", { toString: true } as never).code, 0);
  } finally {
    await Deno.remove(compiled.dir, { recursive: true });
  }
});
