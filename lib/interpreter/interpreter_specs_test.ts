import assert from "node:assert/strict";
import { analyze } from "../frontend.ts";
import {
  check,
  checkInvariants,
  globalCheck,
  globalLiveness,
  initialState,
  liveness,
  step,
} from "./interpreter.ts";
import { finiteBounds } from "./eval.ts";
import type { Program } from "../ir.ts";
import type { VerdictEntry } from "../abi/verdict_codes.ts";

const SPECS = ["lease", "toggle", "counter3", "mutex", "order", "account", "raft", "calc"];

function load(name: string, edit: (src: string) => string = (s) => s): Program {
  const source = edit(Deno.readTextFileSync(new URL(`../../specs/${name}.vigil`, import.meta.url)));
  const { program, diagnostics } = analyze(source);
  assert.deepEqual(diagnostics, [], `${name}.vigil has diagnostics`);
  assert.ok(program);
  return program;
}

/** A tiny driver: steps actions by name and keeps the state when the verdict is ok. */
class Driver {
  readonly p: Program;
  state: bigint[];
  constructor(p: Program) {
    this.p = p;
    const s0 = initialState(p);
    assert.equal(s0.code, 0);
    this.state = s0.state;
  }
  /** Steps `action` and returns the verdict entry. */
  step(action: string, ...args: number[]): VerdictEntry {
    const index = this.p.actions.findIndex((a) => a.name === action);
    assert.ok(index >= 0, `no action ${action}`);
    const r = step(this.p, this.state, index, args);
    this.state = r.state;
    return this.p.verdicts[r.code] as VerdictEntry;
  }
  /** The value of a scalar variable or a map entry (by key index). */
  get(name: string, key?: number): bigint {
    const v = this.p.vars.find((x) => x.name === name);
    assert.ok(v, `no variable ${name}`);
    const lo = v.type.kind === "map" ? finiteBounds(v.type.key).lo : 0n;
    return this.state[v.base + Number(BigInt(key ?? 0) - lo)] as bigint;
  }
}

Deno.test("every example spec analyzes cleanly and starts in a state that passes its invariants", () => {
  for (const name of SPECS) {
    const p = load(name);
    const s0 = initialState(p);
    assert.equal(s0.code, 0, name);
    assert.equal(checkInvariants(p, s0.state), 0, name);
  }
});

Deno.test("lease refuses a second acquire with the require on line 14", () => {
  const d = new Driver(load("lease"));
  assert.equal(d.step("acquire", 2).kind, "ok");
  assert.deepEqual([d.get("mode"), d.get("owner"), d.get("token"), d.get("granted", 2)], [
    1n,
    2n,
    1n,
    1n,
  ]);
  const refused = d.step("acquire", 1);
  assert.equal(refused.kind, "guard_failed");
  assert.equal(refused.detail, "require mode == free");
  assert.equal(refused.item, "action acquire");
  assert.equal(refused.range.line, 14);
  assert.equal(d.get("owner"), 2n);
  assert.equal(d.step("release", 3).kind, "guard_failed");
  assert.equal(d.step("release", 2).kind, "ok");
  assert.equal(d.step("acquire", 3).kind, "ok");
  assert.equal(d.get("token"), 2n);
  assert.equal(d.get("granted", 3), 2n);
  const bad = d.step("release", 4);
  assert.deepEqual([bad.kind, bad.detail], ["bad_argument", "c"]);
  assert.equal(d.step("release", 2.5).kind, "bad_argument");
});

Deno.test("lease global invariant OneHolder fails when two monitors hold the lease", () => {
  const p = load("lease");
  const free = initialState(p).state;
  const held = step(p, free, 0, [1]).state;
  assert.equal(globalCheck(p, [free, held, free]), 0);
  const code = globalCheck(p, [held, free, held]);
  assert.equal(p.verdicts[code]?.item, "global invariant OneHolder");
  assert.equal(liveness(p, free), 0b10);
  assert.equal(liveness(p, held), 0b01);
  assert.equal(globalLiveness(p, [free, held]), 0b01);
  assert.equal(globalLiveness(p, [free, free]), 0b10);
});

