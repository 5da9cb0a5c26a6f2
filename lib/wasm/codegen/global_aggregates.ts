/**
 * Maintained aggregates over nodes: a caller that keeps, per set of
 * instances, the running counts and sums of the global items' node
 * aggregates re-evaluates those items in constant time per aggregate
 * instead of visiting every node.
 *
 * A **term** is a `count`, `sum`, `exists` or `forall` over nodes whose body
 * reads only its own node variable (no other node variable, no enclosing
 * quantifier's variable, no node quantifier inside): its value over a set
 * of instances is a function of the sum of each instance's contribution
 * (`count` and `exists`: 1 when the body holds; `forall`: 1 when it does not;
 * `sum`: the body's value). Terms are drawn from the parts of the global
 * invariants evaluated in full (`global_incremental.ts` keeps pinning the
 * leading `forall` of a part) and from the global liveness predicates.
 *
 * The **record** of a set of instances lives in the module's memory at the
 * state block of an instance the caller sets aside (`cells`, spanning as
 * many blocks as `global-agg-size()` bytes need, zeroed by the caller for an
 * empty set):
 * an i64 flag (non-zero once an accumulator left the i64 range), then per
 * term three i64s: the sum of the non-negative contributions, the sum of
 * the negative ones, and the number of instances whose contribution could
 * not be evaluated (its body met an arithmetic error or a key outside its
 * map). Exports:
 * - `global-agg-size() -> u32`: the record's bytes (8 + 24 per term);
 * - `global-agg-add(inst, cells, delta) -> u32`: adds (`delta` 1) or removes
 *   (`delta` -1) instance `inst`'s contributions; returns the flag (when set,
 *   the record must be rebuilt: zeroed, then every instance added);
 * - `global-check-agg(first, count, node, cells) -> u32`: what
 *   `global-check(first, count)` returns, given that the record holds the
 *   instances `first .. first+count-1` and, when `node < count`, that every
 *   global invariant held before the instance at `node` changed (pinned
 *   parts then visit only the tuples with `node`; `node >= count` assumes
 *   nothing and visits every tuple);
 * - `global-liveness-agg(first, count, cells) -> u32`: what
 *   `global-liveness(first, count)` returns, given the same record.
 *
 * Exactness: when the flag is set or some term has an instance whose
 * contribution failed, both evaluations call the full export instead (the
 * full loop's first error is then reported as it would be). Otherwise every
 * body evaluates without error for every instance, so the full loop would
 * compute the same count; for a sum, every prefix of the full loop lies
 * between the negative and the non-negative totals, which both fit, so the
 * full loop cannot overflow and its total is theirs.
 *
 * @module
 */
import binaryen from "binaryen";
import type { IExpr, Program } from "../../ir.ts";
import { type Expr, FunctionBuilder, i64const } from "./func.ts";
import { ExprCompiler, type StateReader } from "./expr.ts";
import { NodesReader } from "./readers.ts";
import { checkedAdd, checkedSub } from "./arith.ts";
import { livenessMask } from "./actions.ts";
import type { SpecMeta } from "../../abi/meta.ts";
import {
  AFTER_AGG_OVERFLOW_BIT,
  AFTER_GLOBAL_SHIFT,
  AFTER_LOCAL_SHIFT,
  globalAfterAggFits,
} from "../../abi/global_after.ts";
import type { CodegenInput } from "./actions.ts";
import {
  type InvariantPart,
  invariantParts,
  mapSubExpressions,
  pinnedLoops,
  someSubExpr,
  subExpressions,
} from "./global_incremental.ts";

const I32 = binaryen.i32;
const I64 = binaryen.i64;

/** Bytes of the record's header (the overflow flag). */
export const AGG_HEADER_BYTES = 8;
/** Bytes per term in the record (non-negative sum, negative sum, failed contributions). */
export const AGG_TERM_BYTES = 24;

