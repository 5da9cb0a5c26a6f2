import assert from "node:assert/strict";
import { actionExportNames, paramKebabNames, toKebab, uniqueKebab, witIdent } from "./wit_names.ts";

Deno.test("toKebab converts camelCase and snake_case to the same kebab name", () => {
  assert.equal(toKebab("markPaid"), "mark-paid");
  assert.equal(toKebab("mark_paid"), "mark-paid");
  assert.equal(toKebab("MarkPaid"), "mark-paid");
  assert.equal(toKebab("acquire"), "acquire");
  assert.equal(toKebab("HTTPServer"), "http-server");
  assert.equal(toKebab("__x__"), "x");
});

Deno.test("toKebab keeps every word starting with a letter when digits appear", () => {
  assert.equal(toKebab("retry_2"), "retry2");
  assert.equal(toKebab("step2Now"), "step2-now");
  assert.equal(toKebab("v2Beta_3x"), "v2-beta3x");
  assert.equal(toKebab("_2fa"), "n2fa");
  for (const name of ["a_1_b", "x9", "Q_7_7", "__9", "aB_Cd9e"]) {
    assert.match(toKebab(name), /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/);
  }
});

Deno.test("witIdent escapes WIT keywords with a percent sign", () => {
  assert.equal(witIdent("record"), "%record");
  assert.equal(witIdent("u32"), "%u32");
  assert.equal(witIdent("acquire"), "acquire");
});

Deno.test("uniqueKebab resolves collisions deterministically in order", () => {
  assert.deepEqual(uniqueKebab(["markPaid", "mark_paid", "markPaid2"]), [
    "mark-paid",
    "mark-paid2",
    "mark-paid22",
  ]);
  assert.deepEqual(uniqueKebab(["a", "a", "a"]), ["a", "a2", "a3"]);
});

Deno.test("actionExportNames avoids the fixed check-invariants export", () => {
  const names = actionExportNames(["invariants", "markPaid"]);
  assert.deepEqual(names[0], {
    kebab: "invariants2",
    step: "step-invariants2",
    check: "check-invariants2",
  });
  assert.equal(names[1]!.check, "check-mark-paid");
});

Deno.test("paramKebabNames keeps parameters distinct from inst", () => {
  assert.deepEqual(paramKebabNames(["inst", "clientId", "client_id"]), [
    "inst2",
    "client-id",
    "client-id2",
  ]);
});

Deno.test("toKebab joins one-character segments, which the bindings' camelCase would merge", () => {
  assert.equal(toKebab("a_b"), "ab");
  assert.equal(toKebab("aB"), "ab");
  assert.equal(toKebab("a_b_c"), "abc");
  assert.equal(toKebab("a1_b"), "a1b");
  assert.equal(toKebab("x__y"), "xy");
  assert.equal(toKebab("ab_c"), "abc");
  assert.equal(toKebab("markPaid"), "mark-paid");
  for (const name of ["a_b", "x_y_zz", "q_rs_t", "HTTPServer", "v2Beta_3x"]) {
    for (const segment of toKebab(name).split("-").slice(1)) assert.ok(segment.length > 1, name);
  }
});
