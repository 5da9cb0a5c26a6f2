/**
 * A stand-in for the SDK (`vigil`) in generator tests: the real
 * `TypedMonitor`, `GuardError` and types, and a `loadSpec` (over
 * `loadCompiled`) that returns a JavaScript model of the Lease spec
 * ({@link LEASE_META}) instead of loading WebAssembly bindings.
 *
 * @module
 */
import type { CompiledSpec, StateView, StepFn } from "../../lib/abi/compiled.ts";
import type { SpecSource } from "../../lib/abi/spec_source.ts";
import { describeVerdict } from "../../lib/abi/verdict.ts";
import { type LoadedSpec, specFromCompiled } from "../../runtime/monitor/load_spec.ts";
import { LEASE_META } from "./lease_meta.ts";

export { GuardError } from "../../lib/abi/verdict.ts";
export { TypedMonitor } from "../../runtime/monitor/typed_monitor.ts";
export type { CompiledSpec } from "../../lib/abi/compiled.ts";
export type { Verdict } from "../../lib/abi/verdict.ts";
export type { LoadedSpec } from "../../runtime/monitor/load_spec.ts";
export type { TypedMonitorOptions } from "../../runtime/monitor/typed_monitor.ts";

/** Sources passed to {@link loadCompiled}, so a test can see what the generated module asked for. */
export const loadedUrls: string[] = [];
/** The `sourceHash` option of each {@link loadSpec} call, in order. */
export const expectedHashes: (string | undefined)[] = [];

const MODE = 0, OWNER = 1, TOKEN = 2, GRANTED = 3;

function client(c: number): boolean {
  return Number.isInteger(c) && c >= 0 && c <= 3;
}

/** The Lease spec in JavaScript: `[step, check]` of `acquire` and `release` over `states`. */
function leaseActions(states: bigint[][]): [StepFn, StepFn][] {
  const acquire = (apply: boolean): StepFn => (inst, c = NaN) => {
    const s = states[inst]!;
    if (!client(c)) return 2;
    if (s[MODE] !== 0n) return 3;
    if (apply) {
      const token = s[TOKEN]! + 1n;
      [s[MODE], s[OWNER], s[TOKEN], s[GRANTED + c]] = [1n, BigInt(c), token, token];
    }
    return 0;
  };
  const release = (apply: boolean): StepFn => (inst, c = NaN) => {
    const s = states[inst]!;
    if (!client(c)) return 6;
    if (s[MODE] !== 1n || s[OWNER] !== BigInt(c)) return 7;
    if (apply) s[MODE] = 0n;
    return 0;
  };
  return [[acquire(true), acquire(false)], [release(true), release(false)]];
}

function unsupported(what: string): never {
  throw new TypeError(`The fake Lease spec does not support '${what}'`);
}

/** Loads nothing: returns a JavaScript model of the Lease spec. */
export function loadCompiled(source: SpecSource): Promise<CompiledSpec> {
  loadedUrls.push(String(source));
  const states: bigint[][] = [];
  const actions = leaseActions(states);
  const initial = () => LEASE_META.initial.map(BigInt);
  const spec: CompiledSpec = {
    meta: LEASE_META,
    create: (count = 1) => {
      const first = states.length;
      for (let i = 0; i < count; i++) states.push(initial());
      return first;
    },
    reset: (inst) => void (states[inst] = initial()),
    get instances() {
      return states.length;
    },
    actionIndex: (name) => LEASE_META.actions.findIndex((a) => a.name === name),
    stepFn: (action) => actions[action]![0],
    checkFn: (action) => actions[action]![1],
    encodeArgs: () => unsupported("encodeArgs"),
    readSlots: (inst) => [...states[inst]!],
    writeSlots: () => unsupported("writeSlots"),
    stateBytes: () => unsupported("stateBytes"),
    copyState: () => unsupported("copyState"),
    setStateBytes: () => unsupported("setStateBytes"),
    view: (slots): StateView => ({
      mode: slots[MODE] === 0n ? "free" : "held",
      owner: Number(slots[OWNER]),
      token: Number(slots[TOKEN]),
      granted: Object.fromEntries([0, 1, 2, 3].map((k) => [k, Number(slots[GRANTED + k])])),
    }),
    slotsOf: () => unsupported("slotsOf"),
    checkInvariants: () => 0,
    liveness: () => 0,
    globalCheck: () => 0,
    globalLiveness: () => 0,
    verdict: (code) => describeVerdict(LEASE_META, code),
  };
  return Promise.resolve(spec);
}

/** The SDK's `loadSpec` over {@link loadCompiled}'s model (any source; `sourceHash` recorded). */
export async function loadSpec(
  source: SpecSource,
  options: { readonly sourceHash?: string } = {},
): Promise<LoadedSpec> {
  expectedHashes.push(options.sourceHash);
  return specFromCompiled(await loadCompiled(source));
}
