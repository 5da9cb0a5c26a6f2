import assert from "node:assert/strict";
import fc from "fast-check";
import { type Buffered, compareMerge, ReorderBuffer } from "./merge.ts";

const streams = ["a", "b", "c"].map((node, index) =>
  ({ id: { node }, index }) as unknown as Buffered["stream"]
);
const partition = {} as Buffered["partition"];

function ev(s: number, seq: number, wall: number, logical: number): Buffered {
  return {
    node: ["a", "b", "c"][s]!,
    boot: "x",
    seq,
    wall,
    logical,
    action: 0,
    args: [],
    verdict: 0,
    late: false,
    state: new Uint8Array(0),
    stream: streams[s]!,
    partition,
    readyAt: 0,
    done: false,
  };
}

Deno.test("ReorderBuffer pops events in merge order whatever the push order", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 20 }), fc.nat(3)),
        {
          maxLength: 60,
        },
      ),
      (items) => {
        const evs = items.map(([s, w, l], i) => ev(s, i, w, l));
        const buf = new ReorderBuffer();
        for (const e of evs) buf.push(e);
        assert.equal(buf.size, evs.length);
        const out: Buffered[] = [];
        for (let e = buf.pop(); e !== undefined; e = buf.pop()) out.push(e);
        assert.deepEqual(out, [...evs].sort(compareMerge));
        assert.equal(buf.size, 0);
      },
    ),
  );
});

Deno.test("Node id breaks HLC ties, then boot, then sequence number", () => {
  const p = (node: string, boot: string, seq: number) => ({ wall: 1, logical: 0, node, boot, seq });
  assert.ok(compareMerge(p("a", "z", 9), p("b", "a", 0)) < 0);
  assert.ok(compareMerge(p("a", "a", 9), p("a", "b", 0)) < 0);
  assert.ok(compareMerge(p("a", "a", 1), p("a", "a", 2)) < 0);
});