/** Placeholder slots at and above this stand for term `slot - TERM_SLOT`. */
const TERM_SLOT = 1 << 30;

/**
 * A maintained aggregate: a node quantifier whose body reads only its own
 * node variable.
 *
 * @example A count term
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AggregateTerm } from "./global_aggregates.ts";
 * const term: AggregateTerm = { quant: "count", local: 0, body: { kind: "const", value: 1n } };
 * assert.equal(term.quant, "count");
 * ```
 */
export interface AggregateTerm {
  readonly quant: "forall" | "exists" | "count" | "sum";
  /** The node variable's frame slot. */
  readonly local: number;
  readonly body: IExpr;
}

/** Frame slots `e` reads that it does not bind, into `out`. */
function freeLocals(e: IExpr, out: Set<number>): void {
  if (e.kind === "local") out.add(e.index);
  else if (e.kind === "nodeSlot" || e.kind === "nodeMap") out.add(e.node);
  if (e.kind === "quant" || e.kind === "nodeQuant") {
    const inner = new Set<number>();
    freeLocals(e.body, inner);
    inner.delete(e.local);
    for (const x of inner) out.add(x);
    return;
  }
  for (const x of subExpressions(e)) freeLocals(x, out);
}

/** True when `e` contains a node quantifier or reads the evaluating monitor's own state. */
function unsuitableBody(e: IExpr): boolean {
  return someSubExpr(
    e,
    (x) => x.kind === "nodeQuant" || x.kind === "slot" || x.kind === "map" || x.kind === "param",
  );
}

/** True when `e` is a node quantifier the record can maintain. */
function isTerm(e: IExpr): boolean {
  if (e.kind !== "nodeQuant" || unsuitableBody(e.body)) return false;
  const free = new Set<number>();
  freeLocals(e.body, free);
  free.delete(e.local);
  return free.size === 0;
}

/** A stable text of an expression (bigints included), to share equal terms. */
function keyOf(t: AggregateTerm): string {
  return JSON.stringify(t, (_k, v) => typeof v === "bigint" ? `${v}n` : v);
}

/**
 * The terms of a program and its global items with each term replaced by a
 * placeholder that {@link AggregateReader} reads from the record.
 */
export interface AggregatePlan {
  readonly terms: readonly AggregateTerm[];
  /** Per global invariant, its parts: pinned ones as `global_incremental.ts` splits them, the rest rewritten. */
  readonly invariants: readonly {
    readonly code: number;
    readonly parts: readonly InvariantPart[];
  }[];
  /** The global liveness items with their predicates rewritten. */
  readonly liveness: Program["globalLiveness"];
}

/**
 * Finds the maintained terms of a program's global items.
 *
 * @example Calc's invariant has a sum and a count; lease's only its liveness terms
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../../frontend.ts";
 * import { aggregatePlan } from "./global_aggregates.ts";
 * const program = analyze(
 *   "spec S\nstate x: int = 0\naction go\n  x := x + 1\n" +
 *     "global invariant Small\n  sum(n in nodes: n.x) < 10 and count(n in nodes: n.x > 2) <= 1\n" +
 *     "global invariant Pairs\n  forall a, b in nodes: a.x != b.x or a == b\n",
 * ).program!;
 * const plan = aggregatePlan(program);
 * assert.deepEqual(plan.terms.map((t) => t.quant), ["sum", "count"]);
 * assert.deepEqual(plan.invariants.map((i) => i.parts.map((p) => p.kind)), [["full", "full"], ["pinned"]]);
 * ```
 */
