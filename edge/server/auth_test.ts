import assert from "node:assert/strict";
import { bearerToken, parseTokens, tokenAuth } from "./auth.ts";

Deno.test("tokenAuth maps each token to its node and refuses unknown tokens", () => {
  const auth = tokenAuth({ "api-1": "aaa", "api-2": "bbb" });
  assert.equal(auth.size, 2);
  assert.equal(auth.nodeOf("aaa"), "api-1");
  assert.equal(auth.nodeOf("bbb"), "api-2");
  assert.equal(auth.nodeOf("aa"), null);
  assert.equal(auth.nodeOf("aaaa"), null);
  assert.equal(auth.nodeOf(""), null);
});

Deno.test("tokenAuth refuses empty and shared tokens", () => {
  assert.throws(() => tokenAuth({ a: "" }), TypeError);
  assert.throws(() => tokenAuth({ a: "x", b: "x" }), /shared/);
});

Deno.test("bearerToken reads only Bearer credentials", () => {
  assert.equal(bearerToken("Bearer abc"), "abc");
  assert.equal(bearerToken("bearer  abc "), "abc");
  assert.equal(bearerToken("Basic abc"), null);
  assert.equal(bearerToken("Bearer"), null);
  assert.equal(bearerToken(null), null);
});

Deno.test("parseTokens reads node=token lines and names a bad line", () => {
  assert.deepEqual(parseTokens("# c\n\na=1\n b = 2 \n"), { a: "1", b: "2" });
  assert.throws(() => parseTokens("a=1\nnope\n"), /line 2/);
});
