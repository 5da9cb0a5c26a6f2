/**
 * Random states of a compiled spec for the global check property tests:
 * every variable drawn from its type, ints leaning to small values and to
 * the i64 overflow edges.
 *
 * @module
 */
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { TypeDesc } from "../lib/abi/meta.ts";
import type { DecodedBatch, DecodedEvent } from "../lib/wire/event.ts";

/** The ints drawn: small ones, and the overflow edges. */
const INTS = [-3n, -1n, 0n, 0n, 1n, 2n, 3n, 7n, 500n, 1n << 62n, -(1n << 62n), (1n << 63n) - 1n];

/**
 * A random value of type `t`.
 *
 * @example An enum label index
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueOf } from "./random_states.ts";
 * assert.equal(valueOf({ kind: "enum", name: "E", labels: ["a", "b"] }, () => 0.9), 1n);
 * ```
 */
export function valueOf(t: TypeDesc, rnd: () => number): bigint {
  const pick = (n: number) => Math.floor(rnd() * n);
  switch (t.kind) {
    case "bool":
      return BigInt(pick(2));
    case "enum":
      return BigInt(pick(t.labels.length));
    case "range": {
      const lo = BigInt(t.lo);
      const span = Number(BigInt(t.hi) - lo + 1n);
      return lo + BigInt(pick(Math.min(span, 1000)));
    }
    case "int":
      return INTS[pick(INTS.length)]!;
    case "map":
      throw new TypeError("A map has no single value");
  }
}

/**
 * Random slots for one state of `spec`: with probability `quiet` a slot
 * keeps its initial value.
 *
 * @example Every slot quiet: the initial state
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../lib/abi/loader.ts";
 * import { randomSlots } from "./random_states.ts";
 * const lease = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
 * assert.deepEqual(randomSlots(lease, () => 0.5, 1), lease.meta.initial.map(BigInt));
 * ```
 */
export function randomSlots(spec: CompiledSpec, rnd: () => number, quiet: number): bigint[] {
  const slots = spec.meta.initial.map((v) => BigInt(v));
  for (const v of spec.meta.vars) {
    const t = v.type.kind === "map" ? v.type.value : v.type;
    for (let i = 0; i < v.size; i++) if (rnd() >= quiet) slots[v.base + i] = valueOf(t, rnd);
  }
  return slots;
}

/**
 * `count` batches of `spec`: batch `b` comes from node `node-<n>` (`n` =
 * `pick(b)`, boot `boot-1`) and holds `eventsOf(n, b, firstSeq)`, whose
 * sequence numbers must follow on from `firstSeq` (the node's next one).
 *
 * @example Two batches of one node
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../lib/abi/loader.ts";
 * import { nodeBatches } from "./random_states.ts";
 * const lease = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
 * const state = lease.stateBytes(lease.create());
 * const batches = nodeBatches(lease, 2, () => 0, (_n, b, seq) => [
 *   { key: "k", wall: b, logical: 0, action: 0, args: [1], state, verdict: 0, seq },
 * ]);
 * assert.deepEqual(batches.map((x) => [x.node, x.firstSeq]), [["node-0", 0], ["node-0", 1]]);
 * ```
 */
export function nodeBatches(
  spec: CompiledSpec,
  count: number,
  pick: (b: number) => number,
  eventsOf: (n: number, b: number, firstSeq: number) => DecodedEvent[],
): DecodedBatch[] {
  const seqs = new Map<number, number>();
  const batches: DecodedBatch[] = [];
  for (let b = 0; b < count; b++) {
    const n = pick(b);
    const firstSeq = seqs.get(n) ?? 0;
    const events = eventsOf(n, b, firstSeq);
    batches.push({
      version: 1,
      spec: spec.meta.sourceHash,
      specName: spec.meta.name,
      node: `node-${n}`,
      boot: "boot-1",
      firstSeq,
      dropped: [],
      events,
    });
    seqs.set(n, firstSeq + events.length);
  }
  return batches;
}
