import assert from "node:assert/strict";
import binaryen from "binaryen";
import { FieldFinder } from "./byte_scan.ts";
import { LineScanner } from "./line_scan.ts";
import { LINE_SCAN_WASM } from "./line_scan_wasm.ts";
import { rng as random } from "../../tools/harness/spec_mutations.ts";

/** `line_scan.wat` assembled and optimized by binaryen, as `line_scan_wasm.ts` holds it. */
async function assemble(): Promise<Uint8Array> {
  const text = await Deno.readTextFile(new URL("./line_scan.wat", import.meta.url));
  const m = binaryen.parseText(text);
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128);
    if (!m.validate()) throw new Error("line_scan.wat does not validate");
    // Speed over size, the helpers inlined into the scan (a call per token cost more than its work).
    binaryen.setOptimizeLevel(3);
    binaryen.setShrinkLevel(0);
    binaryen.setAlwaysInlineMaxSize(64);
    binaryen.setFlexibleInlineMaxSize(1000);
    m.optimize();
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** The source of `line_scan_wasm.ts` holding `bytes`. */
function wasmModuleSource(bytes: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...bytes));
  const lines = b64.match(/.{1,96}/g)!.map((l) => `  "${l}",`).join("\n");
  return `/**
 * \`line_scan.wat\` assembled by binaryen (generated: \`VIGIL_WRITE_WASM=1 deno test -A
 * edge/replay/line_scan_test.ts\` writes it again; the test checks it is up to date).
 *
 * @module
 */

/** The bytes of the line scanner's WebAssembly module. */
export const LINE_SCAN_WASM: Uint8Array = Uint8Array.from(
  atob([
${lines}
  ].join("")),
  (c) => c.charCodeAt(0),
);
`;
}

Deno.test("line_scan_wasm.ts is line_scan.wat assembled", async () => {
  const bytes = await assemble();
  if (Deno.env.get("VIGIL_WRITE_WASM") === "1") {
    await Deno.writeTextFile(
      new URL("./line_scan_wasm.ts", import.meta.url),
      wasmModuleSource(bytes),
    );
  }
  assert.deepEqual(
    LINE_SCAN_WASM,
    bytes,
    "run VIGIL_WRITE_WASM=1 deno test -A edge/replay/line_scan_test.ts",
  );
});

const WANTED = ["host", "ts", "lock", 'a"b', "x\\y", "", "hostname2"];
const KEYS = [
  "host",
  "hostname",
  "hos",
  "ts",
  "t",
  "tss",
  "lock",
  "locks",
  "msg",
  'a"b',
  "x\\y",
  "",
];
const VALUES = [
  '"api-1"',
  "17",
  '{"c":1}',
  '"lo\\"ck"',
  "[1,2]",
  "true",
  '"x"',
  "-3.5e2",
  '"é"',
  '{"a":[{"b":"}"}]}',
];

function line(rnd: () => number): string {
  const keys = rnd() < 0.7 ? ["ts", "host", "lock", "msg"] : KEYS.filter(() => rnd() < 0.5);
  if (rnd() < 0.2) keys.reverse();
  const members = keys.map((k) =>
    `${JSON.stringify(k)}:${VALUES[Math.floor(rnd() * VALUES.length)]}`
  );
  if (rnd() < 0.05) members.push(`"${KEYS[Math.floor(rnd() * KEYS.length)]}"`); // broken
  const text = `{${members.join(rnd() < 0.1 ? " , " : ",")}}`;
  const r = rnd();
  return r < 0.03
    ? text.slice(0, -1)
    : r < 0.06
    ? ` ${text}\t`
    : r < 0.08
    ? `${text}x`
    : r < 0.1
    ? ""
    : text;
}

Deno.test("LineScanner finds each line's fields and newline as FieldFinder.findLine does, chunk after chunk", () => {
  const rnd = random(29);
  const text = new TextEncoder();
  const keys = WANTED.map((k) => text.encode(k));
  const scanner = LineScanner.of(keys)!;
  const finder = new FieldFinder(keys);
  const got = new Int32Array(2 * keys.length);
  const want = new Int32Array(2 * keys.length);
  const seps = ["\n", "\r\n", " \n", "\r\r\n", "\n\n"];
  let found = 0;
  let refused = 0;
  let chunk = 0;
  for (let n = 0; n < 300; n++) {
    // Chunks of a few lines to many (more than one call's window or lines).
    const count = rnd() < 0.1 ? 5000 : 1 + Math.floor(rnd() * 40);
    const lines = Array.from(
      { length: count },
      () => line(rnd) + seps[Math.floor(rnd() * seps.length)],
    );
    if (rnd() < 0.05) lines[0] = `{"msg":"${"x".repeat(140_000)}"}\n`; // longer than a call takes
    for (let x = 0; x < lines.length; x++) {
      // A newline anywhere in a line (in a string, a key, a composite value) ends it there.
      if (rnd() < 0.1) {
        const l = lines[x]!;
        const at = Math.floor(rnd() * l.length);
        lines[x] = `${l.slice(0, at)}\n${l.slice(at)}`;
      }
    }
    const pad = Math.floor(rnd() * 3);
    const b = text.encode(`${" ".repeat(pad)}${lines.join("")}{"ts":`);
    const limit = b.lastIndexOf(10);
    chunk++;
    for (let start = pad; start <= limit;) {
      const newline = b.indexOf(10, start);
      // Sometimes a line is skipped (the reader handled it: blank, say).
      if (rnd() < 0.05) {
        start = newline + 1;
        continue;
      }
      const at = scanner.findLine(b, start, limit, chunk, got);
      const ref = finder.findLine(b, start, limit, want);
      const shown = new TextDecoder().decode(b.subarray(start, Math.min(newline + 1, start + 200)));
      if (at === -2) {
        assert.ok(newline - start >= 128 << 10, `refused a short line: ${shown}`);
      } else {
        assert.equal(at, ref, shown);
        if (ref >= 0) {
          found++;
          assert.deepEqual(got, want, shown);
        } else refused++;
      }
      start = newline + 1;
    }
  }
  assert.ok(found > 20_000 && refused > 2_000, `${found} found, ${refused} refused`);
});
