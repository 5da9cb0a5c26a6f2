/**
 * Doc comments. The language's comments run from `//` to the end of the
 * line and the lexer drops them; the editor treats the `//` lines written
 * directly above an item (no blank line between, nothing else on those
 * lines) as that item's documentation, so it scans the source text for
 * them here.
 *
 * @module
 */

/** Line breaks as editors count them. */
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The doc comment of the declaration starting at `offset`: the `//` lines
 * directly above its line, without the slashes and one following space,
 * joined by newlines; `null` when there are none, or when other text stands
 * before the declaration on its line.
 *
 * @example The comment above an action
 * ```ts
 * import assert from "node:assert/strict";
 * import { docCommentAt } from "./doc_comment.ts";
 * const source = "spec S\n\n// Takes the lock.\n// Only when free.\naction take\n";
 * assert.equal(docCommentAt(source, source.indexOf("action")), "Takes the lock.\nOnly when free.");
 * assert.equal(docCommentAt(source, 0), null);
 * ```
 */
export function docCommentAt(source: string, offset: number): string | null {
  const before = source.slice(0, offset);
  const lines = before.split(LINE_BREAK);
  const own = lines.pop() ?? "";
  if (own.trim() !== "") return null;
  const doc: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith("//")) break;
    doc.unshift(line.slice(2).replace(/^ /, "").trimEnd());
  }
  return doc.length === 0 ? null : doc.join("\n");
}
