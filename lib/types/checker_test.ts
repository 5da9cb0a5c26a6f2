import assert from "node:assert/strict";
import { check } from "./checker.ts";
import { parse } from "../syntax/parser.ts";
import { initialState, step } from "../interpreter/interpreter.ts";
import type { IExpr, Program } from "../ir.ts";
import { SpanTable } from "../syntax/source.ts";
import { LEASE, program } from "../frontend_fixture.ts";

function entry(p: Program, code: number): string {
  const v = p.verdicts[code];
  assert.ok(v !== undefined, `no verdict ${code}`);
  return `${v.kind} | ${v.item} | ${v.detail} | ${v.range.line}:${v.range.column}`;
}

Deno.test("check lays out the Lease state in declaration order with 7 slots", () => {
  const p = program(LEASE);
  assert.equal(p.name, "Lease");
  assert.equal(p.sourceHash, "");
  assert.deepEqual(p.vars.map((v) => [v.name, v.base, v.size]), [
    ["mode", 0, 1],
    ["owner", 1, 1],
    ["token", 2, 1],
    ["granted", 3, 4],
  ]);
  assert.equal(p.slotCount, 7);
  assert.deepEqual(p.defaults, [0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  assert.deepEqual(p.consts.map((c) => [c.name, c.value, c.range.line]), [["MaxClient", 3n, 2]]);
  assert.deepEqual(p.enums, [{ kind: "enum", name: "Mode", labels: ["free", "held"] }]);
  assert.deepEqual(p.vars[1]!.type, { kind: "range", lo: 0n, hi: 3n, name: "Client" });
  assert.equal(p.vars[0]!.range.line, 5);
});

Deno.test("check numbers the Lease verdicts in source order with their lines", () => {
  const p = program(LEASE);
  assert.deepEqual(p.verdicts.map((v) => v.code), p.verdicts.map((_, i) => i));
  assert.deepEqual(p.verdicts.map((_, i) => entry(p, i)), [
    "ok | spec Lease |  | 1:1",
    "unknown_action | spec Lease |  | 1:1",
    "bad_argument | action acquire | c | 13:18",
    "guard_failed | action acquire | require mode == free | 14:5",
    "range_violation | action acquire | owner | 16:5",
    "arith_error | action acquire | token + 1: overflow | 17:14",
    "arith_error | action acquire | granted[c]: key out of 'Client' | 18:5",
    "arith_error | action acquire | token + 1: overflow | 18:19",
    "bad_argument | action release | c | 20:18",
    "guard_failed | action release | require mode == held and owner == c | 21:5",
    "invariant_failed | invariant TokenNeverGoesBack | token >= prev(token) | 24:3",
    "invariant_failed | invariant OwnerHasLatestToken | mode == held implies granted[owner] == token | 27:3",
    "arith_error | invariant OwnerHasLatestToken | granted[owner]: key out of 'Client' | 28:26",
    "liveness_timeout | liveness HolderReleases | when mode == held then eventually mode == free | 30:3",
    "invariant_failed | global invariant OneHolder | forall a, b in nodes: a.mode == held and b.mode == held implies a == b | 33:3",
    "liveness_timeout | global liveness SomeoneCanAcquire | when exists n in nodes: n.mode == held then eventually forall n in nodes: n.mode == free | 36:3",
  ]);
});

Deno.test("check builds the Lease actions with codes, texts and assignments", () => {
  const p = program(LEASE);
  const [acquire, release] = p.actions;
  assert.ok(acquire !== undefined && release !== undefined);
  assert.deepEqual(acquire.params.map((x) => [x.name, x.code, x.type.kind]), [["c", 2, "range"]]);
  assert.deepEqual(acquire.requires.map((r) => [r.code, r.text, r.range.line]), [[
    3,
    "require mode == free",
    14,
  ]]);
  assert.deepEqual(acquire.requires[0]!.expr, {
    kind: "cmp",
    op: "==",
    left: { kind: "slot", slot: 0, prev: false },
    right: { kind: "const", value: 0n },
  });
  const tokenPlusOne = (code: number): IExpr => ({
    kind: "arith",
    op: "+",
    left: { kind: "slot", slot: 2, prev: false },
    right: { kind: "const", value: 1n },
    code,
  });
  assert.deepEqual(acquire.assigns.map((a) => ({ ...a, range: a.range.line })), [
    {
      varIndex: 0,
      slot: 0,
      key: null,
      keyCode: -1,
      value: { kind: "const", value: 1n },
      rangeCode: -1,
      bounds: { lo: 0n, hi: 1n },
      range: 15,
    },
    {
      varIndex: 1,
      slot: 1,
      key: null,
      keyCode: -1,
      value: { kind: "param", index: 0 },
      rangeCode: 4,
      bounds: { lo: 0n, hi: 3n },
      range: 16,
    },
    {
      varIndex: 2,
      slot: 2,
      key: null,
      keyCode: -1,
      value: tokenPlusOne(5),
      rangeCode: -1,
      bounds: null,
      range: 17,
    },
    {
      varIndex: 3,
      slot: 3,
      key: { kind: "param", index: 0 },
      keyCode: 6,
      value: tokenPlusOne(7),
      rangeCode: -1,
      bounds: null,
      range: 18,
    },
  ]);
  assert.equal(acquire.locals, 0);
  assert.equal(release.requires[0]!.expr.kind, "logic");
  assert.deepEqual(p.init.assigns.map((a) => [a.varIndex, a.value]), [[2, {
    kind: "const",
    value: 0n,
  }]]);
});

Deno.test("check builds invariants with prev flags and global node quantifiers", () => {
  const p = program(LEASE);
  assert.deepEqual(p.invariants.map((i) => [i.name, i.code, i.usesPrev, i.locals]), [
    ["TokenNeverGoesBack", 10, true, 0],
    ["OwnerHasLatestToken", 11, false, 0],
  ]);
  assert.deepEqual(p.invariants[0]!.expr, {
    kind: "cmp",
    op: ">=",
    left: { kind: "slot", slot: 2, prev: false },
    right: { kind: "slot", slot: 2, prev: true },
  });
  const one = p.globalInvariants[0]!;
  assert.equal(one.locals, 2);
  assert.equal(one.expr.kind, "nodeQuant");
  if (one.expr.kind !== "nodeQuant" || one.expr.body.kind !== "nodeQuant") {
    throw new Error("nesting");
  }
  assert.equal(one.expr.local, 0);
  assert.equal(one.expr.body.local, 1);
  const body = one.expr.body.body;
  assert.ok(body.kind === "logic" && body.op === "implies");
  assert.deepEqual(body.right, {
    kind: "cmp",
    op: "==",
    left: { kind: "local", index: 0 },
    right: { kind: "local", index: 1 },
  });
  assert.deepEqual(p.liveness.map((l) => [l.name, l.withinMs, l.code]), [[
    "HolderReleases",
    30000,
    13,
  ]]);
  assert.deepEqual(p.globalLiveness.map((l) => [l.name, l.withinMs, l.code, l.locals]), [
    ["SomeoneCanAcquire", 60000, 15, 1],
  ]);
});

function stripRanges(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(stripRanges);
  if (x === null || typeof x !== "object") return x;
  return Object.fromEntries(
    Object.entries(x).filter(([k]) => k !== "range").map(([k, v]) => [k, stripRanges(v)]),
  );
}

Deno.test("check yields the same program when every line is flush left or on one line", () => {
  const p = program(LEASE);
  const flush = program(LEASE.replace(/^ +/gm, ""));
  assert.deepEqual(stripRanges(flush), stripRanges(p));
  assert.deepEqual(flush.verdicts.map((v) => v.range.line), p.verdicts.map((v) => v.range.line));
  const oneLine = program(LEASE.replace(/\s+/g, " "));
  assert.deepEqual(stripRanges(oneLine), stripRanges(p));
});

Deno.test("check returns no program and no diagnostics without a syntax tree", () => {
  assert.deepEqual(check({ ast: null, spans: new SpanTable(), diagnostics: [] }, ""), {
    program: null,
    diagnostics: [],
  });
});

Deno.test("check reports every problem at once, sorted by position", () => {
  const source = "spec Bad\nstate x: int = 0\naction a\n  x := y\ninvariant I z\n";
  const { program, diagnostics } = check(parse(source), source);
  assert.equal(program, null);
  assert.deepEqual(diagnostics.map((d) => [d.code, source.slice(d.span.start, d.span.end)]), [
    ["VIG202", "y"],
    ["VIG202", "z"],
  ]);
  assert.ok(diagnostics.every((d) => d.severity === "error"));
});

Deno.test("check accepts a spec with no actions", () => {
  const p = program("spec Quiet\nstate x: int = 1\ninvariant Pos x > 0\n");
  assert.deepEqual(p.actions, []);
  assert.deepEqual(p.init, { assigns: [], locals: 0 });
  assert.deepEqual(p.defaults, [1n]);
});

Deno.test("check builds terminal items without touching the program's verdict table", () => {
  const base = "spec W\ntype S = enum { open, done }\nstate s: S = open\nstate n: 0..9 = 0\n" +
    "action finish require s == open s := done\ninvariant Small n < 9\n";
  const plain = program(base);
  const marked = program(base + "terminal Finished s == done and n / 2 == 0\n");
  assert.deepEqual(marked.verdicts, plain.verdicts);
  assert.deepEqual(plain.terminals, []);
  const [finished] = marked.terminals ?? [];
  assert.equal(finished?.name, "Finished");
  assert.equal(finished?.range.line, 7);
  assert.deepEqual(finished?.verdicts.map((v) => `${v.kind} ${v.detail}`).slice(2), [
    "arith_error n / 2: overflow or division by zero",
  ]);
});

Deno.test("check refuses prev, node quantifiers, non-bool predicates and reused names in terminal items", () => {
  const head = "spec W\nstate n: 0..3 = 0\ninvariant Done n >= 0\n";
  const codes = (item: string) =>
    check(parse(head + item), head + item).diagnostics.map((d) => d.code);
  assert.deepEqual(codes("terminal End prev(n) == 3\n"), ["VIG401"]);
  assert.deepEqual(codes("terminal End forall a in nodes: a.n == 3\n"), ["VIG410"]);
  assert.deepEqual(codes("terminal End n + 1\n"), ["VIG302"]);
  assert.deepEqual(codes("terminal Done n == 3\n"), ["VIG206"]);
});

/** Every (code, expected kind) an IR program refers to. */
function codesOf(p: Program): [number, string][] {
  const out: [number, string][] = [];
  const expr = (e: IExpr): void => {
    switch (e.kind) {
      case "map":
      case "nodeMap":
        out.push([e.code, "arith_error"]);
        return expr(e.key);
      case "neg":
      case "arith":
        out.push([e.code, "arith_error"]);
        if (e.kind === "neg") return expr(e.operand);
        expr(e.left);
        return expr(e.right);
      case "quant":
      case "nodeQuant":
        if (e.code !== -1) out.push([e.code, "arith_error"]);
        return expr(e.body);
      case "not":
        return expr(e.operand);
      case "cmp":
      case "logic":
        expr(e.left);
        return expr(e.right);
      case "if":
        expr(e.cond);
        expr(e.then);
        return expr(e.else);
      default:
        return;
    }
  };
  const assigns = (as: Program["init"]["assigns"]) => {
    for (const a of as) {
      if (a.rangeCode !== -1) out.push([a.rangeCode, "range_violation"]);
      if (a.keyCode !== -1) out.push([a.keyCode, "arith_error"]);
      if (a.key !== null) expr(a.key);
      expr(a.value);
    }
  };
  assigns(p.init.assigns);
  for (const a of p.actions) {
    for (const x of a.params) out.push([x.code, "bad_argument"]);
    for (const r of a.requires) {
      out.push([r.code, "guard_failed"]);
      expr(r.expr);
    }
    assigns(a.assigns);
  }
  for (const i of [...p.invariants, ...p.globalInvariants]) {
    out.push([i.code, "invariant_failed"]);
    expr(i.expr);
  }
  for (const l of [...p.liveness, ...p.globalLiveness]) {
    out.push([l.code, "liveness_timeout"]);
    expr(l.when);
    expr(l.eventually);
  }
  return out;
}

Deno.test("every example spec checks and its IR uses exactly the codes of its verdict table", () => {
  const dir = new URL("../../specs/", import.meta.url);
  const files = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".vigil"));
  assert.ok(files.length > 0);
  for (const f of files) {
    const p = program(Deno.readTextFileSync(new URL(f.name, dir)));
    const used = codesOf(p);
    for (const [code, kind] of used) {
      assert.equal(p.verdicts[code]?.kind, kind, `${f.name} code ${code}`);
    }
    const distinct = new Set(used.map(([code]) => code));
    assert.deepEqual(
      [...distinct].sort((a, b) => a - b),
      p.verdicts.slice(2).map((v) => v.code),
      f.name,
    );
    assert.deepEqual(p.verdicts.slice(0, 2).map((v) => v.kind), ["ok", "unknown_action"]);
  }
});

