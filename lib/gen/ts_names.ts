/**
 * The names of the generated TypeScript module, computed once from a spec's
 * metadata so that the class generator and the provenance generator agree on
 * every member they describe.
 *
 * Spec identifiers are ASCII letters, digits and `_`, so they are valid
 * TypeScript identifiers except for reserved words and clashes with the
 * generated names; those get a `_` suffix (repeated until free), decided in a
 * fixed order: generated names, declared types, action methods, then the
 * `try`/`check` variants.
 *
 * @module
 */
import type { ActionMeta, SpecMeta, TypeDesc } from "../abi/meta.ts";

/** A declared type of the spec (an enum, or a range declared with `type T = lo..hi`). */
export interface TypeName {
  /** The name in the spec. */
  readonly name: string;
  /** The exported TypeScript type alias. */
  readonly alias: string;
  /** The type itself. */
  readonly type: Extract<TypeDesc, { kind: "enum" | "range" }>;
  /** For enums: the module-private `label -> index` lookup constant. */
  readonly indexConst?: string;
}

/** An action and the members generated for it. */
export interface ActionNames {
  /** The action's metadata. */
  readonly action: ActionMeta;
  /** Position in `meta.actions`. */
  readonly index: number;
  /** `acquire`: steps, throws `GuardError` when refused. */
  readonly method: string;
  /** `tryAcquire`: steps, returns the verdict. */
  readonly tryMethod: string;
  /** `checkAcquire`: returns the verdict, never applies. */
  readonly checkMethod: string;
  /** The constant holding the raw step function in the class's `#bind` (set at load). */
  readonly stepConst: string;
  /** The constant holding the raw check function in the class's `#bind` (set at load). */
  readonly checkConst: string;
  /** TypeScript parameter names, in order. */
  readonly params: readonly string[];
}

/** Every name of the generated module. */
export interface TsNames {
  /** `LeaseMonitor`. */
  readonly className: string;
  /** `LeaseState`. */
  readonly stateName: string;
  /** `LeaseVerdict`. */
  readonly verdictName: string;
  /** `LeaseAction`: the union of action names. */
  readonly actionName: string;
  /** `LeaseSource`: what the class's static `load` takes. */
  readonly sourceName: string;
  /** `LeaseArgs`: the arguments of each action by parameter name. */
  readonly argsName: string;
  /** `LeaseSpec`: the loaded spec typed with `LeaseArgs`. */
  readonly specName: string;
  /** `LeaseObserved`: a (partial) state the service reports after a step. */
  readonly observedName: string;
  /** `LeaseStepOptions`: the options of an action's plain method. */
  readonly stepOptionsName: string;
  /** The declared types, in order of first use. */
  readonly types: readonly TypeName[];
  /** The actions, in index order. */
  readonly actions: readonly ActionNames[];
}

/** Words that cannot name a type alias, a parameter or a module constant. */
const RESERVED: ReadonlySet<string> = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if import in instanceof new null return super switch this throw " +
    "true try typeof var void while with as implements interface let package private protected " +
    "public static yield await async of type declare namespace module keyof readonly unique " +
    "infer is asserts satisfies accessor arguments eval any unknown never string number bigint " +
    "boolean symbol object undefined constructor")
    .split(" "),
);

/** Names the generated module imports or declares itself. */
const MODULE_NAMES = [
  "loadSpec",
  "TypedMonitor",
  "TypedMonitorOptions",
  "LoadedSpec",
  "loadCompiled",
  "GuardError",
  "SpecLoadError",
  "CompiledSpec",
  "Verdict",
  "spec",
  "loading",
  "loadFrom",
  "bind",
  "loaded",
  "SOURCE",
  "SOURCE_HASH",
  "OK",
];

/** Instance members of the generated class that an action method must not shadow. */
const CLASS_MEMBERS = ["constructor", "state", "key"];

/** Allocates identifiers: a taken or reserved name gets `_` appended until free. */
class Namer {
  readonly #taken = new Set<string>();

  constructor(taken: Iterable<string>) {
    for (const n of taken) this.#taken.add(n);
  }

