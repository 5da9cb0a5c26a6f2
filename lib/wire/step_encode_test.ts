/**
 * `writeStepEvent` (the batcher's scalar path, with its direct-write fast
 * path for short ASCII keys and fixint numbers) writes exactly the bytes
 * `writeEvent` writes for the same event, over seeded random steps that
 * cross every edge of the fast path: keys of 0 to 300 bytes, non-ASCII
 * keys, negative and large wall deltas, logical counters and actions past
 * 127, 0 to 4 arguments of every number family (-0, NaN, floats), and the
 * eighth item of a step with dependencies.
 */
import assert from "node:assert/strict";
import { type StateSource, writeDependencies, writeEvent, writeStepEvent } from "./encode.ts";
import type { EventDependency } from "./event.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";

const SEED = Number(Deno.env.get("VIGIL_STEP_SEED") ?? Math.floor(Math.random() * 2 ** 31));

/** A seeded Park-Miller generator. */
function generator(seed: number): (n: number) => number {
  let s = (seed % 2147483646) + 1;
  return (n) => {
    s = (s * 48271) % 2147483647;
    return s % n;
  };
}

const KEYS = [
  "lock:a",
  "p0:3:17",
  "",
  "k",
  "x".repeat(31),
  "y".repeat(32),
  "é:1",
  "🔒",
  "w".repeat(300),
];
const SMALL = [0, 1, 5, 126, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32, 2 ** 52];
const DELTAS = [0, 1, 127, 128, 255, 256, 65_535, 65_536, -1, -32, -33, 2 ** 31, -(2 ** 40)];
const NUMBERS = [0, -0, 1, 127, 128, -1, -33, 0.5, NaN, Infinity, 2 ** 40, -(2 ** 53 - 1)];

/** A state source writing a fixed block. */
function stateOf(bytes: Uint8Array): StateSource {
  return { stride: bytes.length, writeState: (_inst, w) => w.bin(bytes) };
}

Deno.test("writeStepEvent writes the bytes writeEvent writes, over 20,000 random steps", () => {
  const pick = generator(SEED);
  const one = <T>(xs: readonly T[]) => xs[pick(xs.length)]!;
  const a = new MsgpackWriter(64);
  const b = new MsgpackWriter(64);
  for (let i = 0; i < 20_000; i++) {
    const t0 = 1_700_000_000_000;
    const n = pick(5);
    const xs = [one(NUMBERS), one(NUMBERS), one(NUMBERS), one(NUMBERS)];
    const deps: EventDependency[] = pick(8) === 0
      ? [{ node: one(KEYS), wall: t0 + one(DELTAS), logical: one(SMALL) }]
      : [];
    const state = Uint8Array.from({ length: one([0, 4, 24, 48, 300]) }, () => pick(256));
    const e = {
      key: one(KEYS),
      wall: t0 + one(DELTAS),
      logical: one(SMALL),
      action: one(SMALL),
      args: xs.slice(0, n),
      state,
      verdict: one(SMALL),
      ...(deps.length === 0 ? {} : { deps }),
    };
    a.reset();
    b.reset();
    writeEvent(a, t0, e);
    const items = deps.length === 0 ? 7 : 8;
    const [x0, x1, x2, x3] = xs as [number, number, number, number];
    writeStepEvent(
      b,
      t0,
      e.key,
      e.wall,
      e.logical,
      e.action,
      n,
      x0,
      x1,
      x2,
      x3,
      stateOf(state),
      0,
      e.verdict,
      items,
    );
    if (items === 8) writeDependencies(b, t0, deps);
    assert.deepEqual(
      b.finish(),
      a.finish(),
      `step ${i} (seed ${SEED}): ${JSON.stringify({ ...e, state: state.length })}`,
    );
  }
});
