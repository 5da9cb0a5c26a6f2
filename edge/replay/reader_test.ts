import assert from "node:assert/strict";
import { LineReader, readLines } from "./reader.ts";

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