  take(wanted: string): string {
    let name = wanted;
    while (this.#taken.has(name) || RESERVED.has(name)) name += "_";
    this.#taken.add(name);
    return name;
  }
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Declared enum and named range types, in order of first use (vars, then action parameters). */
export function declaredTypes(meta: SpecMeta): Extract<TypeDesc, { kind: "enum" | "range" }>[] {
  const found = new Map<string, Extract<TypeDesc, { kind: "enum" | "range" }>>();
  const visit = (t: TypeDesc): void => {
    if (t.kind === "map") {
      visit(t.key);
      visit(t.value);
    } else if (t.kind === "enum" || (t.kind === "range" && t.name !== undefined)) {
      const name = t.name!;
      if (!found.has(name)) found.set(name, t);
    }
  };
  for (const v of meta.vars) visit(v.type);
  for (const a of meta.actions) for (const p of a.params) visit(p.type);
  return [...found.values()];
}

/**
 * Computes the names of the module generated for a spec.
 *
 * @example Name the class and methods of the Lease spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { tsNames } from "./ts_names.ts";
 * import type { SpecMeta } from "../abi/meta.ts";
 * const range = { line: 1, column: 1, endLine: 1, endColumn: 11 };
 * const meta: SpecMeta = {
 *   abi: 1, name: "Lease", sourceHash: "", stride: 8, slots: [], vars: [], initial: [],
 *   actions: [{ name: "acquire", stepExport: "step-acquire", checkExport: "check-acquire", params: [], range }],
 *   invariants: [], globalInvariants: [], liveness: [], globalLiveness: [], verdicts: [], range,
 * };
 * assert.ok(tsNames(meta).className === "LeaseMonitor");
 * assert.ok(tsNames(meta).actions[0]?.tryMethod === "tryAcquire");
 * assert.ok(tsNames(meta).sourceName === "LeaseSource");
 * ```
 */
export function tsNames(meta: SpecMeta): TsNames {
  const base = upperFirst(meta.name);
  const moduleNamer = new Namer(MODULE_NAMES);
  const className = moduleNamer.take(`${base}Monitor`);
  const stateName = moduleNamer.take(`${base}State`);
  const verdictName = moduleNamer.take(`${base}Verdict`);
  const actionName = moduleNamer.take(`${base}Action`);
  const sourceName = moduleNamer.take(`${base}Source`);
  const argsName = moduleNamer.take(`${base}Args`);
  const specName = moduleNamer.take(`${base}Spec`);
  const observedName = moduleNamer.take(`${base}Observed`);
  const stepOptionsName = moduleNamer.take(`${base}StepOptions`);
  const named = declaredTypes(meta).map((type) => ({
    name: type.name!,
    alias: moduleNamer.take(type.name!),
    type,
  }));
  const types = named.map((t): TypeName =>
    t.type.kind === "enum" ? { ...t, indexConst: moduleNamer.take(`${t.alias}Index`) } : t
  );
  const memberNamer = new Namer(CLASS_MEMBERS);
  const methods = meta.actions.map((a) => memberNamer.take(a.name));
  const members = meta.actions.map((_, index) => {
    const method = methods[index]!;
    return {
      method,
      tryMethod: memberNamer.take(`try${upperFirst(method)}`),
      checkMethod: memberNamer.take(`check${upperFirst(method)}`),
      stepConst: moduleNamer.take(`${method}Step`),
      checkConst: moduleNamer.take(`${method}Check`),
    };
  });
  // A parameter must not shadow what a method body reads: its locals (`inst`, `code`), the
  // options of the plain method, the constants of the fast paths (`OK`, `found`, the step and
  // check functions), the enum indexes.
  const bodyNames = [
    "inst",
    "code",
    "options",
    "OK",
    "found",
    ...members.flatMap((m) => [m.stepConst, m.checkConst]),
    ...types.flatMap((t) => t.indexConst === undefined ? [] : [t.indexConst]),
  ];
  const actions = meta.actions.map((action, index): ActionNames => {
    const paramNamer = new Namer(bodyNames);
    return {
      action,
      index,
      ...members[index]!,
      params: action.params.map((p) => paramNamer.take(p.name)),
    };
  });
  return {
    className,
    stateName,
    verdictName,
    actionName,
    sourceName,
    argsName,
    specName,
    observedName,
    stepOptionsName,
    types,
    actions,
  };
}
