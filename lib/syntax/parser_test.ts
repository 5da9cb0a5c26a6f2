import assert from "node:assert/strict";
import type { Expr, Item, TypeExpr } from "./ast.ts";
import { parse } from "./parser.ts";
import { LineIndex } from "./source.ts";
import { LEASE } from "../frontend_fixture.ts";

/** A compact printed form of an expression, fully parenthesized, without ids. */
function show(e: Expr): string {
  switch (e.kind) {
    case "int":
      return `${e.value}`;
    case "bool":
      return `${e.value}`;
    case "name":
      return e.name;
    case "prev":
      return `prev(${show(e.expr)})`;
    case "index":
      return `${show(e.target)}[${show(e.index)}]`;
    case "field":
      return `${show(e.target)}.${e.name}`;
    case "unary":
      return `(${e.op} ${show(e.operand)})`;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "if":
      return `(if ${show(e.cond)} then ${show(e.then)} else ${show(e.else)})`;
    case "quant": {
      const dom = e.domain === "nodes" ? "in nodes" : `: ${showType(e.domain)}`;
      return `(${e.quant} ${e.binders.map((b) => b.name).join(", ")} ${dom}: ${show(e.body)})`;
    }
  }
}

function showType(t: TypeExpr): string {
  switch (t.kind) {
    case "named":
      return t.name;
    case "range":
      return `${show(t.lo)}..${show(t.hi)}`;
    case "enum":
      return `enum{${t.labels.map((l) => l.name).join(",")}}`;
    case "map":
      return `map[${showType(t.key)}, ${showType(t.value)}]`;
  }
}

/** The tree as JSON without ids, for comparing parses of differently laid out text. */
function stripped(src: string): string {
  const r = parse(src);
  assert.deepEqual(r.diagnostics, []);
  return JSON.stringify(r.ast, (k, v) => {
    if (k === "id" || k === "nameId" || k === "targetId") return undefined;
    return typeof v === "bigint" ? `${v}n` : v;
  });
}

function expr(src: string): string {
  const r = parse(`spec T\ninvariant I ${src}`);
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  const item = r.ast!.items[0]!;
  assert.equal(item.kind, "invariant");
  return show((item as Extract<Item, { kind: "invariant" }>).expr);
}

