import assert from "node:assert/strict";
import { LineReader, type RawLine, readLines } from "./reader.ts";
import { rng as random } from "../../tools/harness/spec_mutations.ts";

function chunked(parts: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

Deno.test("readLines splits on newlines, strips CR and the BOM, keeps a last line without newline", async () => {
  const got: [string, number][] = [];
  const text = '\uFEFF{"a":1}\r\n\n{"a":2}\n{"a":3}';
  const r = await readLines(new Blob([text]).stream(), (l, n) => got.push([l, n]));
  assert.deepEqual(got, [['{"a":1}', 1], ["", 2], ['{"a":2}', 3], ['{"a":3}', 4]]);
  assert.equal(r.lines, 4);
});

Deno.test("LineReader joins lines and multi-byte characters split across chunks", async () => {
  const bytes = new TextEncoder().encode('{"k":"é€"}\n{"k":"b"}\n');
  const parts = [bytes.slice(0, 7), bytes.slice(7, 9), bytes.slice(9, 15), bytes.slice(15)];
  const got: string[] = [];
  const reader = new LineReader(chunked(parts));
  while (await reader.pull((l) => got.push(l)));
  assert.deepEqual(got, ['{"k":"é€"}', '{"k":"b"}']);
  assert.equal(reader.bytes, bytes.length);
  assert.equal(reader.done, true);
});

Deno.test("LineReader hands out nothing for an empty stream", async () => {
  let n = 0;
  await readLines(chunked([]), () => n++);
  assert.equal(n, 0);
});

Deno.test("LineReader.pullRaw hands out the lines, numbers and texts pull does, however the bytes are chunked", async () => {
  const rnd = random(3);
  const pieces = [
    [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d], // {"a":1}
    [0x0a],
    [0x0d, 0x0a],
    [0x0d],
    [0xef, 0xbb, 0xbf], // a byte order mark
    [0xc3, 0xa9], // é
    [0xe2, 0x82, 0xac], // €
    [0xf0, 0x9f, 0x98, 0x80], // an astral character
    [0xc3], // unfinished
    [0xff], // invalid
    [0x5c, 0x22], // \"
    [0x20],
  ];
  let inPlaceRuns = 0;
  for (let run = 0; run < 300; run++) {
    const bytes: number[] = [];
    const n = Math.floor(rnd() * 60);
    for (let i = 0; i < n; i++) bytes.push(...pieces[Math.floor(rnd() * pieces.length)]!);
    const all = new Uint8Array(bytes);
    const parts: Uint8Array[] = [];
    for (let at = 0; at < all.length;) {
      const len = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 4 : 40));
      parts.push(all.slice(at, at + len));
      at += len;
    }
    // Sometimes short enough that lines read across chunks are cut.
    const options = { maxLineLength: rnd() < 0.3 ? 1 + Math.floor(rnd() * 20) : 1 << 20 };
    const want: [number, string][] = [];
    const a = new LineReader(chunked(parts), options);
    while (await a.pull((l, no) => void want.push([no, l])));
    if (options.maxLineLength === 1 << 20) {
      // The oracle: the whole stream decoded at once, a mark removed at its start only.
      let text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(all);
      if (text.startsWith("\uFEFF")) text = text.slice(1);
      const lines = text.split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
      if (text.endsWith("\n") || text.length === 0) lines.pop();
      assert.deepEqual(want, lines.map((l, i) => [i + 1, l]), JSON.stringify(bytes));
    }
    const got: [number, string, boolean][] = [];
    const b = new LineReader(chunked(parts.map((p) => p.slice())), options);
    // Sometimes the handler says where the line ends (as a scan of its bytes finds it), sometimes not.
    const onRaw = (l: RawLine) => {
      if (l.bytes !== null && rnd() < 0.5) l.endAt(l.bytes.indexOf(10, l.start));
      got.push([l.number, l.text(), l.bytes !== null]);
    };
    while (await b.pullRaw(onRaw));
    assert.deepEqual(got.map(([no, t]) => [no, t]), want, JSON.stringify(bytes));
    assert.deepEqual([b.lines, b.bytes, b.done], [a.lines, all.length, true]);
    if (got.some(([, , inPlace]) => inPlace)) inPlaceRuns++;
  }
  // Lines handed out in place, not only decoded ones, or the comparison proves little.
  assert.ok(inPlaceRuns > 100, `${inPlaceRuns} runs had a line in place`);
});
