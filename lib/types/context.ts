/**
 * Shared state of one checker run: the source, node spans, the diagnostics
 * found so far, and the verdict table being built.
 *
 * @module
 */
import type { CheckCode } from "./type_codes.ts";
import { type Diagnostic, error } from "../syntax/diagnostic.ts";
import type { Type } from "../ir.ts";
import type { SourceRange } from "../abi/source_range.ts";
import type { VerdictEntry, VerdictKind } from "../abi/verdict_codes.ts";
import { LineIndex, type Span, type SpanTable } from "../syntax/source.ts";

/** A type, or the marker of an expression whose error was already reported. */
export type TypeOrError = Type | { readonly kind: "error" };

/** The marker type of an expression that already has a diagnostic. */
export const ERROR_TYPE: TypeOrError = Object.freeze({ kind: "error" });

/**
 * Source text, spans and diagnostics of one check.
 *
 * @example Report a diagnostic
 * ```ts
 * import assert from "node:assert/strict";
 * import { CheckContext } from "./context.ts";
 * import { SpanTable } from "../syntax/source.ts";
 * const spans = new SpanTable();
 * const id = spans.add({ start: 0, end: 4 });
 * const ctx = new CheckContext("spec", spans);
 * ctx.report("VIG202", "Unknown name 'spec'", ctx.span(id));
 * assert.ok(ctx.diagnostics.length === 1);
 * ```
 */
export class CheckContext {
  readonly source: string;
  readonly index: LineIndex;
  readonly #spans: SpanTable;
  readonly #diagnostics: Diagnostic[] = [];
  readonly #domainSizes = new Map<number, bigint>();

  constructor(source: string, spans: SpanTable) {
    this.source = source;
    this.index = new LineIndex(source);
    this.#spans = spans;
  }

  /** Diagnostics reported so far, in report order. */
  get diagnostics(): readonly Diagnostic[] {
    return this.#diagnostics;
  }

  /** Records an error diagnostic. */
  report(code: CheckCode, message: string, span: Span): void {
    this.#diagnostics.push(error(code, message, span));
  }

  /** Records a diagnostic built earlier (e.g. why an expression is not constant). */
  push(d: Diagnostic): void {
    this.#diagnostics.push(d);
  }

  /** Records the number of values of the domain of quantifier node `id`, for the cost estimate. */
  noteDomainSize(id: number, size: bigint): void {
    this.#domainSizes.set(id, size);
  }

  /** The domain size recorded for quantifier node `id`; `undefined` when it had an error or is `nodes`. */
  domainSize(id: number): bigint | undefined {
    return this.#domainSizes.get(id);
  }

  /** The span of node `id`. */
  span(id: number): Span {
    return this.#spans.get(id);
  }

  /** The 1-based line/column range of a span. */
  range(span: Span): SourceRange {
    const { start, end } = this.index.location(span);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  /** The source text of a span, comments dropped and whitespace runs collapsed to one space. */
  text(span: Span): string {
    return this.source.slice(span.start, span.end)
      .replace(/\/\/[^\r\n]*/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }
}

/**
 * The verdict table under construction: codes are handed out in call order,
 * after the fixed `ok` and `unknown_action` entries.
 *
 * @example Allocate a code
 * ```ts
 * import assert from "node:assert/strict";
 * import { CheckContext, VerdictTable } from "./context.ts";
 * import { SpanTable } from "../syntax/source.ts";
 * const ctx = new CheckContext("spec A", new SpanTable());
 * const table = new VerdictTable(ctx, { start: 0, end: 6 }, "spec A");
 * assert.ok(table.add("guard_failed", "action a", "require x", { start: 0, end: 1 }) === 2);
 * ```
 */
export class VerdictTable {
  readonly #ctx: CheckContext;
  readonly #entries: VerdictEntry[] = [];

  constructor(ctx: CheckContext, header: Span, item: string) {
    this.#ctx = ctx;
    this.add("ok", item, "", header);
    this.add("unknown_action", item, "", header);
  }

  /** Appends an entry and returns its code. */
  add(kind: VerdictKind, item: string, detail: string, span: Span): number {
    const code = this.#entries.length;
    this.#entries.push({ code, kind, item, detail, range: this.#ctx.range(span) });
    return code;
  }

  /** Appends an `arith_error` entry whose detail is the source text of `span` and `what`. */
  arith(item: string, span: Span, what: string): number {
    return this.add("arith_error", item, `${this.#ctx.text(span)}: ${what}`, span);
  }

  /** The entries so far, indexed by code. */
  get entries(): readonly VerdictEntry[] {
    return this.#entries;
  }
}
