/**
 * The layout engine: a document of the spec's tokens with the places where
 * a line may break, rendered at a fixed width. A group is written on one
 * line when it fits in what is left of the line, else each of its line
 * breaks is taken; its nested groups then decide again, each for itself.
 *
 * Tokens are referred to by their index in the source's token list, so the
 * renderer writes every comment back where it was: a trailing comment after
 * the token it followed (the line ends there), own-line comments on lines
 * of their own before the next token. A comment inside a group keeps the
 * group from being written on one line. Blank lines are kept, one at most,
 * before the tokens the printer marks as starting a block (an item, a
 * statement, the end of the file) and around the comments before them.
 *
 * @module
 */
import type { Token } from "../syntax/lexer.ts";
import type { Gap } from "./trivia.ts";

/** One part of a layout document. */
export type Doc =
  /** Source token `index`, written as it is. */
  | { readonly kind: "token"; readonly index: number }
  /**
   * The trailing comma of a list: written (source token `index`, or a new
   * comma when `index` is null) only when the list is broken over lines.
   */
  | { readonly kind: "comma"; readonly index: number | null }
  /** One space, unless a line starts here. */
  | { readonly kind: "space" }
  /** A space (`soft`: nothing) when its group is flat, else a line break. */
  | { readonly kind: "line"; readonly soft: boolean }
  /** Always a line break. */
  | { readonly kind: "hard" }
  /** Parts written flat when they fit; `breaks` when a hard break is inside. */
  | { readonly kind: "group"; readonly parts: readonly Doc[]; readonly breaks: boolean }
  /** Parts whose line breaks indent two more columns. */
  | { readonly kind: "nest"; readonly parts: readonly Doc[] }
  | readonly Doc[];

/**
 * How many columns one level of nesting indents.
 *
 * @example Two spaces per level
 * ```ts
 * import assert from "node:assert/strict";
 * import { INDENT } from "./layout.ts";
 * assert.equal(INDENT, 2);
 * ```
 */
export const INDENT = 2;

function hasHard(doc: Doc): boolean {
  if (Array.isArray(doc)) return doc.some(hasHard);
  const d = doc as Exclude<Doc, readonly Doc[]>;
  if (d.kind === "hard") return true;
  if (d.kind === "group") return d.breaks;
  if (d.kind === "nest") return d.parts.some(hasHard);
  return false;
}

/**
 * Builders of layout documents.
 *
 * @example A group that fits stays on one line
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "../syntax/lexer.ts";
 * import { gapsOf } from "./trivia.ts";
 * import { d, render } from "./layout.ts";
 * const source = "a or b";
 * const { tokens } = tokenize(source);
 * const doc = d.group([d.token(0), d.nest([d.line, d.token(1), d.space, d.token(2)])]);
 * const gaps = gapsOf(source, tokens);
 * assert.equal(render([doc, d.token(3)], { tokens, gaps, blocks: new Set(), width: 80 }), "a or b\n");
 * assert.equal(render([doc, d.token(3)], { tokens, gaps, blocks: new Set(), width: 4 }), "a\n  or b\n");
 * ```
 */
export const d = {
  token: (index: number): Doc => ({ kind: "token", index }),
  comma: (index: number | null): Doc => ({ kind: "comma", index }),
  space: { kind: "space" } as Doc,
  line: { kind: "line", soft: false } as Doc,
  softline: { kind: "line", soft: true } as Doc,
  hard: { kind: "hard" } as Doc,
  group: (parts: readonly Doc[]): Doc => ({ kind: "group", parts, breaks: parts.some(hasHard) }),
  nest: (parts: readonly Doc[]): Doc => ({ kind: "nest", parts }),
} as const;

/** What {@link render} needs besides the document. */
export interface RenderInput {
  /** The source's tokens (ending with `eof`). */
  readonly tokens: readonly Token[];
  /** The trivia before each token (see `gapsOf`). */
  readonly gaps: readonly Gap[];
  /** Indexes of the tokens that start a block: blank lines before them are kept. */
  readonly blocks: ReadonlySet<number>;
  /** Indexes of block tokens a blank line always precedes (before their comments). Default none. */
  readonly separated?: ReadonlySet<number>;
  /** The line width groups must fit in. */
  readonly width: number;
}

type Mode = "flat" | "break";
type Command = readonly [indent: number, mode: Mode, doc: Doc];

/**
 * Writes a document: the text, with `\n` line ends and one at the end.
 *
 * @example A hard break and a nested line
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "../syntax/lexer.ts";
 * import { gapsOf } from "./trivia.ts";
 * import { d, render } from "./layout.ts";
 * const source = "spec A state x";
 * const { tokens } = tokenize(source);
 * const doc = [d.token(0), d.space, d.token(1), d.nest([d.hard, d.token(2), d.space, d.token(3)]), d.token(4)];
 * const text = render(doc, { tokens, gaps: gapsOf(source, tokens), blocks: new Set(), width: 80 });
 * assert.equal(text, "spec A\n  state x\n");
 * ```
 */
export function render(doc: Doc, input: RenderInput): string {
  return new Renderer(input).run(doc);
}

