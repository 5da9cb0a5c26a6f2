/**
 * The causal judge compares states on what the global invariants read
 * (`SpecMeta.globalSlots`) and remembers cut verdicts by those projections
 * (`edge/engine/causal/cut_verdicts.ts`). Property: on seeded random runs
 * of `tests/causal/tally.vigil` (a `sum` and a `count` over nodes reading
 * two of four variables, actions that change only the unread ones, one
 * that changes a map the invariant does not read), the collector gives the
 * same violation list as a reference collector whose spec does not say
 * what the global invariants read, so that it compares whole state blocks
 * (two cuts share a verdict there only when every byte of every state is
 * equal: the compiled check cannot tell them apart). Every run is
 * generated on a simulated clock, bounded in events.
 */
import assert from "node:assert/strict";
import { compileToTemp } from "../tools/harness/spec_files.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { EventBody } from "../lib/wire/event.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { Violation } from "../edge/engine/types.ts";
import { Rng } from "./causal/simulator.ts";

const source = await Deno.readTextFile(new URL("./causal/tally.vigil", import.meta.url));
const { spec } = await compileToTemp("tally", source);
const T = 1_700_000_000_000;
const NODES = ["n0", "n1", "n2", "n3"];
const KEYS = ["k0", "k1", "k2"];
const RUNS = 40;
const EVENTS_PER_NODE = 60;

/** The spec as a collector built before `globalSlots` existed sees it: whole blocks compared. */
function withoutGlobalSlots(s: CompiledSpec): CompiledSpec {
  const { globalSlots: _dropped, ...meta } = s.meta;
  return new Proxy(s, {
    get(target, key) {
      if (key === "meta") return meta;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** One event as a node sent it. */
interface Sent {
  readonly node: string;
  readonly real: number;
  readonly body: EventBody;
}

/** A seeded run: every node's events (state from the compiled spec), some carrying another node's stamp. */
function generate(seed: number): Sent[][] {
  const rng = new Rng(seed);
  const inst = spec.create();
  const take = spec.actionIndex("take");
  const drop = spec.actionIndex("drop");
  const touch = spec.actionIndex("touch");
  const states = new Map<string, Uint8Array>();
  const skew = NODES.map(() => rng.int(-200, 200));
  const hlc = NODES.map(() => ({ wall: 0, logical: 0 }));
  const sent: Sent[][] = NODES.map(() => []);
  const plan: { node: number; real: number }[] = [];
  for (let n = 0; n < NODES.length; n++) {
    for (let k = 0; k < EVENTS_PER_NODE; k++) plan.push({ node: n, real: rng.int(0, 6_000) });
  }
  plan.sort((a, b) => a.real - b.real || a.node - b.node);
  for (const { node: n, real } of plan) {
    const node = NODES[n]!;
    const key = KEYS[rng.int(0, KEYS.length - 1)]!;
    const id = `${node}/${key}`;
    const before = states.get(id) ?? spec.stateBytes(spec.create());
    spec.setStateBytes(inst, before);
    const held = before[spec.meta.slots[0]!.offset] === 1;
    let action: number;
    let args: number[];
    if (rng.next() < 0.3) [action, args] = [touch, []];
    else if (held) [action, args] = [drop, []];
    else [action, args] = [take, [rng.int(0, 5)]];
    const verdict = spec.stepFn(action)(inst, ...args);
    assert.equal(verdict, 0, `step '${spec.meta.actions[action]!.name}' of ${id} refused`);
    const state = spec.stateBytes(inst);
    states.set(id, state);
    // Some events carry another node's latest stamp (a message received).
    const others = sent.filter((s, m) => m !== n && s.length > 0 && s.at(-1)!.real < real - 5);
    const from = others.length > 0 && rng.next() < 0.35
      ? others[rng.int(0, others.length - 1)]!
      : null;
    const dep = from === null ? null : from.at(-1)!;
    const clock = hlc[n]!;
    let wall = Math.max(T + real + skew[n]!, clock.wall, dep === null ? 0 : dep.body.wall);
    let logical = wall === clock.wall ? clock.logical + 1 : 0;
    if (dep !== null && wall === dep.body.wall) logical = Math.max(logical, dep.body.logical + 1);
    if (logical > 60_000) [wall, logical] = [wall + 1, 0];
    clock.wall = wall;
    clock.logical = logical;
    sent[n]!.push({
      node,
      real,
      body: {
        key,
        wall,
        logical,
        action,
        args,
        state,
        verdict: 0,
        ...(dep === null
          ? {}
          : { deps: [{ node: dep.node, wall: dep.body.wall, logical: dep.body.logical }] }),
      },
    });
  }
  return sent;
}

/** The batches of a run (1-6 events each, shipped within 40 ms of their last event), in arrival order. */
function deliveries(sent: readonly Sent[][], seed: number): { at: number; bytes: Uint8Array }[] {
  const rng = new Rng(seed ^ 0x5eed);
  const out: { at: number; bytes: Uint8Array }[] = [];
  sent.forEach((events, n) => {
    for (let i = 0; i < events.length;) {
      const size = rng.int(1, 6);
      const part = events.slice(i, i + size);
      const header = {
        spec: spec.meta.sourceHash,
        specName: spec.meta.name,
        node: NODES[n]!,
        boot: "boot-1",
        firstSeq: i,
        dropped: [],
      };
      out.push({
        at: T + part.at(-1)!.real + rng.int(0, 40),
        bytes: encodeBatch(header, part.map((s) => s.body)).slice(),
      });
      i += size;
    }
  });
  return out.sort((a, b) => a.at - b.at);
}

function judge(s: CompiledSpec, batches: readonly { at: number; bytes: Uint8Array }[]): string[] {
  let now = T;
  const c = createCollector({ specs: [s], now: () => now, windowMs: 250, maxSkewMs: 250 });
  for (const b of batches) {
    now = b.at;
    c.advance(now);
    c.ingestBytes(b.bytes);
  }
  c.flush();
  return c.violations().map((v: Violation) =>
    JSON.stringify({
      kind: v.kind,
      property: v.property.name,
      partition: v.partition,
      at: v.at,
      nodes: v.nodes,
      verdict: v.causal?.verdict ?? null,
    })
  );
}

Deno.test("the tally spec's global invariant reads held and load only", () => {
  const slotOf = (name: string) => spec.meta.vars.find((v) => v.name === name)!.base;
  assert.deepEqual(spec.meta.globalSlots, [slotOf("held"), slotOf("load")]);
});

Deno.test("Judging on the global invariants' projection gives the verdicts of whole-state judging on seeded random runs", () => {
  const reference = withoutGlobalSlots(spec);
  assert.equal(reference.meta.globalSlots, undefined);
  let alerts = 0;
  const partitionsAlerted = new Set<string>();
  for (let run = 0; run < RUNS; run++) {
    const batches = deliveries(generate(run + 1), run + 1);
    const fast = judge(spec, batches);
    const slow = judge(reference, batches);
    assert.deepEqual(fast, slow, `run ${run + 1}`);
    alerts += fast.length;
    for (const v of fast) partitionsAlerted.add(`${run}/${JSON.parse(v).partition}`);
  }
  // The runs do violate the invariant, in many partitions: the comparison is not between empty lists.
  assert.ok(alerts >= RUNS, `only ${alerts} alerts over ${RUNS} runs`);
  assert.ok(
    partitionsAlerted.size >= RUNS / 2,
    `only ${partitionsAlerted.size} partitions alerted`,
  );
});
