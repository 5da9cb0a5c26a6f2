/**
 * Cross-language check of the wire format: a real batch encoded by the codec
 * is decoded by Python's `msgpack` (Debian's python3-msgpack, not msgpackr)
 * and compared field by field. Fails with a clear message when no Python
 * with msgpack is found.
 */
import assert from "node:assert/strict";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { BatchHeader, EventBody } from "../lib/wire/event.ts";

const SCRIPT = new URL("./wire_decode.py", import.meta.url).pathname;

async function python(): Promise<string> {
  for (const bin of ["python3", "/usr/bin/python3", "python"]) {
    try {
      const out = await new Deno.Command(bin, { args: ["-c", "import msgpack"], stderr: "null" })
        .output();
      if (out.success) return bin;
    } catch {
      // not this one
    }
  }
  throw new Error(
    "No python3 with the msgpack module: install it with 'apt-get install -y python3-msgpack'",
  );
}

async function decodeWithPython(bytes: Uint8Array): Promise<Record<string, unknown>> {
  const child = new Deno.Command(await python(), {
    args: [SCRIPT],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(bytes);
  await w.close();
  const out = await child.output();
  const err = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `python failed: ${err}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

Deno.test("Python msgpack decodes a real batch field by field", async () => {
  const header: BatchHeader = {
    spec: "a1b2c3d4".repeat(8),
    specName: "Lease",
    node: "api-1",
    boot: "0193f1c2-boot",
    firstSeq: 4_294_967_300,
    dropped: [[0, 9], [4_294_967_290, 4_294_967_299]],
  };
  const events: EventBody[] = Array.from({ length: 256 }, (_, i) => ({
    key: i % 2 === 0 ? "lock:orders" : "lock:émoji-ключ",
    wall: 1_732_170_000_000 + (i >> 3),
    logical: i & 7,
    action: i % 3,
    args: i % 5 === 0 ? [] : [i, -i, 0.5],
    state: Uint8Array.from({ length: 24 }, (_, j) => (i * 7 + j) & 255),
    verdict: i % 11 === 0 ? 4_000_000_000 : 0,
  }));
  const py = await decodeWithPython(encodeBatch(header, events));
  assert.equal(py.version, 1);
  assert.equal(py.spec, header.spec);
  assert.equal(py.specName, "Lease");
  assert.equal(py.node, "api-1");
  assert.equal(py.boot, header.boot);
  assert.equal(py.firstSeq, header.firstSeq);
  assert.deepEqual(py.dropped, header.dropped);
  assert.deepEqual(py.types, {
    v: "int",
    spec: "str",
    name: "str",
    node: "str",
    boot: "str",
    seq: "int",
    drop: "list",
    t0: "int",
    ev: "list",
  });
  const got = py.events as Record<string, unknown>[];
  assert.equal(got.length, 256);
  events.forEach((e, i) => {
    assert.deepEqual(got[i], {
      seq: header.firstSeq + i,
      key: e.key,
      wall: e.wall,
      logical: e.logical,
      action: e.action,
      args: Array.from(e.args),
      state: b64(e.state),
      verdict: e.verdict,
    }, `event ${i}`);
  });
});

Deno.test("Python msgpack decodes an event-less batch that only declares drops", async () => {
  const header = {
    spec: "00",
    specName: "",
    node: "n",
    boot: "b",
    firstSeq: 12,
    dropped: [[3, 11]] as const,
  };
  const py = await decodeWithPython(encodeBatch(header, []));
  assert.deepEqual(py.events, []);
  assert.deepEqual(py.dropped, [[3, 11]]);
  assert.equal(py.firstSeq, 12);
});
