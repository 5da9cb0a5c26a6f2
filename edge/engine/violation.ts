/**
 * Counterexamples: the cut (every participant's latest state and last
 * events) and the causal history (the partition's last merged events, up to
 * and including the violating one) of a violation, in plain JSON.
 *
 * @module
 */
import type { StateView } from "../../lib/abi/compiled.ts";
import type { Partition } from "./partition.ts";
import type { CutEntry, Hlc, PropertyRef, Violation } from "./types.ts";
import type { CausalEvidence } from "./causal/evidence.ts";
import type { CutState } from "./causal/causal_judge.ts";

/** Converts bigint values (ints beyond 2^53) to decimal strings so the view is JSON. */
function jsonView(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonView(x);
    return out;
  }
  return v;
}

/**
 * Every participant's latest state and last events, in join order.
 *
 * @example Print a cut
 * ```ts ignore
 * // With `p` a partition whose participants have applied events:
 * const text = cutOf(p).map((c) => `${c.node}: ${JSON.stringify(c.state)}`).join("\n");
 * ```
 */
export function cutOf(p: Partition): CutEntry[] {
  const c = p.served.compiled;
  return p.participants.map((q) => {
    const entry: CutEntry = {
      node: q.node,
      boot: q.boot,
      seq: q.seq,
      wall: q.wall,
      logical: q.logical,
      state: jsonView(c.view(c.readSlots(p.first + q.index))) as StateView,
      lastEvents: q.events.toArray().map((e) => p.served.eventInfo(e)),
    };
    return q.spec === "" ? entry : { ...entry, spec: q.spec };
  });
}

/**
 * A causal verdict's violating cut (`docs/causality.md`): each node's state
 * over its interval in the cut, which is not the partition's latest state
 * (the alert comes once judgement passed the cut), in the cut's node order.
 * Its last events are those of the node up to the interval's start that the
 * partition still keeps.
 */
function causalCutOf(p: Partition, cut: readonly CutState[]): CutEntry[] {
  const c = p.served.compiled;
  const scratch = p.served.scratch(1);
  return cut.map((i) => {
    c.setStateBytes(scratch, i.state);
    const q = p.participants.find((x) => x.node === i.node && x.boot === i.boot);
    const lastEvents = q === undefined ? [] : q.events.toArray()
      .filter((e) => e.wall < i.wall || (e.wall === i.wall && e.logical <= i.logical))
      .map((e) => p.served.eventInfo(e));
    const entry: CutEntry = {
      node: i.node,
      boot: i.boot,
      seq: i.seq,
      wall: i.wall === -Infinity ? 0 : i.wall,
      logical: i.logical,
      state: jsonView(c.view(c.readSlots(scratch))) as StateView,
      lastEvents,
    };
    return q === undefined || q.spec === "" ? entry : { ...entry, spec: q.spec };
  });
}

/** What a violation is about, beside the partition. */
export interface ViolationFacts {
  readonly kind: Violation["kind"];
  readonly property: PropertyRef;
  readonly at: Hlc;
  readonly deadline?: number;
  readonly detectedAt: number;
  readonly nodes: readonly string[];
  /** A participant's stream has (or had) a hole. */
  readonly incomplete: boolean;
  /** Causal verdicts only: what happened-before says around the violating cut. */
  readonly causal?: CausalEvidence;
  /** Causal verdicts only: the violating cut (the counterexample's cut instead of the latest states). */
  readonly cutStates?: readonly CutState[];
}

/**
 * Builds a violation of a partition with its counterexample; counts it in
 * the partition (the count makes the id).
 *
 * @example Summarize
 * ```ts ignore
 * // In the applier, when a global invariant starts failing in partition `p`:
 * const violation = buildViolation(p, facts);
 * ```
 */
export function buildViolation(p: Partition, facts: ViolationFacts): Violation {
  p.violations++;
  const prop = facts.property;
  const what = facts.kind === "invariant" ? "violated" : "timed out";
  const message =
    `${p.specName}: ${prop.item} ${prop.name} (line ${prop.line}:${prop.column}) ${what} in '${p.key}' by ${
      facts.nodes.join(", ")
    }`;
  const v: Violation = {
    id: `${p.spec.slice(0, 12)}:${p.key}:${p.violations}`,
    kind: facts.kind,
    specName: p.specName,
    spec: p.spec,
    partition: p.key,
    property: prop,
    at: facts.at,
    detectedAt: facts.detectedAt,
    nodes: facts.nodes,
    cut: facts.cutStates === undefined ? cutOf(p) : causalCutOf(p, facts.cutStates),
    history: p.history.toArray().map((e) => p.served.eventInfo(e)),
    incomplete: facts.incomplete,
    message,
  };
  const withCausal = facts.causal === undefined ? v : { ...v, causal: facts.causal };
  return facts.deadline === undefined ? withCausal : { ...withCausal, deadline: facts.deadline };
}