export function aggregatePlan(program: Program): AggregatePlan {
  const terms: AggregateTerm[] = [];
  const index = new Map<string, number>();
  const rewrite = (e: IExpr): IExpr => {
    if (e.kind === "nodeQuant" && isTerm(e)) {
      const term: AggregateTerm = { quant: e.quant, local: e.local, body: e.body };
      const key = keyOf(term);
      let k = index.get(key);
      if (k === undefined) {
        k = terms.length;
        terms.push(term);
        index.set(key, k);
      }
      return { kind: "slot", slot: TERM_SLOT + k, prev: false };
    }
    return mapSubExpressions(e, rewrite);
  };
  const invariants = program.globalInvariants.map((inv) => ({
    code: inv.code,
    parts: invariantParts(inv.expr).map((p): InvariantPart => {
      if (p.kind === "full") return { kind: "full", expr: rewrite(p.expr) };
      const count = atMostOne(p);
      return count === null ? p : { kind: "full", expr: rewrite(count) };
    }),
  }));
  const liveness = program.globalLiveness.map((l) => ({
    ...l,
    when: rewrite(l.when),
    eventually: rewrite(l.eventually),
  }));
  return { terms, invariants, liveness };
}

/** `e` with frame slot `from` read as `to` (node reads included; a quantifier rebinding `from` ends it). */
function renameLocal(e: IExpr, from: number, to: number): IExpr {
  if (e.kind === "local" && e.index === from) return { ...e, index: to };
  if ((e.kind === "nodeSlot" || e.kind === "nodeMap") && e.node === from) {
    return mapSubExpressions({ ...e, node: to }, (x) => renameLocal(x, from, to));
  }
  if ((e.kind === "quant" || e.kind === "nodeQuant") && e.local === from) return e;
  return mapSubExpressions(e, (x) => renameLocal(x, from, to));
}

/** True when evaluating `e` can fail (arithmetic, a map key outside its map, a sum). */
function canFail(e: IExpr): boolean {
  return someSubExpr(
    e,
    (x) =>
      x.kind === "arith" || x.kind === "neg" || x.kind === "map" || x.kind === "nodeMap" ||
      (x.kind === "quant" && x.quant === "sum"),
  );
}

/** True when `e` is `a == b` (either way round) on frame slots `a` and `b`. */
function isSameNode(e: IExpr, a: number, b: number): boolean {
  if (e.kind !== "cmp" || e.op !== "==" || e.left.kind !== "local" || e.right.kind !== "local") {
    return false;
  }
  const [l, r] = [e.left.index, e.right.index];
  return (l === a && r === b) || (l === b && r === a);
}

/**
 * `count(a in nodes: P(a)) <= 1` for a pinned part
 * `forall a, b in nodes: P(a) and P(b) implies a == b` whose `P` reads only
 * its own node and cannot fail (then the two hold together, and the first
 * failing tuple is the invariant's own code either way); null for any other
 * part.
 */
function atMostOne(part: Extract<InvariantPart, { kind: "pinned" }>): IExpr | null {
  if (part.vars.length !== 2) return null;
  const [a, b] = part.vars as [number, number];
  const body = part.body;
  if (body.kind !== "logic" || body.op !== "implies" || !isSameNode(body.right, a, b)) return null;
  const both = body.left;
  if (both.kind !== "logic" || both.op !== "and") return null;
  const reads = new Set<number>();
  freeLocals(both.left, reads);
  const [pa, pb] = reads.has(b) ? [both.right, both.left] : [both.left, both.right];
  const p: IExpr = { kind: "nodeQuant", quant: "count", local: a, body: pa, code: -1 };
  if (!isTerm(p) || canFail(pa)) return null;
  if (
    keyOf({ quant: "count", local: b, body: pb }) !==
      keyOf({ quant: "count", local: b, body: renameLocal(pa, a, b) })
  ) {
    return null;
  }
  return { kind: "cmp", op: "<=", left: p, right: { kind: "const", value: 1n } };
}

/**
 * Global item state reads with the terms read from the record whose
 * address is in i32 local `record`: node state as {@link NodesReader}.
 */
class AggregateReader implements StateReader {
  readonly #module: binaryen.Module;
  readonly #nodes: NodesReader;
  readonly #terms: readonly AggregateTerm[];
  readonly #record: number;

