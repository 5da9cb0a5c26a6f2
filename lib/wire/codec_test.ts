import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { decodeBatch, decodeReference, WireFormatError } from "./decode.ts";
import { encodeBatch } from "./encode.ts";
import { WireColumns } from "./columns.ts";
import { decodeColumns } from "./batch_grammar.ts";
import { type BatchHeader, type EventBody, MAX_DROP_RANGES } from "./event.ts";
import { Packr } from "msgpackr/pack";

const HEADER: BatchHeader = {
  spec: "9f".repeat(32),
  specName: "Lease",
  node: "api-1",
  boot: "b-1",
  firstSeq: 10,
  dropped: [[2, 4], [7, 7]],
};

function ev(i: number): EventBody {
  return {
    key: `lock:${i % 3}`,
    wall: 1_732_170_000_000 + i,
    logical: i % 2,
    action: i % 4,
    args: [i, -1.5],
    state: new Uint8Array([i & 255, 1, 2, 3]),
    verdict: i % 5 === 0 ? 3 : 0,
  };
}

Deno.test("Codec round-trips a batch with sequence numbers from firstSeq", () => {
  const events = [ev(0), ev(1), ev(2)];
  const d = decodeBatch(encodeBatch(HEADER, events));
  assert.equal(d.version, 1);
  assert.equal(d.spec, HEADER.spec);
  assert.equal(d.specName, "Lease");
  assert.equal(d.node, "api-1");
  assert.equal(d.boot, "b-1");
  assert.equal(d.firstSeq, 10);
  assert.deepEqual(d.dropped, [[2, 4], [7, 7]]);
  assert.deepEqual(d.events, events.map((e, i) => ({ ...e, seq: 10 + i })));
});

Deno.test("Codec accepts an empty batch that only declares drops", () => {
  const d = decodeBatch(encodeBatch({ ...HEADER, firstSeq: 5, dropped: [[0, 4]] }, []));
  assert.deepEqual(d.events, []);
  assert.deepEqual(d.dropped, [[0, 4]]);
  assert.equal(d.firstSeq, 5);
});

Deno.test("Codec accepts Float64Array arguments", () => {
  const e = { ...ev(1), args: new Float64Array([3, 0.25]) };
  assert.deepEqual(decodeBatch(encodeBatch(HEADER, [e])).events[0]?.args, [3, 0.25]);
});

const plain = new Packr({ useRecords: false });
function mutate(change: (m: Record<string, unknown>) => void): Uint8Array {
  const m = plain.unpack(encodeBatch(HEADER, [ev(1), ev(2)])) as Record<string, unknown>;
  change(m);
  return plain.pack(m);
}

