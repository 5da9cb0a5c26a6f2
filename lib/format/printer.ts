/**
 * The printer: a parsed spec to its layout document (`layout.ts`), in the
 * canonical layout of `docs/formatting.md`. It walks the tree in source
 * order and takes the source's tokens one by one, so the document holds
 * every token exactly once and in order; parentheses, which the tree does
 * not keep, are read from the tokens around each expression and kept as
 * written. The only token it may leave out or add is the trailing comma of
 * an enum or a parameter list, written exactly when the list is broken.
 *
 * @module
 */
import type {
  Assign,
  Binder,
  Expr,
  Item,
  Param,
  Require,
  SpecAst,
  TypeExpr,
} from "../syntax/ast.ts";
import type { Token } from "../syntax/lexer.ts";
import type { SpanTable } from "../syntax/source.ts";
import { d, type Doc } from "./layout.ts";

/** A spec's layout document and the tokens that start its blocks. */
export interface Printed {
  /** The document, ending with the `eof` token. */
  readonly doc: Doc;
  /** Indexes of the tokens that start an item or a statement, and of `eof`. */
  readonly blocks: ReadonlySet<number>;
  /** Indexes of the items' first tokens that a blank line always precedes. */
  readonly separated: ReadonlySet<number>;
}

/** Items written over several lines (a head, then a body): a blank line sets each apart. */
function isBlockItem(item: Item): boolean {
  return item.kind === "init" || item.kind === "action" || item.kind === "invariant" ||
    item.kind === "terminal" || item.kind === "liveness";
}

