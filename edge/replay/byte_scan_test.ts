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

Deno.test("FieldFinder.findLine finds a line's fields and its newline as find finds the fields of the line", () => {
  const rnd = random(23);
  const text = new TextEncoder();
  const finder = new FieldFinder(WANTED.map((k) => text.encode(k)));
  const reference = new FieldFinder(WANTED.map((k) => text.encode(k)));
  const got = new Int32Array(2 * WANTED.length);
  const want = new Int32Array(2 * WANTED.length);
  const seps = ["\n", "\r\n", " \n", "\r\r\n", "\n\n"];
  let found = 0;
  let refused = 0;
  for (let n = 0; n < 5_000; n++) {
    const lines = Array.from(
      { length: 4 },
      () => line(rnd) + seps[Math.floor(rnd() * seps.length)],
    );
    // A newline inside a line's text ends it there, as the reader splits lines.
    if (rnd() < 0.2) {
      const l = lines[0]!;
      const at = Math.floor(rnd() * l.length);
      lines[0] = `${l.slice(0, at)}\n${l.slice(at)}`;
    }
    const b = text.encode(` ${lines.join("")}{"ts":`);
    const limit = b.lastIndexOf(10);
    for (let start = 1; start <= limit;) {
      const newline = b.indexOf(10, start);
      const end = newline > start && b[newline - 1] === 13 ? newline - 1 : newline;
      const ok = reference.find(b, start, end, want);
      const at = finder.findLine(b, start, limit, got);
      const shown = new TextDecoder().decode(b.subarray(start, newline + 1));
      assert.equal(at, ok ? newline : -1, shown);
      if (ok) {
        found++;
        assert.deepEqual(got, want, shown);
      } else refused++;
      start = newline + 1;
    }
  }
  assert.ok(found > 5_000 && refused > 1_000, `${found} found, ${refused} refused`);
});
