import assert from "node:assert/strict";
import { sha256Hex } from "./hash.ts";

Deno.test("sha256Hex matches the FIPS 180-2 test vectors", async () => {
  assert.equal(
    await sha256Hex(""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("sha256Hex hashes bytes, buffers and strings alike", async () => {
  const bytes = new TextEncoder().encode("spec Lease\n");
  const expected = await sha256Hex("spec Lease\n");
  assert.equal(await sha256Hex(bytes), expected);
  assert.equal(await sha256Hex(bytes.buffer), expected);
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  assert.equal(await sha256Hex(shared), expected);
  assert.match(expected, /^[0-9a-f]{64}$/);
});
