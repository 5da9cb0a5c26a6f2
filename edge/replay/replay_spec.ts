/**
 * A served spec as replay reads log lines for it: its place among the specs
 * served, its action numbers by name, and how each action parameter's value
 * in a log line is encoded as the number a step takes.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { TypeDesc } from "../../lib/abi/meta.ts";

/** How one parameter's value is encoded to its f64. */
export interface ParamEncoding {
  readonly name: string;
  readonly kind: "num" | "bool" | "enum";
  /** An enum's labels and their numbers (empty for other kinds). */
  readonly labels: ReadonlyMap<string, number>;
  /** What the value may be, for messages: the enum's quoted labels, or the kind. */
  readonly shown: string;
}

/** A served spec with what replay looks up in it. */
export interface ReplaySpec {
  /** Position among the specs served. */
  readonly index: number;
  readonly compiled: CompiledSpec;
  readonly name: string;
  /** Action numbers by action name. */
  readonly actions: ReadonlyMap<string, number>;
  /** Per action number, its parameters' encodings. */
  readonly params: readonly (readonly ParamEncoding[])[];
}

function paramEncoding(name: string, t: TypeDesc): ParamEncoding {
  if (t.kind === "enum") {
    const labels = new Map(t.labels.map((l, i) => [l, i]));
    return { name, kind: "enum", labels, shown: t.labels.map((l) => `'${l}'`).join(", ") };
  }
  return { name, kind: t.kind === "bool" ? "bool" : "num", labels: new Map(), shown: t.kind };
}

/**
 * Describes the specs served for replay, in order.
 *
 * @example Look up a spec's actions and an enum parameter
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { replaySpecs } from "./replay_spec.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
 * const [spec] = replaySpecs([lease]);
 * assert.equal(spec!.actions.get("acquire"), lease.actionIndex("acquire"));
 * assert.deepEqual(spec!.params[spec!.actions.get("acquire")!]!.map((p) => p.name), ["c"]);
 * ```
 */
export function replaySpecs(specs: readonly CompiledSpec[]): ReplaySpec[] {
  return specs.map((compiled, index) => ({
    index,
    compiled,
    name: compiled.meta.name,
    actions: new Map(compiled.meta.actions.map((a, i) => [a.name, i])),
    params: compiled.meta.actions.map((a) => a.params.map((p) => paramEncoding(p.name, p.type))),
  }));
}