class Renderer {
  readonly #input: RenderInput;
  readonly #out: string[] = [];
  #column = 0;
  /** The indentation of a line break the document asked for and not yet written. */
  #pendingBreak: number | null = null;

  constructor(input: RenderInput) {
    this.#input = input;
  }

  run(doc: Doc): string {
    const stack: Command[] = [[0, "break", doc]];
    while (stack.length > 0) {
      const [indent, mode, part] = stack.pop()!;
      if (Array.isArray(part)) {
        for (let i = part.length - 1; i >= 0; i--) stack.push([indent, mode, part[i]!]);
        continue;
      }
      const p = part as Exclude<Doc, readonly Doc[]>;
      switch (p.kind) {
        case "token":
          this.#token(p.index, indent);
          break;
        case "comma":
          if (mode === "break") {
            if (p.index === null) this.#write(",");
            else this.#token(p.index, indent);
          }
          break;
        case "space":
          this.#space();
          break;
        case "line":
          if (mode === "break") this.#pendingBreak = indent;
          else if (!p.soft) this.#space();
          break;
        case "hard":
          this.#pendingBreak = indent;
          break;
        case "group": {
          const flat = mode === "flat" ||
            (!p.breaks && this.#fits([indent, "flat", p.parts], stack));
          stack.push([indent, flat ? "flat" : "break", p.parts]);
          break;
        }
        case "nest":
          stack.push([indent + INDENT, mode, p.parts]);
          break;
      }
    }
    const text = this.#out.join("").replace(/\n+$/, "");
    return `${text}\n`;
  }

  #write(text: string): void {
    this.#out.push(text);
    this.#column += text.length;
  }

  #space(): void {
    if (this.#pendingBreak === null && this.#column > 0) this.#write(" ");
  }

  #newline(indent: number, blank: boolean): void {
    if (this.#out.length === 0) return;
    // A space written before a break the document did not foresee (a comment's) is dropped.
    while (this.#out.at(-1) === " ") this.#out.pop();
    this.#out.push(blank ? "\n\n" : "\n");
    this.#out.push(" ".repeat(indent));
    this.#column = indent;
  }

  /** Writes token `k` with the comments before it; `indent` is where a forced break starts. */
  #token(k: number, indent: number): void {
    const gap = this.#input.gaps[k]!;
    const block = this.#input.blocks.has(k);
    const at = this.#pendingBreak ?? indent;
    let mustBreak = this.#pendingBreak !== null;
    let separate = block && this.#input.separated?.has(k) === true;
    if (gap.trailing !== null) {
      if (this.#out.at(-1) === " ") {
        this.#out.pop();
        this.#column--;
      }
      this.#write(` ${gap.trailing.text}`);
      mustBreak = true;
    }
    for (const comment of gap.own) {
      this.#newline(at, separate || (block && comment.blankBefore));
      this.#write(comment.text);
      mustBreak = true;
      separate = false;
    }
    const token = this.#input.tokens[k]!;
    if (mustBreak && token.kind !== "eof") {
      this.#newline(at, separate || (block && gap.blankBefore));
    }
    this.#pendingBreak = null;
    this.#write(token.text);
  }

  /**
   * Whether `next` fits flat in the rest of the line. The rest of the
   * stack (`rest`) is measured too, in its own modes, up to the first line
   * break: what follows a group on its line must fit as well.
   */
  #fits(next: Command, rest: readonly Command[]): boolean {
    const { tokens, gaps, width } = this.#input;
    let room = width - (this.#pendingBreak ?? this.#column);
    let restIndex = rest.length;
    const cmds: Command[] = [next];
    let measured = false;
    while (room >= 0) {
      if (cmds.length === 0) {
        if (restIndex === 0) return true;
        cmds.push(rest[--restIndex]!);
        continue;
      }
      const [indent, mode, part] = cmds.pop()!;
      if (Array.isArray(part)) {
        for (let i = part.length - 1; i >= 0; i--) cmds.push([indent, mode, part[i]!]);
        continue;
      }
      const p = part as Exclude<Doc, readonly Doc[]>;
      switch (p.kind) {
        case "token": {
          const gap = gaps[p.index]!;
          if (hasComments(gap)) {
            if (mode === "break") return true;
            // A comment before the first token moves the group to a line of its own.
            if (measured) return false;
            room = width - (this.#pendingBreak ?? indent);
          }
          const token = tokens[p.index]!;
          if (token.kind === "eof") return true;
          room -= token.text.length;
          measured = true;
          break;
        }
        case "comma":
          if (mode === "break") room -= 1;
          else if (p.index !== null && hasComments(gaps[p.index]!)) return false;
          break;
        case "space":
          room -= 1;
          break;
        case "line":
          if (mode === "break") return true;
          if (!p.soft) room -= 1;
          break;
        case "hard":
          return true;
        case "group":
          cmds.push([indent, p.breaks ? "break" : mode, p.parts]);
          break;
        case "nest":
          cmds.push([indent + INDENT, mode, p.parts]);
          break;
      }
    }
    return false;
  }
}

function hasComments(gap: Gap): boolean {
  return gap.trailing !== null || gap.own.length > 0;
}
