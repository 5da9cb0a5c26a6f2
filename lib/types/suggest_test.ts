import assert from "node:assert/strict";
import { suggestion } from "./suggest.ts";

Deno.test("suggestion names the closest candidate within a small edit distance", () => {
  assert.equal(suggestion("Slott", ["Slot", "Mode"]), " (did you mean 'Slot'?)");
  assert.equal(suggestion("tokn", ["token", "owner"]), " (did you mean 'token'?)");
  assert.equal(suggestion("md", ["mode"]), "");
  assert.equal(suggestion("zzz", ["Slot"]), "");
  assert.equal(suggestion("x", ["x"]), "");
});
