import assert from "node:assert/strict";
import { FieldFinder } from "./byte_scan.ts";
import { scanRanges } from "./scan.ts";
import { rng as random } from "../../tools/harness/spec_mutations.ts";

const WANTED = ["host", "ts", "lock", 'a"b', "x\\y", ""];
/** Keys a line may have: the wanted ones, their prefixes and extensions, others. */
const KEYS = ["host", "hostname", "hos", "ts", "t", "tss", "lock", "locks", "msg", 'a"b', "x\\y"];
const VALUES = ['"api-1"', "17", '{"c":1}', '"lo\\"ck"', "[1,2]", "true", '"x"', "-3.5e2"];

/** A line whose members mostly come in one order (so the finder's prediction of keys is used). */
function line(rnd: () => number): string {
  const keys = rnd() < 0.7 ? ["ts", "host", "lock", "msg"] : KEYS.filter(() => rnd() < 0.5);
  if (rnd() < 0.2) keys.reverse();
  const members = keys.map((k) =>
    `${JSON.stringify(k)}:${VALUES[Math.floor(rnd() * VALUES.length)]}`
  );
  if (rnd() < 0.05) members.push(`"${KEYS[Math.floor(rnd() * KEYS.length)]}"`); // broken
  return `{${members.join(rnd() < 0.1 ? ", " : ",")}}`;
}

Deno.test("FieldFinder finds what scanRanges finds, line after line (keys predicted from the last line or not)", () => {
  const rnd = random(17);
  const text = new TextEncoder();
  const finder = new FieldFinder(WANTED.map((k) => text.encode(k)));
  const got = new Int32Array(2 * WANTED.length);
  const want = new Int32Array(2 * WANTED.length);
  let found = 0;
  let refused = 0;
  for (let n = 0; n < 20_000; n++) {
    const s = line(rnd);
    const b = text.encode(` ${s}`); // not at offset 0 of its buffer
    const ok = finder.find(b, 1, b.length, got);
    assert.equal(ok, scanRanges(s, WANTED, want), s);
    if (!ok) {
      refused++;
      continue;
    }
    found++;
    for (let x = 0; x < want.length; x++) {
      assert.equal(got[x], want[x]! < 0 ? -1 : want[x]! + 1, `${s} range ${x}`);
    }
  }
  assert.ok(found > 5_000 && refused > 1_000, `${found} found, ${refused} refused`);
});
