import assert from "node:assert/strict";
import { ascii } from "./msgpack_reader.ts";

Deno.test("ascii decodes a string longer than a call takes arguments (200,000 bytes), as it does a short one", () => {
  const text = "lane:".repeat(40_000);
  const bytes = new TextEncoder().encode(`..${text}..`);
  assert.equal(ascii(bytes, 2, text.length), text);
  assert.equal(ascii(bytes, 2, 17), text.slice(0, 17));
});
