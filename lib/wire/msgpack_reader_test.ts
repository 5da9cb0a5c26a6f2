import assert from "node:assert/strict";
import { ascii, INTERN_MAX_BYTES, Interner } from "./msgpack_reader.ts";

Deno.test("ascii decodes a string longer than a call takes arguments (200,000 bytes), as it does a short one", () => {
  const text = "lane:".repeat(40_000);
  const bytes = new TextEncoder().encode(`..${text}..`);
  assert.equal(ascii(bytes, 2, text.length), text);
  assert.equal(ascii(bytes, 2, 17), text.slice(0, 17));
});

Deno.test("The interner keeps a string of INTERN_MAX_BYTES and decodes a longer one without keeping it (a header's overlong id is read before a collector refuses it)", () => {
  const t = new Interner();
  const at = new TextEncoder().encode("a".repeat(INTERN_MAX_BYTES));
  const first = t.ascii(at, 0, at.length);
  assert.equal(t.size, 1);
  assert.equal(t.ascii(at, 0, at.length), first);
  const over = new TextEncoder().encode("b".repeat(INTERN_MAX_BYTES + 1));
  for (let i = 0; i < 3; i++) {
    assert.equal(t.ascii(over, 0, over.length), "b".repeat(INTERN_MAX_BYTES + 1));
  }
  assert.equal(t.size, 1);
});