function rejects(bytes: Uint8Array, where: string, message: RegExp): void {
  assert.throws(() => decodeBatch(bytes), (e: unknown) => {
    assert.ok(e instanceof WireFormatError, String(e));
    assert.equal(e.where, where);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("Codec rejects unknown versions and malformed batches with WireFormatError", () => {
  rejects(mutate((m) => (m.v = 3)), "v", /Unsupported wire format version '3'/);
  rejects(mutate((m) => delete m.v), "v", /version 'undefined'/);
  rejects(mutate((m) => (m.node = 7)), "node", /Expected a string/);
  rejects(mutate((m) => (m.seq = -1)), "seq", /non-negative/);
  rejects(mutate((m) => (m.ev = {})), "ev", /Expected an array/);
  rejects(mutate((m) => ((m.ev as unknown[][])[1]![5] = "x")), "ev[1][5]", /Expected bin/);
  rejects(mutate((m) => ((m.ev as unknown[][])[0]!.pop())), "ev[0]", /Expected 7 event fields/);
  rejects(mutate((m) => ((m.ev as unknown[][])[1]![4] = [1, "a"])), "ev[1][4][1]", /number/);
  rejects(mutate((m) => (m.drop = [[5, 3]])), "drop[0]", /not ascending/);
  rejects(mutate((m) => (m.drop = [[9, 12]])), "drop[0]", /not below seq '10'/);
  rejects(mutate((m) => (m.drop = [[1, 2], [2, 3]])), "drop[1]", /not ascending/);
  rejects(new Uint8Array([0x92, 0x01]), "$", /Malformed msgpack/);
  rejects(new Uint8Array([]), "$", /Malformed msgpack/);
  rejects(new Uint8Array([0x01]), "$", /Expected a map/);
  rejects(new Uint8Array([0xc1]), "$", /Expected a map/);
});

Deno.test("Codec rejects sequence numbers past 2^53 - 1 and too many dropped ranges", () => {
  const max = Number.MAX_SAFE_INTEGER;
  rejects(
    mutate((m) => (m.seq = max)),
    "seq",
    /last event passes 2\^53 - 1 \(seq '\d+', '2' events\)/,
  );
  rejects(mutate((m) => (m.seq = 2n ** 63n)), "seq", /Sequence number '\d+' passes 2\^53 - 1/);
  rejects(mutate((m) => (m.drop = [[0, 2n ** 53n]])), "drop[0][1]", /passes 2\^53 - 1/);
  assert.equal(decodeBatch(mutate((m) => (m.seq = max - 1))).events[1]?.seq, max);
  const ranges = (n: number) => Array.from({ length: n }, (_, i) => [i * 2, i * 2]);
  rejects(
    mutate((m) => {
      m.seq = 1e6;
      m.drop = ranges(MAX_DROP_RANGES + 1);
    }),
    "drop",
    /Too many dropped ranges: '1025', at most '1024' per batch/,
  );
  const most = decodeBatch(mutate((m) => {
    m.seq = 1e6;
    m.drop = ranges(MAX_DROP_RANGES);
  }));
  assert.equal(most.dropped.length, MAX_DROP_RANGES);
});

Deno.test("Codec rejects a small body whose array or map header claims more than it holds", () => {
  const be32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  for (const claim of [2 ** 20, 2 ** 25, 2 ** 32 - 1]) {
    rejects(new Uint8Array([0xdd, ...be32(claim), 0x01]), "$", /Malformed msgpack/);
    rejects(new Uint8Array([0xdf, ...be32(claim), 0xa1, 0x76, 0x01]), "$", /Malformed msgpack/);
    const b = mutate(() => {});
    const at = b.findIndex((_, i) => b[i] === 0xa2 && b[i + 1] === 0x65 && b[i + 2] === 0x76) + 3;
    assert.equal(b[at], 0x92, "the event array header (two events) after the key 'ev'");
    rejects(
      new Uint8Array([...b.subarray(0, at), 0xdd, ...be32(claim), ...b.subarray(at + 1)]),
      "$",
      /Malformed msgpack/,
    );
  }
});

Deno.test("Codec never crashes on arbitrary bytes: it decodes or throws WireFormatError", () => {
  const valid = encodeBatch(HEADER, [ev(1)]);
  fc.assert(fc.property(
    fc.uint8Array({ maxLength: 64 }),
    fc.nat(valid.length - 1),
    fc.nat(255),
    (junk, at, byte) => {
      for (const bytes of [junk, Uint8Array.from(valid, (b, i) => (i === at ? byte : b))]) {
        try {
          decodeBatch(bytes);
        } catch (e) {
          assert.ok(e instanceof WireFormatError, String(e));
        }
      }
    },
  ));
});

Deno.test("Codec round-trips arbitrary events", () => {
  const body = fc.record({
    key: fc.string(),
    wall: fc.integer({ min: 0, max: 2 ** 45 }),
    logical: fc.nat(),
    action: fc.nat(2 ** 32 - 1),
    args: fc.array(fc.double({ noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x))),
    state: fc.uint8Array({ maxLength: 40 }),
    verdict: fc.nat(2 ** 32 - 1),
  });
  fc.assert(fc.property(fc.array(body, { maxLength: 20 }), fc.nat(1e9), (events, seq) => {
    const d = decodeBatch(encodeBatch({ ...HEADER, firstSeq: seq, dropped: [] }, events));
    assert.deepEqual(d.events, events.map((e, i) => ({ ...e, seq: seq + i })));
  }));
});

Deno.test("A dropped range reaching the batch's first number is refused by both decoders", () => {
  const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 10 };
  const ok = encodeBatch({ ...header, dropped: [[3, 9]] }, []);
  assert.deepEqual(decodeBatch(ok).dropped, [[3, 9]]);
  for (const dropped of [[[3, 10]], [[3, 12]], [[0, 1], [5, 10]]] as [number, number][][]) {
    const bytes = encodeBatch({ ...header, dropped }, []);
    assert.equal(decodeColumns(bytes, new WireColumns()), false, `fast path declines ${dropped}`);
    assert.throws(() => decodeBatch(bytes), WireFormatError);
    assert.throws(() => decodeReference(bytes), WireFormatError);
  }
});

Deno.test("Codec round-trips dependencies in a version-2 batch; events without them stay 7 items", () => {
  const deps = [{ node: "api-2", wall: 1_732_169_999_000, logical: 4 }, {
    node: "é-3",
    wall: 1_732_170_000_500,
    logical: 0,
  }];
  const events = [ev(0), { ...ev(1), deps }, ev(2)];
  const bytes = encodeBatch(HEADER, events);
  const d = decodeBatch(bytes);
  assert.equal(d.version, 2);
  assert.deepEqual(d.events, events.map((e, i) => ({ ...e, seq: 10 + i })));
  // The same through the reference decoder, and with the keys in another order.
  assert.deepEqual(decodeReference(bytes).events[1]!.deps, deps);
  const m = plain.unpack(bytes) as Record<string, unknown>;
  const reordered = plain.pack(Object.fromEntries(Object.entries(m).reverse()));
  assert.deepEqual(decodeBatch(reordered).events[1]!.deps, deps);
  // Through the fallback: a float 32 argument makes the fast path decline.
  const foreign = new Packr({ useRecords: false, useFloat32: 1 }).pack({
    ...m,
    ev: [
      ...(m.ev as unknown[][]).map((e) => [...e.slice(0, 4), [0.5], ...e.slice(5)]),
    ],
  });
  assert.equal(decodeColumns(foreign, new WireColumns()), false);
  assert.deepEqual(decodeBatch(foreign).events.map((e) => e.deps), [undefined, deps, undefined]);
  // A batch without dependencies is byte for byte what it was (version 1).
  const none = encodeBatch(HEADER, [ev(0), ev(2)]);
  assert.equal(decodeBatch(none).version, 1);
  assert.equal(none[3], 1); // the `v` value right after the map header and the key "v"
  // A dependency costs its own bytes only: the eighth item, on the one event that has it.
  const without = encodeBatch(HEADER, [ev(0), ev(1), ev(2)]).length;
  // fixarray of 6; "api-2" (1 + 5), -1000 as int 16 (3), 4 (1); "é-3" (1 + 4 UTF-8), 500 as uint 16 (3), 0 (1).
  assert.equal(bytes.length - without, 1 + (1 + 5) + 3 + 1 + (1 + 4) + 3 + 1);
});

Deno.test("Codec refuses dependencies in a version-1 batch and malformed dependencies, saying where", () => {
  const withDeps = encodeBatch(HEADER, [ev(1), {
    ...ev(2),
    deps: [{ node: "n", wall: 5, logical: 0 }],
  }]);
  const change = (f: (m: Record<string, unknown>) => void) => {
    const m = plain.unpack(withDeps) as Record<string, unknown>;
    f(m);
    return plain.pack(m);
  };
  const event1 = (m: Record<string, unknown>) => (m.ev as unknown[][])[1]!;
  rejects(change((m) => (m.v = 1)), "ev[1]", /Expected 7 event fields, got 8/);
  rejects(change((m) => (event1(m)[7] = [])), "ev[1][7]", /triples, got 0 items/);
  rejects(change((m) => (event1(m)[7] = ["n", 1])), "ev[1][7]", /triples, got 2 items/);
  rejects(change((m) => (event1(m)[7] = [7, 1, 0])), "ev[1][7][0]", /Expected a string/);
  rejects(change((m) => (event1(m)[7] = ["n", 0.5, 0])), "ev[1][7][1]", /Expected an integer/);
  rejects(change((m) => (event1(m)[7] = ["n", 1, -1])), "ev[1][7][2]", /non-negative/);
  rejects(change((m) => event1(m).push(0)), "ev[1]", /Expected 7 or 8 event fields, got 9/);
  // A version-2 batch whose events carry none is valid (an event with them may have been dropped).
  assert.deepEqual(decodeBatch(change((m) => event1(m).pop())).events[1]!.deps, undefined);
});
