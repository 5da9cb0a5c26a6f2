/**
 * Causality read from log lines, so `vigil replay` judges cross-node
 * invariants with the collector's semantics (`docs/causality.md`): a
 * dependency says "every event of node N up to this time happened before
 * this line's event", exactly what the SDK records when a service observes
 * a stamp it received (`EventDependency` in `lib/wire/event.ts`).
 *
 * Two ways to say it in a log (`docs/replay.md`):
 * - `stamp`: on the receiving line, the stamp the node received, as the
 *   SDK writes it (`<wall>-<logical>@<node>`, base 36): the sender's node
 *   and clock, taken directly;
 * - `sends` / `receives`: a message id on the sending line and the same id
 *   on the receiving line. The receive becomes a dependency on the send
 *   line's event (its node and time). A receive merged before its send (the
 *   receiver's clock behind) waits for it, with its node's next lines, up to
 *   the reorder window plus twice the skew bound of merged time
 *   (`ReplayJudge`); a receive whose send is still not read then is checked
 *   without it and counted (`unmatchedReceives`), never dropped silently.
 *
 * @module
 */
import type { EventDependency } from "../../lib/wire/event.ts";
import { parseStamp } from "../../lib/wire/stamp.ts";
import { type FieldPath, getPath, showPath } from "./mapping.ts";
import { missing } from "./values.ts";

/** The most values one field may list (stamps or message ids of one line). */
export const MAX_PER_LINE = 64;

/** The values of a field that may hold one value or an array; null when absent. */
function listOf(path: FieldPath, root: unknown): readonly unknown[] | null | string {
  const v = getPath(root, path);
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return [v];
  if (v.length > MAX_PER_LINE) {
    return `field '${showPath(path)}' lists ${v.length} values, more than ${MAX_PER_LINE}`;
  }
  return v;
}

/**
 * The dependencies a line's `stamp` field gives: one per stamp (a string or
 * an array of strings), `null` when the field is absent or null, or the
 * reason it cannot be read (a stamp that does not parse, or names no
 * sending node).
 *
 * @example A receive line with the stamp of api-1
 * ```ts
 * import assert from "node:assert/strict";
 * import { stampDependencies } from "./dependencies.ts";
 * const line = { host: "api-2", got: "ro-1@api-1" };
 * assert.deepEqual(stampDependencies(["got"], line), [{ node: "api-1", wall: 996, logical: 1 }]);
 * assert.equal(stampDependencies(["got"], { host: "api-2" }), null);
 * assert.match(String(stampDependencies(["got"], { got: "ro-1" })), /names no sending node/);
 * ```
 */
export function stampDependencies(
  path: FieldPath,
  root: unknown,
): EventDependency[] | null | string {
  const values = listOf(path, root);
  if (values === null || typeof values === "string") return values;
  const out: EventDependency[] = [];
  for (const v of values) {
    if (typeof v !== "string") return missing(path, v, "a clock stamp");
    let t;
    try {
      t = parseStamp(v);
    } catch {
      return missing(path, v, "a clock stamp");
    }
    if (t.node === undefined) {
      // A stamp without a node matches the stamp pattern, so it is at most 23 characters.
      return `field '${
        showPath(path)
      }': stamp '${v}' names no sending node (expected '<wall>-<logical>@<node>')`;
    }
    out.push({ node: t.node, wall: t.wall, logical: t.logical });
  }
  return out;
}

/**
 * The message ids a line's `sends` or `receives` field lists (a string, a
 * number or an array of them), `null` when absent or null, or the reason
 * they cannot be read.
 *
 * @example One id, or several
 * ```ts
 * import assert from "node:assert/strict";
 * import { messageIds } from "./dependencies.ts";
 * assert.deepEqual(messageIds(["msg"], { msg: "h-17" }), ["h-17"]);
 * assert.deepEqual(messageIds(["msg"], { msg: [17, "h-18"] }), ["17", "h-18"]);
 * assert.equal(messageIds(["msg"], {}), null);
 * assert.match(String(messageIds(["msg"], { msg: { id: 1 } })), /is not a message id/);
 * ```
 */
export function messageIds(path: FieldPath, root: unknown): string[] | null | string {
  const values = listOf(path, root);
  if (values === null || typeof values === "string") return values;
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === "string" && v !== "") out.push(v);
    else if (typeof v === "number" && Number.isFinite(v)) out.push(String(v));
    else return missing(path, v, "a message id");
  }
  return out;
}

/**
 * The sends seen so far, by message id: what a later receive depends on.
 * Holds at most `capacity` ids (the oldest sends are forgotten first; a
 * receive of a forgotten id is unmatched).
 *
 * @example A receive depends on the send merged before it
 * ```ts
 * import assert from "node:assert/strict";
 * import { MessageTable } from "./dependencies.ts";
 * const table = new MessageTable();
 * table.send(["h-1"], { node: "api-1", wall: 1_000, logical: 0 });
 * assert.deepEqual(table.receive(["h-1"], "api-2"), [{ node: "api-1", wall: 1_000, logical: 0 }]);
 * assert.deepEqual(table.receive(["h-2"], "api-2"), []);
 * assert.equal(table.unmatched, 1);
 * ```
 */
export class MessageTable {
  readonly #sends = new Map<string, EventDependency>();
  readonly #capacity: number;
  /** Receives whose send was not merged before them (or was forgotten). */
  unmatched = 0;

  /** A table of at most `capacity` message ids (default 1,000,000). */
  constructor(capacity = 1_000_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Message table capacity must be a positive integer, got '${capacity}'`);
    }
    this.#capacity = capacity;
  }

  /** Records that the event `at` sent the messages `ids`. */
  send(ids: readonly string[], at: EventDependency): void {
    for (const id of ids) {
      this.#sends.delete(id);
      this.#sends.set(id, at);
      if (this.#sends.size > this.#capacity) {
        this.#sends.delete(this.#sends.keys().next().value!);
      }
    }
  }

  /**
   * True when every id of `ids` has a known send.
   *
   * @example A receive waits for its send
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageTable } from "./dependencies.ts";
   * const table = new MessageTable();
   * assert.equal(table.sent(["h-1"]), false);
   * table.send(["h-1"], { node: "api-1", wall: 1, logical: 0 });
   * assert.equal(table.sent(["h-1"]), true);
   * ```
   */
  sent(ids: readonly string[]): boolean {
    for (const id of ids) if (!this.#sends.has(id)) return false;
    return true;
  }

  /**
   * The dependencies of a receive of `ids` by `node`: one per id whose send
   * is known and was made by another node (a node's own earlier events are
   * before it already).
   */
  receive(ids: readonly string[], node: string): EventDependency[] {
    const out: EventDependency[] = [];
    for (const id of ids) {
      const at = this.#sends.get(id);
      if (at === undefined) this.unmatched++;
      else if (at.node !== node) out.push(at);
    }
    return out;
  }
}