Deno.test("lease token overflow at i64 max is the acquire's arith_error", () => {
  const p = load("lease");
  const token = p.vars.find((v) => v.name === "token");
  assert.ok(token);
  const s = initialState(p).state;
  s[token.base] = (1n << 63n) - 1n;
  const r = step(p, s, 0, [1]);
  assert.equal(p.verdicts[r.code]?.kind, "arith_error");
  assert.equal(p.verdicts[r.code]?.detail, "token + 1: overflow");
  assert.deepEqual(r.state, s);
});

type Key = string;

/** Every argument tuple of an action whose parameters all have finite types. */
function argTuples(p: Program, action: number): number[][] {
  let tuples: number[][] = [[]];
  for (const param of p.actions[action]?.params ?? []) {
    assert.notEqual(param.type.kind, "int", "explore needs finite parameters");
    if (param.type.kind === "int") return [];
    const { lo, hi } = finiteBounds(param.type);
    const next: number[][] = [];
    for (const t of tuples) for (let v = lo; v <= hi; v++) next.push([...t, Number(v)]);
    tuples = next;
  }
  return tuples;
}

/** Breadth-first exploration; returns the reachable states and the failing verdict codes seen. */
function explore(
  p: Program,
  limit = 100_000,
): { states: Map<Key, bigint[]>; failures: Set<number> } {
  const s0 = initialState(p).state;
  const states = new Map<Key, bigint[]>([[s0.join(","), s0]]);
  const failures = new Set<number>();
  const queue = [s0];
  while (queue.length > 0 && states.size < limit) {
    const s = queue.shift() as bigint[];
    for (let a = 0; a < p.actions.length; a++) {
      for (const args of argTuples(p, a)) {
        const r = step(p, s, a, args);
        assert.equal(check(p, s, a, args), r.code);
        if (r.code !== 0) {
          failures.add(r.code);
          assert.deepEqual(r.state, s);
          continue;
        }
        const key = r.state.join(",");
        if (!states.has(key)) {
          states.set(key, r.state);
          queue.push(r.state);
        }
      }
    }
  }
  return { states, failures };
}

Deno.test("toggle has exactly 2 reachable states and counter3 exactly 8", () => {
  assert.equal(explore(load("toggle")).states.size, 2);
  const counter = load("counter3");
  const { states, failures } = explore(counter);
  assert.equal(states.size, 8);
  assert.deepEqual([...failures], []);
});

Deno.test("mutex never lets both processes into the critical section", () => {
  const p = load("mutex");
  const { states, failures } = explore(p);
  const kinds = [...failures].map((c) => p.verdicts[c]?.kind);
  assert.ok(kinds.every((k) => k === "guard_failed"), `unexpected ${kinds}`);
  assert.ok(states.size > 10);
});

Deno.test("mutex without the turn check reaches a MutualExclusion violation", () => {
  const p = load("mutex", (s) => s.replace("require flag[1 - p] == false or turn == p", ""));
  const { failures } = explore(p);
  const items = [...failures].map((c) => p.verdicts[c]?.item);
  assert.ok(items.includes("invariant MutualExclusion"), `${items}`);
});

Deno.test("order refunds never exceed the payment and shipping needs payment", () => {
  const d = new Driver(load("order"));
  assert.equal(d.step("ship").detail, "require status == paid");
  assert.equal(d.step("pay", 100).detail, "require price > 0");
  assert.equal(d.step("setPrice", 100).kind, "ok");
  assert.equal(d.step("pay", 90).detail, "require amount == price");
  assert.equal(d.step("pay", 100).kind, "ok");
  assert.equal(d.step("refund", 60).kind, "ok");
  assert.equal(d.step("refund", 50).detail, "require refunded + amount <= paidAmount");
  assert.equal(d.step("refund", 1_000_001).kind, "bad_argument");
  assert.equal(d.step("ship").kind, "ok");
  assert.equal(d.step("refund", 10).kind, "guard_failed");
  assert.equal(d.step("cancel").detail, "require status == created or status == paid");
  assert.equal(d.step("deliver").kind, "ok");
  assert.equal(d.step("refund", 40).kind, "ok");
  assert.equal(d.get("refunded"), 100n);
  assert.equal(d.get("refundCount"), 2n);
});

