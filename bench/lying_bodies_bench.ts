/**
 * What lying bodies cost the decoders: 1,000 bodies of 65-70 bytes whose
 * `ev` or argument array headers claim 2^20 to 2^25 items, through the fast
 * decoder (`decodeColumns`, then `decodeBatch`) and the reference decoder
 * (msgpackr), against the anchor of 1,000 honest one-event bodies in the
 * same run. Prints the time, the RSS before and after (after a GC) and the
 * decoder's column capacities (they must not grow for a lie).
 *
 * Run: `deno run -A --v8-flags=--expose-gc bench/lying_bodies_bench.ts`
 *
 * @module
 */
import { decodeBatch, decodeReference } from "../lib/wire/decode.ts";
import { encodeBatch, writeHeader } from "../lib/wire/encode.ts";
import { MsgpackWriter } from "../lib/wire/msgpack_writer.ts";
import { WireColumns } from "../lib/wire/columns.ts";
import { decodeColumns } from "../lib/wire/batch_grammar.ts";

const HEADER = {
  spec: "s".repeat(8),
  specName: "L",
  node: "n",
  boot: "b",
  firstSeq: 5,
  dropped: [],
};

function lying(claim: number, where: "ev" | "args"): Uint8Array {
  const w = new MsgpackWriter();
  writeHeader(w, HEADER, 0, where === "ev" ? claim : 1);
  w.array(7);
  w.string("k");
  if (where === "args") {
    w.int(0);
    w.int(0);
    w.int(0);
    w.array(claim);
    w.int(1);
  }
  return w.finish().slice();
}

const honest = encodeBatch(HEADER, [
  { key: "k", wall: 0, logical: 0, action: 0, args: [1], state: new Uint8Array(8), verdict: 0 },
]).slice();
const claims = [2 ** 20, 2 ** 21, 2 ** 22, 2 ** 23, 2 ** 24, 2 ** 25];
const bodies = claims.flatMap((c) => [lying(c, "ev"), lying(c, "args")]);
const gc = (globalThis as { gc?: () => void }).gc;
const rssMb = () => {
  gc?.();
  return Math.round(Deno.memoryUsage().rss / 2 ** 20);
};
const cols = new WireColumns();

function run(n: number, pick: (i: number) => Uint8Array): { refused: number; ms: number } {
  let refused = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const b = pick(i);
    if (!decodeColumns(b, cols)) refused++;
    try {
      decodeBatch(b);
    } catch {
      refused++;
    }
    try {
      decodeReference(b);
    } catch {
      refused++;
    }
  }
  return { refused, ms: performance.now() - t0 };
}

run(100, () => honest);
run(100, (i) => bodies[i % bodies.length]!);
const before = rssMb();
const anchor = run(1000, () => honest);
const lies = run(1000, (i) => bodies[i % bodies.length]!);
const after = rssMb();
console.log(
  `honest one-event bodies (anchor): 1000 x 3 decoders in ${
    anchor.ms.toFixed(1)
  } ms, ${anchor.refused} refused`,
);
console.log(
  `lying bodies (${Math.min(...bodies.map((b) => b.length))}-${
    Math.max(...bodies.map((b) => b.length))
  } bytes, claims 2^20..2^25): 1000 x 3 decoders in ${
    lies.ms.toFixed(1)
  } ms, ${lies.refused} of 3000 refused`,
);
console.log(
  `RSS ${before} -> ${after} MB${gc === undefined ? " (no --expose-gc: noisy)" : ""}; ` +
    `column capacity: ${cols.keyOff.length} events, ${cols.args.length} arguments`,
);