/** Binary operators by precedence level; operators of one level chain on one group. */
const LEVEL: Readonly<Record<string, number>> = {
  implies: 1,
  or: 2,
  and: 3,
  "==": 4,
  "!=": 4,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

/**
 * The layout document of a spec parsed without errors from `tokens`.
 *
 * @throws {Error} When the tree and the tokens disagree (a bug of the printer, never of the spec).
 *
 * @example Print a small spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "../syntax/parser.ts";
 * import { tokenize } from "../syntax/lexer.ts";
 * import { gapsOf } from "./trivia.ts";
 * import { render } from "./layout.ts";
 * import { printSpec } from "./printer.ts";
 * const source = "spec A state x:int=0 action inc require x<3 x:=x+1";
 * const { tokens } = tokenize(source);
 * const parsed = parse(source);
 * const { doc, blocks, separated } = printSpec(parsed.ast!, { tokens, spans: parsed.spans });
 * const text = render(doc, { tokens, gaps: gapsOf(source, tokens), blocks, separated, width: 100 });
 * assert.equal(text, "spec A\n  state x: int = 0\n\n  action inc\n    require x < 3\n    x := x + 1\n");
 * ```
 */
export function printSpec(
  ast: SpecAst,
  input: { readonly tokens: readonly Token[]; readonly spans: SpanTable },
): Printed {
  return new Printer(input.tokens, input.spans).spec(ast);
}

class Printer {
  readonly #tokens: readonly Token[];
  readonly #spans: SpanTable;
  /** Index of the next token to take. */
  #pos = 0;
  /** Token index of each `(` and `[`, to its closing token, and the token ending at each offset. */
  readonly #closer = new Map<number, number>();
  readonly #endingAt = new Map<number, number>();
  readonly #blocks = new Set<number>();
  readonly #separated = new Set<number>();

  constructor(tokens: readonly Token[], spans: SpanTable) {
    this.#tokens = tokens;
    this.#spans = spans;
    const open: number[] = [];
    tokens.forEach((t, i) => {
      // `eof` ends where the last token may end too: it never closes an expression.
      if (t.kind !== "eof") this.#endingAt.set(t.span.end, i);
      if (t.kind !== "symbol") return;
      if (t.text === "(" || t.text === "[" || t.text === "{") open.push(i);
      else if (t.text === ")" || t.text === "]" || t.text === "}") {
        const at = open.pop();
        if (at !== undefined) this.#closer.set(at, i);
      }
    });
  }

  /** Takes the next token, which must read `text` when given. */
  #take(text?: string): Doc {
    const t = this.#tokens[this.#pos];
    if (t === undefined || t.kind === "eof" || (text !== undefined && t.text !== text)) {
      throw new Error(
        `Formatter out of step with the tokens at token ${this.#pos}: expected '${
          text ?? "a token"
        }', found '${t?.text ?? "end of file"}'`,
      );
    }
    return d.token(this.#pos++);
  }

  #peek(text: string): boolean {
    return this.#tokens[this.#pos]?.text === text && this.#tokens[this.#pos]?.kind !== "eof";
  }

  /** Takes the first token of a block (an item or a statement), marking it. */
  #block(): void {
    this.#blocks.add(this.#pos);
  }

  spec(ast: SpecAst): Printed {
    const head = [this.#take("spec"), d.space, this.#take(ast.name)];
    const items: Doc[] = [];
    let previous: Item | null = null;
    for (const item of ast.items) {
      items.push(d.hard);
      if (previous !== null && (isBlockItem(previous) || isBlockItem(item))) {
        this.#separated.add(this.#pos);
      }
      this.#block();
      items.push(this.#item(item));
      previous = item;
    }
    const end = this.#tokens.length - 1;
    if (this.#pos !== end) {
      throw new Error(`Formatter left tokens unprinted from token ${this.#pos}`);
    }
    this.#blocks.add(end);
    return {
      doc: [head, d.nest([...items, d.hard, d.token(end)])],
      blocks: this.#blocks,
      separated: this.#separated,
    };
  }

  #item(item: Item): Doc {
    switch (item.kind) {
      case "const":
        return [
          this.#take("const"),
          d.space,
          this.#take(item.name),
          d.space,
          this.#rightHandSide("=", item.value),
        ];
      case "type":
        return [
          this.#take("type"),
          d.space,
          this.#take(item.name),
          d.space,
          this.#take("="),
          d.space,
          this.#type(item.def),
        ];
      case "state": {
        const parts = [
          this.#take("state"),
          d.space,
          this.#take(item.name),
          this.#take(":"),
          d.space,
          this.#type(item.type),
        ];
        if (item.init !== null) parts.push(d.space, this.#rightHandSide("=", item.init));
        return parts;
      }
      case "init":
        return [this.#take("init"), this.#statements([], item.body)];
      case "action": {
        const head = [this.#take("action"), d.space, this.#take(item.name)];
        if (this.#peek("(")) head.push(this.#params(item.params));
        return [head, this.#statements(item.requires, item.body)];
      }
      case "invariant":
      case "terminal": {
        const head = item.kind === "invariant" && item.global
          ? [this.#take("global"), d.space, this.#take("invariant")]
          : [this.#take(item.kind)];
        return [head, d.space, this.#take(item.name), d.nest([d.hard, this.#expr(item.expr)])];
      }
      case "liveness": {
        const head = item.global
          ? [this.#take("global"), d.space, this.#take("liveness")]
          : [this.#take("liveness")];
        const name = [d.space, this.#take(item.name), d.space, this.#take("within"), d.space];
        const within = this.#take();
        const when = [this.#take("when"), d.space, this.#expr(item.when)];
        const then = [this.#take("then"), d.space, this.#take("eventually"), d.space];
        const eventually = this.#expr(item.eventually);
        return [head, name, within, d.nest([d.hard, d.group([when, d.line, then, eventually])])];
      }
    }
  }

  #params(params: readonly Param[]): Doc {
    const open = this.#take("(");
    const inner: Doc[] = [];
    params.forEach((p, i) => {
      if (i > 0) inner.push(this.#take(","), d.line);
      inner.push(this.#take(p.name), this.#take(":"), d.space, this.#type(p.type));
    });
    if (params.length === 0) return [open, this.#take(")")];
    inner.push(this.#trailingComma(")"));
    return d.group([open, d.nest([d.softline, inner]), d.softline, this.#take(")")]);
  }

  /** The trailing comma of a list closed by `close`: the source's, or a new one. */
  #trailingComma(close: string): Doc {
    if (this.#peek(",") && this.#tokens[this.#pos + 1]?.text === close) {
      return d.comma(this.#pos++);
    }
    return d.comma(null);
  }

  /** Statements of an action or of `init`, in source order, one per line. */
  #statements(requires: readonly Require[], body: readonly Assign[]): Doc {
    const all: (Require | Assign)[] = [...requires, ...body];
    all.sort((a, b) => this.#spans.get(a.id).start - this.#spans.get(b.id).start);
    const lines: Doc[] = [];
    for (const s of all) {
      lines.push(d.hard);
      this.#block();
      if (s.kind === "require") {
        lines.push([this.#take("require"), d.space, this.#expr(s.expr)]);
        continue;
      }
      const target: Doc[] = [this.#take(s.target)];
      if (s.index !== null) {
        target.push(this.#take("["), this.#expr(s.index), this.#take("]"));
      }
      lines.push([target, d.space, this.#rightHandSide(":=", s.value)]);
    }
    return d.nest(lines);
  }

  /**
   * `:= e` or `= e`: the value stays on the line when it fits there, else
   * it starts the next line, two columns further in.
   */
  #rightHandSide(operator: string, value: Expr): Doc {
    return d.group([this.#take(operator), d.nest([d.line, this.#expr(value)])]);
  }

  /** How many pairs of parentheses wrap the node whose span is `id`'s. */
  #parens(id: number): number {
    const last = this.#endingAt.get(this.#spans.get(id).end);
    if (last === undefined) return 0;
    let layers = 0;
    while (
      this.#tokens[this.#pos + layers]?.text === "(" &&
      this.#closer.get(this.#pos + layers) === last - layers
    ) layers++;
    return layers;
  }

  /** Wraps `inner` (printed after the opening parentheses are taken) in `layers` pairs. */
  #wrapped(layers: number, inner: () => Doc): Doc {
    if (layers === 0) return inner();
    const open = this.#take("(");
    const body = this.#wrapped(layers - 1, inner);
    return d.group([open, d.nest([d.softline, body]), d.softline, this.#take(")")]);
  }

  #expr(e: Expr): Doc {
    return this.#wrapped(this.#parens(e.id), () => this.#bare(e));
  }

  /** An expression without its own parentheses. */
  #bare(e: Expr): Doc {
    switch (e.kind) {
      case "int":
      case "bool":
      case "name":
        return this.#take();
      case "prev": {
        const head = [this.#take("prev"), this.#take("(")];
        const body = this.#expr(e.expr);
        return d.group([head, d.nest([d.softline, body]), d.softline, this.#take(")")]);
      }
      case "index": {
        const target = this.#expr(e.target);
        const open = this.#take("[");
        const index = this.#expr(e.index);
        return [target, d.group([open, d.nest([d.softline, index]), d.softline, this.#take("]")])];
      }
      case "field":
        return [this.#expr(e.target), this.#take("."), this.#take(e.name)];
      case "unary":
        return e.op === "not"
          ? [this.#take("not"), d.space, this.#expr(e.operand)]
          : [this.#take("-"), this.#expr(e.operand)];
      case "binary":
        return this.#chain(e);
      case "if": {
        const cond = [this.#take("if"), d.space, this.#expr(e.cond)];
        const then = [d.line, this.#take("then"), d.space, this.#expr(e.then)];
        const otherwise = [d.line, this.#take("else"), d.space, this.#expr(e.else)];
        return d.group([cond, d.nest([then, otherwise])]);
      }
      case "quant":
        return this.#quant(e);
    }
  }

  /**
   * A run of binary operators of one precedence level (`a and b and c`,
   * `x + y - z`, `p implies q implies r`), broken before each operator.
   * A first operand that is itself a run (of a tighter level, without
   * parentheses) is nested too, so it breaks further in than this run.
   */
  #chain(e: Extract<Expr, { kind: "binary" }>): Doc {
    const level = LEVEL[e.op]!;
    const operands: Expr[] = [];
    // Comparisons do not chain; other levels flatten operands of their own level without
    // parentheses (with a stack: a run may be thousands of operators long).
    const pending: Expr[] = [e.right, e.left];
    while (pending.length > 0) {
      const x = pending.pop()!;
      if (
        level !== 4 && x.kind === "binary" && LEVEL[x.op] === level &&
        this.#spans.get(x.id).start === this.#spans.get(x.left.id).start
      ) pending.push(x.right, x.left);
      else operands.push(x);
    }
    const first = this.#expr(operands[0]!);
    const rest: Doc[] = [];
    for (const operand of operands.slice(1)) {
      rest.push(d.line, this.#take(), d.space, this.#expr(operand));
    }
    const head = operands[0]!;
    const runInside = head.kind === "binary" &&
      this.#spans.get(head.id).start === this.#spans.get(head.left.id).start;
    return d.group(runInside ? [d.nest([first, ...rest])] : [first, d.nest(rest)]);
  }

  #quant(e: Extract<Expr, { kind: "quant" }>): Doc {
    const closed = e.quant === "count" || e.quant === "sum";
    const head: Doc[] = [this.#take(e.quant)];
    if (closed) head.push(this.#take("("));
    else head.push(d.space);
    head.push(this.#binders(e.binders));
    if (e.domain === "nodes") head.push(d.space, this.#take("in"), d.space, this.#take("nodes"));
    else head.push(this.#take(":"), d.space, this.#type(e.domain));
    head.push(this.#take(":"));
    const body = this.#expr(e.body);
    if (!closed) return d.group([head, d.nest([d.line, body])]);
    return d.group([head, d.nest([d.line, body]), d.softline, this.#take(")")]);
  }

  #binders(binders: readonly Binder[]): Doc {
    const parts: Doc[] = [];
    binders.forEach((b, i) => {
      if (i > 0) parts.push(this.#take(","), d.space);
      parts.push(this.#take(b.name));
    });
    return parts;
  }

  #type(t: TypeExpr): Doc {
    switch (t.kind) {
      case "named":
        return this.#wrapped(this.#parens(t.id), () => this.#take(t.name));
      case "range":
        return [this.#expr(t.lo), this.#take(".."), this.#expr(t.hi)];
      case "map": {
        const head = [this.#take("map"), this.#take("[")];
        const key = this.#type(t.key);
        const comma = this.#take(",");
        return [head, key, comma, d.space, this.#type(t.value), this.#take("]")];
      }
      case "enum": {
        const head = [this.#take("enum"), d.space, this.#take("{")];
        const labels: Doc[] = [];
        t.labels.forEach((label, i) => {
          if (i > 0) labels.push(this.#take(","), d.line);
          labels.push(this.#take(label.name));
        });
        labels.push(this.#trailingComma("}"));
        return d.group([head, d.nest([d.line, labels]), d.line, this.#take("}")]);
      }
    }
  }
}