Deno.test("account keeps the balance non-negative and the daily limits per channel", () => {
  const d = new Driver(load("account"));
  const atm = 0, card = 1;
  assert.equal(d.step("withdraw", card, 1).detail, "require amount <= balance");
  assert.equal(d.step("deposit", 5000).kind, "ok");
  assert.equal(d.step("withdraw", atm, 300).kind, "ok");
  assert.equal(
    d.step("withdraw", atm, 200).detail,
    "require ch != atm or withdrawn[atm] + amount <= AtmLimit",
  );
  assert.equal(d.step("withdraw", card, 700).kind, "ok");
  assert.equal(
    d.step("withdraw", card, 1).detail,
    "require sum(c: Channel: withdrawn[c]) + amount <= DailyLimit",
  );
  assert.equal(d.step("withdraw", 3, 1).kind, "bad_argument");
  assert.equal(d.step("newDay").kind, "ok");
  assert.deepEqual([d.get("withdrawn", 0), d.get("withdrawn", 1), d.get("day")], [0n, 0n, 1n]);
  assert.equal(d.step("withdraw", card, 1000).kind, "ok");
  assert.equal(d.get("balance"), 3000n);
  assert.equal(d.step("freeze").kind, "ok");
  assert.equal(d.step("deposit", 1).detail, "require not frozen");
  assert.equal(liveness(d.p, d.state), 0b01);
});

Deno.test("raft elects one leader per term and the global invariant catches two", () => {
  const p = load("raft");
  const nodes = [1, 2, 3].map((id) => {
    const d = new Driver(p);
    assert.equal(d.step("join", id).kind, "ok");
    return d;
  });
  const [n1, n2, n3] = nodes as [Driver, Driver, Driver];
  assert.equal(n1.step("timeout").kind, "ok");
  assert.deepEqual([n1.get("role"), n1.get("term"), n1.get("votedFor")], [1n, 1n, 1n]);
  assert.equal(n1.step("becomeLeader").detail, "require count(n: NodeId: votes[n]) * 2 > N");
  assert.equal(n2.step("grantVote", 1, 1).kind, "ok");
  assert.equal(n2.step("grantVote", 3, 1).kind, "guard_failed");
  assert.equal(n1.step("receiveVote", 2, 1).kind, "ok");
  assert.equal(n1.step("becomeLeader").kind, "ok");
  const all = () => nodes.map((n) => n.state);
  assert.equal(globalCheck(p, all()), 0);
  assert.equal(globalLiveness(p, all()) & 0b10, 0b10);
  assert.equal(n3.step("stepDown", 0).detail, "require t > term");
  // A forged second leader in term 1 violates OneLeaderPerTerm.
  const role = p.vars.find((v) => v.name === "role")?.base ?? -1;
  const term = p.vars.find((v) => v.name === "term")?.base ?? -1;
  const forged = n3.state.slice();
  forged[role] = 2n;
  forged[term] = 1n;
  const code = globalCheck(p, [...all(), forged]);
  assert.equal(p.verdicts[code]?.item, "global invariant OneLeaderPerTerm");
  forged[term] = 2n;
  assert.equal(globalCheck(p, [...all(), forged]), 0);
});

Deno.test("raft refuses a term going back through invariants when guards allow it", () => {
  const p = load("raft", (s) => s.replace("require t > term\n", "require t >= 0\n"));
  const d = new Driver(p);
  d.step("join", 1);
  assert.equal(d.step("timeout").kind, "ok");
  const r = d.step("stepDown", 0);
  assert.equal(r.item, "invariant TermNeverDecreases");
  assert.equal(r.kind, "invariant_failed");
});

Deno.test("calc: MIN / -1 is an arith_error, MIN % -1 is 0, -MIN overflows", () => {
  const d = new Driver(load("calc"));
  assert.equal(d.step("put", -(2 ** 63)).kind, "ok");
  assert.equal(d.get("acc"), -(1n << 63n));
  assert.equal(d.step("div", -1).detail, "acc / v: overflow or division by zero");
  assert.equal(d.step("negate").detail, "-acc: overflow");
  assert.equal(d.step("add", -1).detail, "acc + v: overflow");
  assert.equal(d.step("rem", -1).kind, "ok");
  assert.equal(d.get("acc"), 0n);
  assert.equal(d.step("div", 0).detail, "acc % v: division by zero");
  assert.equal(d.step("put", 2 ** 63).kind, "bad_argument");
});

