import assert from "node:assert/strict";
import { checkTimestamp, formatStamp, parseStamp } from "./stamp.ts";

Deno.test("Stamps are short and round-trip; malformed stamps throw TypeError", () => {
  const t = { wall: 1_732_170_000_123, logical: 42 };
  const s = formatStamp(t);
  assert.ok(s.length <= 12, s);
  assert.deepEqual(parseStamp(s), t);
  for (const bad of ["", "1", "1-", "-1", "A-1", "1-2-3", "zzzzzzzzzzzz-0"]) {
    assert.throws(() => parseStamp(bad), TypeError, bad);
  }
  assert.throws(() => checkTimestamp({ wall: 1, logical: 0.5 }), TypeError);
});
