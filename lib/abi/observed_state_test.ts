import assert from "node:assert/strict";
import { adoptObserved, diffStates, type ObservedSpec } from "./observed_state.ts";
import type { StateView } from "./compiled.ts";
import { encodeView } from "./state_codec.ts";
import { DIAL_META, LEDGER_META } from "./testdata/hand_metas.ts";

/** One instance block of `Dial` in memory, as a compiled spec would hold it. */
function dial(block: readonly bigint[]): ObservedSpec & { block: readonly bigint[] } {
  return {
    meta: DIAL_META,
    block,
    readSlots(_inst: number) {
      return [...this.block];
    },
    slotsOf: (view: StateView, base: readonly bigint[]) => encodeView(DIAL_META, view, base),
    writeSlots(_inst: number, slots: readonly bigint[]) {
      this.block = [...slots];
      return 0;
    },
  };
}

Deno.test("diffStates names a map variable once when any of its entries differs", () => {
  const base = [0n, 0n, 1n, 0n, 1n, 2n, 0n, 5n, 0n, 7n];
  const changed = [...base];
  changed[2] = 0n; // byMode.off
  changed[3] = 1n; // byMode.low
  const found = diffStates(LEDGER_META, base, changed);
  assert.deepEqual(found.map((d) => d.variable), ["byMode"]);
  assert.deepEqual(found[0]!.expected, { off: true, low: false, high: true });
  assert.deepEqual(found[0]!.actual, { off: false, low: true, high: true });
});

Deno.test("adoptObserved after an applied step reports each differing variable and adopts the report", () => {
  const spec = dial([1n, 5n]);
  const found = adoptObserved(spec, {
    inst: 0,
    code: 0,
    pre: [1n, 4n],
    observed: { mode: "high", level: 5 },
  });
  assert.deepEqual(found, [{ variable: "mode", expected: "low", actual: "high" }]);
  assert.deepEqual(spec.block, [2n, 5n]);
});

Deno.test("adoptObserved after a refused step reports nothing and lays the report over the pre-state", () => {
  // A refused step leaves the block as it was before the step.
  const spec = dial([0n, 4n]);
  const found = adoptObserved(spec, { inst: 0, code: 4, pre: [0n, 4n], observed: { level: 9 } });
  assert.deepEqual(found, []);
  assert.deepEqual(spec.block, [0n, 9n]);
});

Deno.test("adoptObserved with a report equal to the spec's next state finds no difference", () => {
  const spec = dial([1n, 5n]);
  const found = adoptObserved(spec, { inst: 0, code: 0, pre: [1n, 4n], observed: { level: 5 } });
  assert.deepEqual(found, []);
  assert.deepEqual(spec.block, [1n, 5n]);
});
