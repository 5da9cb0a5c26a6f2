/**
 * The names of the generated TypeScript module, computed once from a spec's
 * metadata so that the class generator and the provenance generator agree on
 * every member they describe.
 *
 * Safe for any legal spec name by construction. Every name the module
 * declares for itself (imports, constants, locals, the enum label tables,
 * the raw step and check functions) starts with `$`, which no spec
 * identifier (ASCII letters, digits, `_`) contains, so no spec name can meet
 * one. The names that come from the spec (the class and its types, type
 * aliases, methods, parameters) keep the spec's spelling unless it is a
 * reserved word or already taken in its scope; then they get a `$` suffix
 * (repeated until free), decided in a fixed order: generated type names,
 * declared types, action methods, then the `try`/`check` variants.
 * Property keys are written quoted or computed where a plain key would mean
 * something else (`__proto__` in an object literal).
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
  /** For enums: the module-private `label -> index` table (`$labels<n>`). */
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
  /** The constant holding the raw step function in the class's `#bind` (`$step<index>`). */
  readonly stepConst: string;
  /** The constant holding the raw check function in the class's `#bind` (`$check<index>`). */
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

/**
 * Words that cannot name a binding in a module (JavaScript's reserved words,
 * strict mode's and TypeScript's, and the predefined type names, which
 * cannot name a type alias).
 */
const RESERVED: ReadonlySet<string> = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if import in instanceof new null return super switch this throw " +
    "true try typeof var void while with as implements interface let package private protected " +
    "public static yield await async of type declare namespace module keyof readonly unique " +
    "infer is asserts satisfies accessor arguments eval any unknown never string number bigint " +
    "boolean symbol object undefined intrinsic")
    .split(" "),
);

/**
 * The global types the generated module names (`Promise` in the return
 * types of `load`, `Parameters` in its source type): a declared type of the
 * same name would hide them. Every other name the module itself declares or
 * imports starts with `$`, which no spec identifier contains.
 */
const GLOBAL_TYPES: readonly string[] = ["Promise", "Parameters"];

/**
 * The names a method body reads without qualification besides its
 * parameters and its `$` locals: the plain method's `options` and
 * `undefined`.
 */
const BODY_NAMES: readonly string[] = ["options", "undefined"];

/**
 * Instance members an action method must not replace: the class's own
 * getters, and every member of `Object.prototype` as ECMAScript defines it
 * (`String(monitor)` must not step an action named `toString`). Listed, not
 * read from the running engine, so every runtime generates the same class.
 */
const CLASS_MEMBERS: readonly string[] = [
  "state",
  "key",
  "constructor",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "toString",
  "valueOf",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
];

/**
 * Allocates identifiers: a taken or reserved name gets `$` appended until it
 * is free. A spec identifier never contains `$`, so an escaped name never
 * meets another spec name.
 */
class Namer {
  readonly #taken = new Set<string>();
  readonly #reserved: ReadonlySet<string>;

  /** `options.members`: names of class members, where reserved words are legal. */
  constructor(taken: Iterable<string>, options: { readonly members?: boolean } = {}) {
    for (const n of taken) this.#taken.add(n);
    this.#reserved = options.members === true ? new Set() : RESERVED;
  }

  take(wanted: string): string {
    let name = wanted;
    while (this.#taken.has(name) || this.#reserved.has(name)) name += "$";
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
  const moduleNamer = new Namer(GLOBAL_TYPES);
  const className = moduleNamer.take(`${base}Monitor`);
  const stateName = moduleNamer.take(`${base}State`);
  const verdictName = moduleNamer.take(`${base}Verdict`);
  const actionName = moduleNamer.take(`${base}Action`);
  const sourceName = moduleNamer.take(`${base}Source`);
  const argsName = moduleNamer.take(`${base}Args`);
  const specName = moduleNamer.take(`${base}Spec`);
  const observedName = moduleNamer.take(`${base}Observed`);
  const stepOptionsName = moduleNamer.take(`${base}StepOptions`);
  const types = declaredTypes(meta).map((type, i): TypeName => ({
    name: type.name!,
    alias: moduleNamer.take(type.name!),
    type,
    ...(type.kind === "enum" ? { indexConst: `$labels${i}` } : {}),
  }));
  const memberNamer = new Namer(CLASS_MEMBERS, { members: true });
  const methods = meta.actions.map((a) => memberNamer.take(a.name));
  const actions = meta.actions.map((action, index): ActionNames => {
    const method = methods[index]!;
    // Parameters live in the method's scope, beside its `$` locals and what BODY_NAMES lists.
    const paramNamer = new Namer(BODY_NAMES);
    return {
      action,
      index,
      method,
      tryMethod: memberNamer.take(`try${upperFirst(method)}`),
      checkMethod: memberNamer.take(`check${upperFirst(method)}`),
      stepConst: `$step${index}`,
      checkConst: `$check${index}`,
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
