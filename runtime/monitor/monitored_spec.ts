/**
 * A loaded spec as its monitors see it: the tables a monitor steps
 * through, its instance blocks, and the state source of its events. The
 * loaded spec (`load_spec.ts`) implements it; the monitor, its context and
 * the observe path depend on this interface only, so they do not import the
 * module that creates them.
 *
 * @module
 */
import type { CompiledSpec, DispatchFn, StepFn } from "../../lib/abi/compiled.ts";
import type { SpecMeta } from "../../lib/abi/meta.ts";
import type { Verdict } from "../../lib/abi/verdict.ts";
import type { StepStateSource } from "../batcher/batcher_types.ts";
import type { ParamCodec } from "./param_codec.ts";
import type { FastStep } from "./fast_step.ts";

/**
 * What a monitor, its context and the observe path read or call of a
 * loaded spec. Everything is precomputed at load time, so the per-step
 * path only indexes. Also the state source of the spec's events: a batcher
 * writes an event's state straight from the block.
 *
 * @example Step an instance block through the tables
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { LoadedSpecImpl } from "./load_spec.ts";
 * import type { MonitoredSpec } from "./monitored_spec.ts";
 * const compiled = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
 * const spec: MonitoredSpec = new LoadedSpecImpl(compiled);
 * const acquire = spec.actionId("acquire");
 * assert.equal(acquire, spec.actions.indexOf("acquire"));
 * assert.equal(spec.params[acquire]!.length, 1);
 * const inst = spec.takeBlock();
 * const code = spec.dispatchStep(inst, acquire, 2, 0, 0, 0);
 * assert.equal(spec.verdicts[code]!.kind, "ok");
 * assert.equal(spec.compiled.view(spec.compiled.readSlots(inst)).owner, 2);
 * assert.equal(spec.fastStep(inst, "release", { c: 2 }), 0);
 * spec.releaseBlock(inst);
 * ```
 */
export interface MonitoredSpec extends StepStateSource {
  /** The underlying compiled spec (raw exports, instance blocks, codecs). */
  readonly compiled: CompiledSpec;
  readonly meta: SpecMeta;
  /** Action names in index order. */
  readonly actions: readonly string[];
  /** Action name -> index. */
  readonly actionsByName: ReadonlyMap<string, number>;
  /** `action <name>` per action index, where divergences point. */
  readonly actionItems: readonly string[];
  /** The raw step export per action index. */
  readonly steps: readonly StepFn[];
  /** The raw check export per action index. */
  readonly checks: readonly StepFn[];
  /** `dispatch-step`: every action through one function (a monomorphic call site). */
  readonly dispatchStep: DispatchFn;
  /** `dispatch-check`. */
  readonly dispatchCheck: DispatchFn;
  /** The parameter codecs per action index. */
  readonly params: readonly (readonly ParamCodec[])[];
  /** `verdicts[code]`, frozen, for every code of the table. */
  readonly verdicts: readonly Verdict[];
  /** `verdicts[0]`, the verdict `ok`. */
  readonly ok: Verdict;
  /**
   * Steps an instance block by action name with named arguments: the
   * verdict code, or -1 when the general path must take the step (see
   * `fast_step.ts`); records and emits nothing.
   */
  readonly fastStep: FastStep;
  /** The verdict of a code (frozen; cached for every code of the table). */
  verdict(code: number): Verdict;
  /** The index of an action name on the per-step path, or -1 (then look it up in `actionsByName`). */
  actionId(action: string): number;
  /** A copy of an instance's block for an event, never rewritten afterwards. */
  eventState(inst: number): Uint8Array;
  /** An instance block in the initial state: a freed one, or a new one. */
  takeBlock(): number;
  /** Resets an instance block and keeps it for the next `takeBlock`. */
  releaseBlock(inst: number): void;
}