/** `CODE line:col` of each diagnostic. */
function positions(src: string): string[] {
  const index = new LineIndex(src);
  return parse(src).diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${d.code} ${p.line}:${p.column}`;
  });
}

function items(src: string): Item[] {
  const r = parse(src);
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  return [...r.ast!.items];
}

Deno.test("parse respects precedence: or is looser than and", () => {
  assert.equal(expr("a or b and c"), "(a or (b and c))");
  assert.equal(expr("a and b or c"), "((a and b) or c)");
});

Deno.test("parse makes implies right-associative and loosest of the binary operators", () => {
  assert.equal(expr("x implies y implies z"), "(x implies (y implies z))");
  assert.equal(expr("a or b implies c and d"), "((a or b) implies (c and d))");
});

Deno.test("parse binds not looser than comparisons", () => {
  assert.equal(expr("not a == b"), "(not (a == b))");
  assert.equal(expr("not a and b"), "((not a) and b)");
  assert.equal(expr("not not a"), "(not (not a))");
});

Deno.test("parse binds unary minus tighter than multiplication", () => {
  assert.equal(expr("-x * y == 0"), "(((- x) * y) == 0)");
  assert.equal(expr("1 - 2 - 3 == 0"), "(((1 - 2) - 3) == 0)");
  assert.equal(expr("1 + 2 * 3 % 4 / 5 == 0"), "((1 + (((2 * 3) % 4) / 5)) == 0)");
  assert.equal(expr("- - 1 == 1"), "((- (- 1)) == 1)");
});

Deno.test("parse extends the else branch of if as far right as possible", () => {
  assert.equal(expr("(if c then 1 else 2 + 3) == 5"), "((if c then 1 else (2 + 3)) == 5)");
  assert.equal(expr("if c then 1 else 2 + 3"), "(if c then 1 else (2 + 3))");
  assert.equal(expr("x == 1 + if c then 1 else 2"), "(x == (1 + (if c then 1 else 2)))");
  assert.equal(
    expr("if a then if b then 1 else 2 else 3"),
    "(if a then (if b then 1 else 2) else 3)",
  );
});

Deno.test("parse reads postfix index and field access, and prev", () => {
  assert.equal(expr("m[k + 1].x == prev(m[k])"), "(m[(k + 1)].x == prev(m[k]))");
  assert.equal(expr("a.mode == b.mode"), "(a.mode == b.mode)");
});

Deno.test("parse reads every quantifier form", () => {
  assert.equal(expr("forall x, y: T: x == y"), "(forall x, y : T: (x == y))");
  assert.equal(expr("exists x: 0..3: x > 1"), "(exists x : 0..3: (x > 1))");
  assert.equal(expr("forall a, b in nodes: a == b"), "(forall a, b in nodes: (a == b))");
  assert.equal(expr("exists n in nodes: n.up"), "(exists n in nodes: n.up)");
  assert.equal(expr("count(x: T: x > 0) == 1"), "((count x : T: (x > 0)) == 1)");
  assert.equal(expr("sum(n in nodes: n.v) > 2"), "((sum n in nodes: n.v) > 2)");
  assert.equal(expr("count(a, b: bool: a) >= 0"), "((count a, b : bool: a) >= 0)");
});

Deno.test("parse lets a quantifier body extend as far right as possible", () => {
  assert.equal(
    expr("forall a, b in nodes: a.m and b.m implies a == b"),
    "(forall a, b in nodes: ((a.m and b.m) implies (a == b)))",
  );
  assert.equal(expr("p implies forall x: T: q or r"), "(p implies (forall x : T: (q or r)))");
});

Deno.test("parse treats count and sum as names unless a quantifier follows", () => {
  const src = "spec T\nstate count: int = 0\nstate sum: int = 0\n" +
    "action bump\n  count := count + sum\n  sum := count(x: bool: x)\n" +
    "invariant I count >= sum\n";
  const [a, , action, inv] = items(src);
  assert.ok(a?.kind === "state");
  assert.equal(a.name, "count");
  assert.ok(action?.kind === "action");
  assert.equal(action.body.length, 2);
  assert.equal(show(action.body[1]!.value), "(count x : bool: x)");
  assert.ok(inv?.kind === "invariant");
  assert.equal(show(inv.expr), "(count >= sum)");
});

Deno.test("parse reads every item form", () => {
  const src = "spec All\nconst N = 2 + 1\ntype R = -1..N * 2\ntype E = enum { a, b, c, }\n" +
    "type Alias = R\nstate x: R\nstate m: map[E, bool] = false\ninit x := 0 m[a] := true\n" +
    "action noParams require x < N x := x + 1\naction empty()\n" +
    "action two(p: R, q: E) require q != a m[q] := p > 0\n" +
    "invariant Pos x >= -1\nglobal invariant G forall a, b in nodes: a.x == b.x\n" +
    "liveness L within 500ms when x == 0 then eventually x == 1\n" +
    "global liveness GL within 2m when true then eventually false\n" +
    "terminal Done x == N\n";
  const got = items(src).map((it) => {
    switch (it.kind) {
      case "const":
        return `const ${it.name} = ${show(it.value)}`;
      case "type":
        return `type ${it.name} = ${showType(it.def)}`;
      case "state":
        return `state ${it.name}: ${showType(it.type)}${it.init ? ` = ${show(it.init)}` : ""}`;
      case "init":
        return `init ${it.body.map((a) => `${a.target} := ${show(a.value)}`).join("; ")}`;
      case "action": {
        const ps = it.params.map((p) => `${p.name}: ${showType(p.type)}`).join(", ");
        const rs = it.requires.map((r) => `require ${show(r.expr)}`);
        const bs = it.body.map((a) =>
          `${a.target}${a.index ? `[${show(a.index)}]` : ""} := ${show(a.value)}`
        );
        return `action ${it.name}(${ps}) ${[...rs, ...bs].join("; ")}`;
      }
      case "invariant":
        return `${it.global ? "global " : ""}invariant ${it.name} ${show(it.expr)}`;
      case "liveness":
        return `${it.global ? "global " : ""}liveness ${it.name} ${it.within.ms}ms ` +
          `${show(it.when)} ~> ${show(it.eventually)}`;
      case "terminal":
        return `terminal ${it.name} ${show(it.expr)}`;
    }
  });
  assert.deepEqual(got, [
    "const N = (2 + 1)",
    "type R = (- 1)..(N * 2)",
    "type E = enum{a,b,c}",
    "type Alias = R",
    "state x: R",
    "state m: map[E, bool] = false",
    "init x := 0; m := true",
    "action noParams() require (x < N); x := (x + 1)",
    "action empty() ",
    "action two(p: R, q: E) require (q != a); m[q] := (p > 0)",
    "invariant Pos (x >= (- 1))",
    "global invariant G (forall a, b in nodes: (a.x == b.x))",
    "liveness L 500ms (x == 0) ~> (x == 1)",
    "global liveness GL 120000ms true ~> false",
    "terminal Done (x == N)",
  ]);
});

Deno.test("parse reads 'terminal' as an item keyword that ends the item before it", () => {
  const r = parse(
    "spec T state x: bool = false action a x := true terminal Done x action b x := false",
  );
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.ast!.items.map((i) => i.kind), ["state", "action", "terminal", "action"]);
  const done = r.ast!.items[2]!;
  assert.ok(done.kind === "terminal" && done.name === "Done" && done.expr.kind === "name");
});

Deno.test("parse reports a terminal item without a name and 'terminal' used as a name", () => {
  const unnamed = parse("spec T state x: bool = false terminal x == true");
  assert.deepEqual(unnamed.diagnostics.map((d) => d.code), ["VIG105"]);
  assert.match(unnamed.diagnostics[0]!.message, /after 'terminal' before its expression/);
  const reserved = parse("spec T state terminal: bool = false");
  assert.equal(reserved.diagnostics[0]?.code, "VIG105");
  assert.match(reserved.diagnostics[0]!.message, /after 'state', found 'terminal'/);
});

Deno.test("parse reads the Lease spec with no diagnostics", () => {
  const r = parse(LEASE);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ast!.name, "Lease");
  assert.deepEqual(r.ast!.items.map((i) => i.kind), [
    "const",
    "type",
    "type",
    "state",
    "state",
    "state",
    "state",
    "init",
    "action",
    "action",
    "invariant",
    "invariant",
    "liveness",
    "invariant",
    "liveness",
  ]);
});

Deno.test("parse ignores indentation: a flush-left spec gives the same tree", () => {
  const flush = LEASE.split("\n").map((l) => l.trimStart()).join("\n");
  assert.notEqual(flush, LEASE);
  assert.equal(stripped(flush), stripped(LEASE));
});

Deno.test("parse ignores newlines: all items on a few lines give the same tree", () => {
  const oneLine = LEASE.split("\n").map((l) => l.trim()).join(" ");
  assert.equal(stripped(oneLine), stripped(LEASE));
  const lines = LEASE.split("\n\n").map((b) => b.replaceAll("\n", " ")).join("\n");
  assert.equal(lines.split("\n").length, 9);
  assert.equal(stripped(lines), stripped(LEASE));
});

Deno.test("parse gives tight spans to binary expressions, items and names", () => {
  const src = "spec T\n  invariant Inv  (a + b) * c == 1  \n  state x: int = 0\n";
  const r = parse(src);
  const text = (id: number) => src.slice(r.spans.get(id).start, r.spans.get(id).end);
  const inv = r.ast!.items[0]!;
  assert.ok(inv.kind === "invariant");
  assert.equal(text(inv.id), "invariant Inv  (a + b) * c == 1");
  assert.equal(text(inv.nameId), "Inv");
  assert.equal(text(inv.expr.id), "(a + b) * c == 1");
  assert.ok(inv.expr.kind === "binary" && inv.expr.left.kind === "binary");
  assert.equal(text(inv.expr.left.id), "(a + b) * c");
  assert.equal(text(inv.expr.left.left.id), "(a + b)");
  assert.equal(text(r.ast!.id), "spec T");
  assert.equal(text(r.ast!.nameId), "T");
  const st = r.ast!.items[1]!;
  assert.equal(text(st.id), "state x: int = 0");
});

Deno.test("parse gives spans to statements, parameters and durations", () => {
  const src = "spec T\naction go(c: Client)\n  require  c > 0\n  m[c] := 1\n" +
    "liveness L within 30s when a then eventually b";
  const r = parse(src);
  const text = (id: number) => src.slice(r.spans.get(id).start, r.spans.get(id).end);
  const [act, live] = r.ast!.items;
  assert.ok(act?.kind === "action" && live?.kind === "liveness");
  assert.equal(text(act.id), "action go(c: Client)\n  require  c > 0\n  m[c] := 1");
  assert.equal(text(act.params[0]!.id), "c");
  assert.equal(text(act.requires[0]!.id), "require  c > 0");
  assert.equal(text(act.body[0]!.id), "m[c] := 1");
  assert.equal(text(act.body[0]!.targetId), "m");
  assert.equal(text(live.within.id), "30s");
  assert.equal(live.within.ms, 30000);
});

Deno.test("parse reports three separate syntax errors with exact positions", () => {
  const src = "spec Broken\n" + // 1
    "state owner: int = 0\n" + // 2
    "action a\n" + // 3
    "  owner owner2\n" + // 4: missing ':='
    "invariant I\n" + // 5
    "  owner > \n" + // 6
    "state ok: bool = true\n" + // 7: missing expression found at 'state'
    "liveness L within 5 when ok then eventually ok\n"; // 8: duration without unit
  assert.deepEqual(positions(src), ["VIG102 4:9", "VIG101 7:1", "VIG110 8:19"]);
  const ms = parse(src).diagnostics.map((d) => d.message);
  assert.deepEqual(ms, [
    "Expected ':=' after 'owner', found 'owner2'",
    "Expected an expression after '>', found 'state'",
    "Expected a duration after 'within', found '5'; add a unit, e.g. '5s'",
  ]);
  // The items between errors still parse; the action is kept without its broken statement.
  assert.deepEqual(parse(src).ast!.items.map((i) => i.kind), ["state", "action", "state"]);
});

Deno.test("parse leaves out a broken statement and reads the rest of its action", () => {
  const src = "spec S\n" + // 1
    "state x: int = 0\n" + // 2
    "action a(p: int)\n" + // 3
    "  require x > (\n" + // 4: cut short by the end of the line
    "  x := p +\n" + // 5: cut short too
    "  require p < 3\n" + // 6
    "  ) x := 2\n" + // 7: a stray ')'
    "  x := 1\n"; // 8
  const r = parse(src);
  assert.deepEqual(positions(src), ["VIG101 5:3", "VIG101 6:3", "VIG108 7:3"]);
  const a = r.ast!.items[1]!;
  assert.ok(a.kind === "action");
  const text = (id: number) => src.slice(r.spans.get(id).start, r.spans.get(id).end);
  assert.deepEqual(a.requires.map((q) => text(q.id)), ["require p < 3"]);
  assert.deepEqual(a.body.map((b) => text(b.id)), ["x := 1"]);
  assert.deepEqual(r.abandoned, { names: [], init: false });
});

Deno.test("parse marks an init that lost a statement, so no variable is reported uninitialized", () => {
  const src = "spec S\nstate x: int\nstate y: int\ninit\n  x := (\n  y := 1\n";
  assert.deepEqual(parse(src).abandoned, { names: [], init: true });
});

Deno.test("parse reports header problems", () => {
  assert.deepEqual(positions("state x: int = 0"), ["VIG103 1:1"]);
  assert.equal(parse("state x: int = 0").ast, null);
  assert.deepEqual(positions(""), ["VIG103 1:1"]);
  assert.deepEqual(positions("spec A\nspec B\n"), ["VIG104 2:1"]);
  assert.equal(
    parse("spec A\nspec B\n").diagnostics[0]!.message,
    "Duplicate spec header 'B'; the spec is already named 'A'",
  );
  assert.deepEqual(positions("spec\nstate : int"), ["VIG105 2:1", "VIG105 2:7"]);
  assert.deepEqual(positions("state x: int = 0\nspec A\nspec B"), ["VIG103 1:1"]);
});

Deno.test("parse never throws and terminates on mutated inputs", () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const words = LEASE.split(/(\s+)/);
  const alphabet = "():=[]{},.+-*/%<>!&|@ \n0123456789abcxyz";
  for (let i = 0; i < 2000; i++) {
    const w = [...words];
    for (let k = 0; k < 1 + rand(4); k++) {
      const at = rand(w.length);
      const op = rand(4);
      if (op === 0) w.splice(at, 1);
      else if (op === 1) w.splice(at, 0, w[rand(w.length)]!);
      else if (op === 2) [w[at], w[0]] = [w[0]!, w[at]!];
      else w.splice(at, 0, alphabet[rand(alphabet.length)]!);
    }
    const src = w.join("");
    const r = parse(src);
    for (const d of r.diagnostics) {
      assert.match(d.code, /^VIG[01]\d\d$/);
      assert.ok(d.span.start <= d.span.end && d.span.end <= src.length);
    }
  }
});

Deno.test("parse reports deep nesting as a diagnostic instead of overflowing the stack", () => {
  for (const open of ["(", "not ", "- ", "a implies ", "if a then 1 else ", "prev("]) {
    const src = `spec T\ninvariant I ${open.repeat(100_000)}x\nstate y: int = 0`;
    const r = parse(src);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ["VIG119"]);
    assert.deepEqual(r.ast!.items.map((i) => i.kind), ["state"]);
  }
  const types = `spec T\nstate m: ${"map[".repeat(50_000)}`;
  assert.deepEqual(parse(types).diagnostics.map((d) => d.code), ["VIG119"]);
  assert.deepEqual(positions(`spec T\ninvariant I ${"(".repeat(150)}x${")".repeat(150)}`), []);
});

Deno.test("parse bounds quantifier nests by the nesting limit: 199 deep parses, 200 and 10,000 do not", () => {
  const nest = (depth: number, quant: (i: number) => string) =>
    `spec T\ninvariant I ${Array.from({ length: depth }, (_, i) => quant(i)).join(" ")} x\n` +
    "state y: int = 0";
  const forms = [
    (i: number) => `forall v${i}: bool:`,
    (i: number) => `exists v${i} in nodes:`,
  ];
  for (const quant of forms) {
    assert.deepEqual(parse(nest(199, quant)).diagnostics, []);
    for (const depth of [200, 10_000]) {
      const r = parse(nest(depth, quant));
      assert.deepEqual(r.diagnostics.map((d) => d.code), ["VIG119"], `${depth} deep`);
      assert.deepEqual(r.ast!.items.map((i) => i.kind), ["state"], "the next item still parses");
    }
  }
  const counts = (depth: number) =>
    `spec T\ninvariant I ${"count(c: bool: ".repeat(depth)}x${")".repeat(depth)} > 0\n`;
  assert.deepEqual(parse(counts(199)).diagnostics, []);
  assert.deepEqual(parse(counts(10_000)).diagnostics.map((d) => d.code), ["VIG119"]);
});
