import assert from "node:assert/strict";
import { decodeView, encodeArgs, encodeView, readBlock } from "./state_codec.ts";
import { DIAL_META, LEDGER_META, TOGGLE_META } from "./testdata/hand_metas.ts";

const BIG = 1n << 60n;

Deno.test("decodeView turns bools, enum labels and ranges into JS values", () => {
  assert.deepEqual(decodeView(TOGGLE_META, [1n]), { on: true });
  assert.deepEqual(decodeView(DIAL_META, [2n, 7n]), { mode: "high", level: 7 });
});

Deno.test("decodeView keys maps by label, bool and number and keeps unsafe ints as bigint", () => {
  const view = decodeView(LEDGER_META, [BIG, -300n, 1n, 0n, 1n, 2n, 0n, 5n, 0n, 100000n]);
  assert.deepEqual(view, {
    balance: BIG,
    delta: -300,
    byMode: { off: true, low: false, high: true },
    flags: { false: "high", true: "off" },
    spent: { "-1": 5, "0": 0, "1": 100000 },
  });
  assert.equal(decodeView(LEDGER_META, [-42n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]).balance, -42);
});

Deno.test("encodeView round-trips a full view", () => {
  const slots = [BIG, 12n, 0n, 1n, 0n, 1n, 2n, 0n, 9n, 3n];
  assert.deepEqual(
    encodeView(LEDGER_META, decodeView(LEDGER_META, slots), new Array(10).fill(0n)),
    slots,
  );
});

Deno.test("encodeView keeps base values for missing variables and map keys", () => {
  const base = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  const slots = encodeView(
    LEDGER_META,
    { balance: -5, byMode: { high: true }, spent: { "1": 4n } },
    base,
  );
  assert.deepEqual(slots, [-5n, 0n, 0n, 0n, 1n, 0n, 0n, 0n, 0n, 4n]);
  assert.deepEqual(base, [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
});

Deno.test("encodeView rejects unknown variables, keys, labels and wrong types", () => {
  const base = [0n, 0n];
  assert.throws(() => encodeView(DIAL_META, { speed: 1 }, base), /Unknown state variable 'speed'/);
  assert.throws(() => encodeView(DIAL_META, { mode: "max" }, base), TypeError);
  assert.throws(() => encodeView(DIAL_META, { level: 1.5 }, base), /expected an integer, got 1.5/);
  assert.throws(() => encodeView(TOGGLE_META, { on: 1 }, [0n]), /expected a boolean, got 1/);
  const ten = new Array(10).fill(0n);
  assert.throws(() => encodeView(LEDGER_META, { spent: { "2": 1 } }, ten), /unknown key '2'/);
  assert.throws(() => encodeView(LEDGER_META, { flags: 3 }, ten), /expected an object/);
});

Deno.test("encodeArgs maps labels to indexes, bools to 0/1 and passes numbers through", () => {
  assert.deepEqual(encodeArgs(DIAL_META, 0, { m: "high" }), [2]);
  assert.deepEqual(encodeArgs(DIAL_META, 1, { by: 2 }), [2]);
  assert.deepEqual(encodeArgs(LEDGER_META, 0, { amount: -7n, urgent: true, mode: "low" }), [
    -7,
    1,
    1,
  ]);
  // Out-of-type numbers are the WASM's business (bad_argument), not the encoder's.
  assert.deepEqual(encodeArgs(DIAL_META, 1, { by: 99.5 }), [99.5]);
  assert.deepEqual(encodeArgs(TOGGLE_META, 0, {}), []);
});

Deno.test("encodeArgs names the action, parameter and value in errors", () => {
  assert.throws(
    () => encodeArgs(DIAL_META, 0, { m: "max" }),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === "Action 'set' parameter 'm': expected one of 'off', 'low', 'high', got 'max'",
  );
  assert.throws(() => encodeArgs(DIAL_META, 0, {}), /Action 'set' parameter 'm': missing argument/);
  assert.throws(
    () => encodeArgs(DIAL_META, 0, { m: "low", x: 1 }),
    /Action 'set' has no parameter 'x'/,
  );
  assert.throws(
    () => encodeArgs(DIAL_META, 1, { by: "2" }),
    /parameter 'by': expected a number or bigint, got '2'/,
  );
  assert.throws(
    () => encodeArgs(LEDGER_META, 0, { amount: 1, urgent: "yes", mode: "off" }),
    TypeError,
  );
  assert.throws(
    () => encodeArgs(LEDGER_META, 0, { amount: BIG + 1n, urgent: true, mode: "off" }),
    RangeError,
  );
  assert.throws(() => encodeArgs(DIAL_META, 5, {}), RangeError);
});

Deno.test("readBlock reads packed little-endian slots with their width and sign", () => {
  const data = new DataView(new ArrayBuffer(64));
  const ptr = 8;
  data.setBigInt64(ptr, -BIG, true);
  data.setInt16(ptr + 8, -300, true);
  data.setUint8(ptr + 10, 1);
  data.setUint8(ptr + 14, 2);
  data.setUint32(ptr + 24, 100000, true);
  assert.deepEqual(readBlock(data, ptr, LEDGER_META.slots), [
    -BIG,
    -300n,
    1n,
    0n,
    0n,
    0n,
    2n,
    0n,
    0n,
    100000n,
  ]);
});