  constructor(
    m: binaryen.Module,
    input: CodegenInput,
    terms: readonly AggregateTerm[],
    record: number,
  ) {
    this.#module = m;
    this.#nodes = new NodesReader(m, input.plan);
    this.#terms = terms;
    this.#record = record;
  }

  /** A term's value (placeholders are the only slot reads in a rewritten global item). */
  slot(slot: number): Expr {
    const m = this.#module;
    const k = slot - TERM_SLOT;
    const term = this.#terms[k];
    if (term === undefined) throw new TypeError("Local state read inside a global item");
    const field = (i: number) =>
      m.i64.load(AGG_HEADER_BYTES + AGG_TERM_BYTES * k + 8 * i, 1, m.local.get(this.#record, I32));
    switch (term.quant) {
      case "count":
        return field(0);
      case "sum":
        return m.i64.add(field(0), field(1));
      case "exists":
        return m.i64.extend_u(m.i64.ne(field(0), i64const(m, 0n)));
      case "forall":
        return m.i64.extend_u(m.i64.eqz(field(0)));
    }
  }

  mapEntry(): Expr {
    throw new TypeError("Local state read inside a global item");
  }

  nodeSlot(node: number, slot: number): Expr {
    return this.#nodes.nodeSlot(node, slot);
  }

  nodeMapEntry(node: number, base: number, keyLo: bigint, key: number): Expr {
    return this.#nodes.nodeMapEntry(node, base, keyLo, key);
  }

  nodeCount(): Expr {
    return this.#nodes.nodeCount();
  }
}

/** `base + cells * stride`: the record's address (`cells` an i32 parameter). */
function recordPtr(m: binaryen.Module, input: CodegenInput, cells: number): Expr {
  return m.i32.add(
    m.i32.const(input.plan.base),
    m.i32.mul(m.local.get(cells, I32), m.i32.const(input.plan.stride)),
  );
}

/** True (i32) when the record cannot stand for the full loops: flag set, or a failed contribution. */
function recordUnusable(m: binaryen.Module, terms: number, record: number): Expr {
  const at = (offset: number) => m.i64.load(offset, 1, m.local.get(record, I32));
  let any: Expr = m.i64.ne(at(0), i64const(m, 0n));
  for (let k = 0; k < terms; k++) {
    any = m.i32.or(any, m.i64.ne(at(AGG_HEADER_BYTES + AGG_TERM_BYTES * k + 16), i64const(m, 0n)));
  }
  return any;
}

/** The export names of the maintained aggregates and of the full checks they fall back to. */
export interface AggregateExports {
  readonly size: string;
  readonly add: string;
  readonly check: string;
  readonly liveness: string;
  /** The full `global-check` function (the fallback). */
  readonly fullCheck: string;
  /** The full `global-liveness` function (the fallback). */
  readonly fullLiveness: string;
  /** `global-agg-after` (`lib/abi/global_after.ts`), and the local `liveness` it calls; emitted when the spec fits. */
  readonly after?: { readonly name: string; readonly liveness: string; readonly meta: SpecMeta };
}

/**
 * Adds `global-agg-size`, `global-agg-add`, `global-check-agg` and
 * `global-liveness-agg` (see the module documentation), and
 * `global-agg-after` when `names.after` is given and the spec fits it;
 * returns whether that one was added.
 *
 * @example Add the exports
 * ```ts ignore
 * // While building a core module, with `input` the spec's `CodegenInput`, after global-check and global-liveness:
 * addGlobalAggregates(module, input, {
 *   size: "global-agg-size", add: "global-agg-add", check: "global-check-agg",
 *   liveness: "global-liveness-agg", fullCheck: "global-check", fullLiveness: "global-liveness",
 * });
 * ```
 */
export function addGlobalAggregates(
  m: binaryen.Module,
  input: CodegenInput,
  names: AggregateExports,
): boolean {
  const plan = aggregatePlan(input.program);
  const size = AGG_HEADER_BYTES + AGG_TERM_BYTES * plan.terms.length;
  m.addFunction(
    names.size,
    binaryen.none,
    I32,
    [],
    m.i32.const(plan.terms.length === 0 ? 0 : size),
  );
  addAdd(m, input, plan.terms, names.add);
  addCheck(m, input, plan, names);
  addLivenessAgg(m, input, plan, names);
  // Emitted whether or not there are terms (a record of size 0 is never used), like the others.
  return names.after !== undefined && globalAfterAggFits(names.after.meta) &&
    addAfterAgg(m, names, names.after);
}

/**
 * `global-agg-after(first, count, node, pinned, cells, add) -> u32`
 * (`lib/abi/global_after.ts`): the record's addition, the check, the
 * instance's liveness mask and the global liveness mask in one call.
 */
function addAfterAgg(
  m: binaryen.Module,
  names: AggregateExports,
  after: { readonly name: string; readonly liveness: string },
): true {
  const fn = new FunctionBuilder(m, [I32, I32, I32, I32, I32, I32]);
  const first = () => m.local.get(0, I32);
  const count = () => m.local.get(1, I32);
  const node = () => m.local.get(2, I32);
  const cells = () => m.local.get(4, I32);
  const inst = () => m.i32.add(first(), node());
  const overflow = m.if(
    m.local.get(5, I32),
    m.i32.ne(m.call(names.add, [inst(), cells(), m.i32.const(1)], I32), m.i32.const(0)),
    m.i32.const(0),
  );
  const code = m.call(names.check, [
    first(),
    count(),
    m.select(m.local.get(3, I32), node(), count()),
    cells(),
  ], I32);
  const local = m.call(after.liveness, [inst()], I32);
  const global = m.call(names.liveness, [first(), count(), cells()], I32);
  // The addition runs first: the check and the masks read the record it completes.
  const flag = fn.local(I32);
  fn.finish(
    after.name,
    I32,
    m.block(null, [
      m.local.set(flag, overflow),
      m.i32.or(
        m.i32.or(
          m.i32.or(code, m.i32.shl(m.local.get(flag, I32), m.i32.const(AFTER_AGG_OVERFLOW_BIT))),
          m.i32.shl(local, m.i32.const(AFTER_LOCAL_SHIFT)),
        ),
        m.i32.shl(global, m.i32.const(AFTER_GLOBAL_SHIFT)),
      ),
    ], I32),
  );
  return true;
}

/** `global-agg-add(inst, cells, delta) -> flag`. */
function addAdd(
  m: binaryen.Module,
  input: CodegenInput,
  terms: readonly AggregateTerm[],
  name: string,
): void {
  // Parameter 0 is read as `first` by the node reader, with the node variable at position 0.
  const fn = new FunctionBuilder(m, [I32, I32, I32]);
  const record = fn.local(I32);
  const value = fn.local(I64);
  const body: Expr[] = [m.local.set(record, recordPtr(m, input, 1))];
  const adding = () => m.i32.gt_s(m.local.get(2, I32), m.i32.const(0));
  const field = (k: number, i: number) => AGG_HEADER_BYTES + AGG_TERM_BYTES * k + 8 * i;
  const load = (offset: number) => m.i64.load(offset, 1, m.local.get(record, I32));
  const store = (offset: number, v: Expr) => m.i64.store(offset, 1, m.local.get(record, I32), v);
  const setFlag = () => store(0, i64const(m, 1n));
  terms.forEach((term, k) => {
    const done = fn.label("term_done");
    const failed = fn.label("term_failed");
    const compiler = new ExprCompiler({
      fn,
      fail: () => m.br(failed),
      params: [],
      reader: new NodesReader(m, input.plan),
    });
    const node = compiler.frameLocal(term.local);
    const overflow = { fn, fail: () => m.block(null, [setFlag(), m.br(done)]), code: 0 };
    const accumulate = (i: number) =>
      store(
        field(k, i),
        m.if(
          adding(),
          checkedAdd(overflow, load(field(k, i)), m.local.get(value, I64), null, null),
          checkedSub(overflow, load(field(k, i)), m.local.get(value, I64), null, null),
        ),
      );
    const contribution = term.quant === "sum" ? compiler.int(term.body) : m.i64.extend_u(
      term.quant === "forall" ? m.i32.eqz(compiler.cond(term.body)) : compiler.cond(term.body),
    );
    const update = term.quant === "sum"
      ? m.if(
        m.i64.ge_s(m.local.get(value, I64), i64const(m, 0n)),
        accumulate(0),
        accumulate(1),
      )
      : accumulate(0);
    const errors = field(k, 2);
    body.push(
      m.block(done, [
        m.block(failed, [
          m.local.set(node, i64const(m, 0n)),
          m.local.set(value, contribution),
          update,
          m.br(done),
        ]),
        store(errors, m.i64.add(load(errors), m.i64.extend_s(m.local.get(2, I32)))),
      ]),
    );
  });
  body.push(m.i32.wrap(load(0)));
  fn.finish(name, I32, m.block(null, body, I32));
}

/** `global-check-agg(first, count, node, cells) -> u32`. */
function addCheck(
  m: binaryen.Module,
  input: CodegenInput,
  plan: AggregatePlan,
  names: AggregateExports,
): void {
  const fn = new FunctionBuilder(m, [I32, I32, I32, I32]);
  const record = fn.local(I32);
  const compiler = new ExprCompiler({
    fn,
    fail: (code) => m.return(m.i32.const(code)),
    params: [],
    reader: new AggregateReader(m, input, plan.terms, record),
  });
  const node = fn.local(I64);
  const pinned = () => m.i32.lt_u(m.local.get(2, I32), m.local.get(1, I32));
  const full = m.return(
    m.call(names.fullCheck, [m.local.get(0, I32), m.local.get(1, I32)], I32),
  );
  const body: Expr[] = [
    m.local.set(record, recordPtr(m, input, 3)),
    m.if(recordUnusable(m, plan.terms.length, record), full),
    m.local.set(node, m.i64.extend_u(m.local.get(2, I32))),
  ];
  for (const inv of plan.invariants) {
    const failed = () => m.return(m.i32.const(inv.code));
    for (const part of inv.parts) {
      if (part.kind === "full") {
        body.push(m.if(m.i32.eqz(compiler.cond(part.expr)), failed()));
        continue;
      }
      body.push(
        m.if(
          pinned(),
          pinnedLoops(compiler, { fn, node, vars: part.vars, body: part.body, failed }),
          m.if(m.i32.eqz(compiler.cond(part.expr)), failed()),
        ),
      );
    }
  }
  fn.finish(names.check, I32, m.block(null, [...body, m.i32.const(0)], I32));
}

/** `global-liveness-agg(first, count, cells) -> u32`. */
function addLivenessAgg(
  m: binaryen.Module,
  input: CodegenInput,
  plan: AggregatePlan,
  names: AggregateExports,
): void {
  const fn = new FunctionBuilder(m, [I32, I32, I32]);
  const record = fn.local(I32);
  const full = m.return(
    m.call(names.fullLiveness, [m.local.get(0, I32), m.local.get(1, I32)], I32),
  );
  const mask = livenessMask(
    fn,
    plan.liveness,
    new AggregateReader(m, input, plan.terms, record),
  );
  fn.finish(
    names.liveness,
    I32,
    m.block(null, [
      m.local.set(record, recordPtr(m, input, 2)),
      m.if(recordUnusable(m, plan.terms.length, record), full),
      mask,
    ], I32),
  );
}