Deno.test("calc: div assigns quotient and remainder simultaneously, truncating", () => {
  const d = new Driver(load("calc"));
  d.step("put", -7);
  assert.equal(d.step("div", 2).kind, "ok");
  assert.deepEqual([d.get("acc"), d.get("last")], [-3n, -1n]);
  assert.equal(d.step("swapLast").kind, "ok");
  assert.deepEqual([d.get("acc"), d.get("last")], [-1n, -3n]);
});

Deno.test("calc: a map key is checked before its value and ranges after all values", () => {
  const d = new Driver(load("calc"));
  d.step("put", 2 ** 62);
  // cells[5] := acc * acc: the key error wins over the multiplication overflow.
  const r = d.step("store", 5);
  assert.deepEqual([r.kind, r.detail], ["arith_error", "cells[k]: key out of 'Cell'"]);
  assert.equal(d.step("store", 1).detail, "acc * acc: overflow");
  d.step("put", 3);
  assert.equal(d.step("store", -2).detail, "cells[k]");
  d.step("put", 2);
  assert.equal(d.step("store", -2).kind, "ok");
  assert.equal(d.get("cells", -2), 4n);
});

Deno.test("calc: a short-circuit guard never divides by zero and sum overflow has its own code", () => {
  const d = new Driver(load("calc"));
  assert.equal(d.step("safeDiv", 0).kind, "ok");
  d.step("put", 14);
  assert.equal(d.step("safeDiv", 2).detail, "require v != 0 implies acc / v != 7");
  assert.equal(d.step("safeDiv", 7).kind, "ok");
  assert.equal(d.get("acc"), 2n);
  d.step("put", 2 ** 62);
  assert.equal(d.step("spread").detail, "sum(c: Cell: acc): overflow");
  d.step("put", 3);
  assert.equal(d.step("spread").kind, "ok");
  assert.equal(d.get("last"), 15n);
  // 100 / acc in a liveness predicate: an error counts as not holding.
  d.step("put", 0);
  assert.equal(liveness(d.p, d.state), 0b10);
  d.step("put", 10);
  assert.equal(liveness(d.p, d.state), 0b01);
});

Deno.test("calc: node map reads and node sums in global items", () => {
  const p = load("calc");
  // Slots: acc, last, cells[-2..2].
  const node = (acc: bigint, last: bigint, cellAtLast = 0n) => {
    const s = [acc, last, 0n, 0n, 0n, 0n, 0n];
    if (last >= -2n && last <= 2n) s[2 + Number(last + 2n)] = cellAtLast;
    return s;
  };
  assert.equal(globalCheck(p, [node(1n, 0n), node(2n, 0n)]), 0);
  const overflow = globalCheck(p, [node(1n << 62n, 0n), node(1n << 62n, 0n)]);
  assert.equal(p.verdicts[overflow]?.detail, "sum(n in nodes: n.acc): overflow");
  const big = globalCheck(p, [node(999_999n, 0n), node(1n, 0n)]);
  assert.equal(p.verdicts[big]?.item, "global invariant SmallTotal");
  const fourPositive = [1n, 2n, 3n, 4n].map((last) => node(0n, last));
  assert.equal(p.verdicts[globalCheck(p, fourPositive)]?.item, "global invariant SmallTotal");
  // when: some n.cells[n.last] != 0; eventually: all accs distinct.
  assert.equal(globalLiveness(p, [node(1n, 1n, 5n), node(2n, 0n)]), 0b11);
  assert.equal(globalLiveness(p, [node(1n, 1n, 0n), node(1n, 0n)]), 0b00);
  // n.last = 7 is outside Cell: the arithmetic error makes `when` not hold.
  assert.equal(globalLiveness(p, [node(1n, 7n), node(2n, 1n, 3n)]), 0b10);
  assert.equal(globalLiveness(p, [node(1n, 1n, 3n), node(2n, 7n)]), 0b11);
});