Deno.test("the checked Lease program runs in the interpreter with its verdict codes", () => {
  const p = program(LEASE);
  const init = initialState(p);
  assert.equal(init.code, 0);
  const held = step(p, init.state, 0, [2]);
  assert.equal(held.code, 0);
  assert.deepEqual(held.state, [1n, 2n, 1n, 0n, 0n, 1n, 0n]);
  assert.equal(step(p, held.state, 0, [1]).code, 3, "guard 'require mode == free'");
  assert.equal(step(p, init.state, 0, [4]).code, 2, "bad_argument c");
  assert.equal(step(p, held.state, 1, [1]).code, 9, "guard of release");
  assert.equal(step(p, held.state, 1, [2]).code, 0);
});

Deno.test("check refuses expression trees deeper than the limit instead of overflowing the stack", () => {
  const chain = Array(5000).fill("x").join(" + ");
  const source = `spec D\nstate x: int = 0\ninvariant I ${chain} >= 0\n`;
  const { program, diagnostics } = check(parse(source), source);
  assert.equal(program, null);
  assert.deepEqual(diagnostics.map((d) => d.code), ["VIG413"]);
  const ok = `spec D\nstate x: int = 0\ninvariant I ${Array(900).fill("x").join(" + ")} >= 0\n`;
  assert.equal(check(parse(ok), ok).diagnostics.length, 0);
});
