/**
 * A violation's space-time diagram as the collector serves it at
 * `GET /api/violations/:id/diagram.svg` and the dashboard shows it inline:
 * {@link renderSpaceTime} of the violation's causal evidence, titled with
 * the spec, property and partition, with element ids derived from the
 * violation id (so several diagrams fit in one page).
 *
 * @module
 */
import type { Violation } from "../engine/types.ts";
import { renderSpaceTime } from "../diagram/space_time_svg.ts";

/**
 * Headers of the diagram's answer: SVG, never sniffed as something else,
 * and a policy that lets the document load nothing and run nothing when it
 * is opened on its own.
 *
 * @example The answer is SVG
 * ```ts
 * import assert from "node:assert/strict";
 * import { DIAGRAM_HEADERS } from "./violation_diagram.ts";
 * assert.equal(DIAGRAM_HEADERS["content-type"], "image/svg+xml; charset=utf-8");
 * ```
 */
export const DIAGRAM_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "image/svg+xml; charset=utf-8",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'",
};

/**
 * An id prefix for the SVG's elements, one to one with the violation id
 * (every character but a letter or digit is written `_<hex>_`).
 *
 * @example A violation id as an element id prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { diagramIdPrefix } from "./violation_diagram.ts";
 * assert.equal(diagramIdPrefix("ab12:lock:a:1"), "vd-ab12_3a_lock_3a_a_3a_1");
 * ```
 */
export function diagramIdPrefix(id: string): string {
  return `vd-${id.replace(/[^A-Za-z0-9]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}_`)}`;
}

/**
 * The violation's space-time diagram, or `null` when it carries no causal
 * evidence (a liveness timeout, a single node, a collector that recorded
 * none).
 *
 * @example A violation without evidence has no diagram
 * ```ts
 * import assert from "node:assert/strict";
 * import { violationDiagram } from "./violation_diagram.ts";
 * import type { Violation } from "../engine/types.ts";
 * const v = {
 *   id: "ab:lock:a:1", specName: "Lease", partition: "lock:a", kind: "liveness_timeout",
 *   property: { item: "global liveness", name: "Released", code: 0, line: 40, column: 3, detail: "" },
 * } as unknown as Violation;
 * assert.equal(violationDiagram(v), null);
 * const causal = {
 *   verdict: "definitely", maxSkewMs: 250, lanes: ["api-1"], messages: [], cut: [0],
 *   events: [{ index: 0, node: "api-1", boot: "b", seq: 1, at: { wall: 1, logical: 0 }, action: "acquire", concurrent: false, inCut: true }],
 * };
 * assert.match(violationDiagram({ ...v, causal } as unknown as Violation) ?? "", /<title id="vd-ab_3a_lock_3a_a_3a_1-title">Lease Released in &#39;lock:a&#39;: definitely violated/);
 * ```
 */
export function violationDiagram(v: Violation): string | null {
  if (v.causal === undefined) return null;
  return renderSpaceTime(v.causal, {
    title: `${v.specName} ${v.property.name} in '${v.partition}'`,
    idPrefix: diagramIdPrefix(v.id),
  });
}
