/**
 * The space-time diagram of a cross-node violation, drawn from its
 * {@link CausalEvidence} as one standalone SVG document (no script, no
 * stylesheet, no external reference): what the dashboard shows inline
 * (`GET /api/violations/:id/diagram.svg`) and what `vigil replay --html`
 * writes into its report.
 *
 * - one horizontal lane per node, labelled with the node id, in the
 *   evidence's lane order (the cut's nodes first);
 * - events on the merged time axis, left to right in hybrid logical clock
 *   order, one column each (a rank axis: the order is what matters, and
 *   clustered events stay apart); the time axis below gives the UTC wall
 *   clock of some of them;
 * - messages as arrows from the sending event to the receiving event;
 * - the violating cut as a dashed red line crossing each lane of the cut
 *   just after that lane's last event in the cut (at the lane's start when
 *   the cut is before its first drawn event);
 * - concurrent events as orange diamonds (events ordered by a message are
 *   circles), the cut's events with a red ring: shapes, not only colours,
 *   tell them apart, and a legend says so;
 * - the verdict (`possibly` / `definitely`) and the clock skew bound in the
 *   `<title>` and in the visible heading, a `<desc>` that says the same as
 *   the picture in words, and a `<title>` on every event (its node, sequence
 *   number, action and time) for a reader that points at it.
 *
 * Node ids and action names are user data: every text and attribute is
 * escaped (`&`, `<`, `>`, `"`, `'`), and characters XML cannot carry
 * (control characters, lone surrogates) become U+FFFD, so the output is
 * well-formed XML whatever the ids hold. Drawing is done with presentation
 * attributes only, so an inlined diagram cannot restyle the page around it.
 *
 * Sizes: lanes are 48 px apart up to 8 lanes, 32 px up to 24, 24 px beyond
 * (64 lanes: about 1.6k px high); an event column is 64 px wide for a few
 * events and never narrower than 14 px (500 events: about 7k px wide, meant
 * to scroll). Every event is labelled with its action when its column is at
 * least 44 px wide; otherwise only the cut's events are, so labels never
 * overlap.
 *
 * @module
 */
import type { CausalEvidence, EvidenceEvent } from "../engine/causal/evidence.ts";

/**
 * Options of {@link renderSpaceTime}.
 *
 * @example Name the violated property and keep ids unique on a page
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSpaceTime, type SpaceTimeOptions } from "./space_time_svg.ts";
 * const options: SpaceTimeOptions = { title: "Lease OneHolder in 'lock:a'", idPrefix: "v1" };
 * const svg = renderSpaceTime({
 *   verdict: "definitely", maxSkewMs: 250, lanes: ["A"], messages: [], cut: [0],
 *   events: [{ index: 0, node: "A", boot: "b", seq: 0, at: { wall: 0, logical: 0 }, action: "acquire", concurrent: false, inCut: true }],
 * }, options);
 * assert.match(svg, /<title id="v1-title">Lease OneHolder in &#39;lock:a&#39;: definitely violated/);
 * ```
 */
export interface SpaceTimeOptions {
  /** What was violated, first in the title (e.g. `Lease OneHolder in 'lock:a'`). Default `Violation`. */
  readonly title?: string;
  /**
   * Prefix of the ids inside the SVG (its title, description and arrow
   * head), so several diagrams inlined in one page do not share ids:
   * letters, digits, `-` and `_`, starting with a letter. Default `st`.
   */
  readonly idPrefix?: string;
}

/** Pixel geometry of one drawing. */
interface Layout {
  readonly laneGap: number;
  readonly step: number;
  readonly left: number;
  readonly top: number;
  readonly plotRight: number;
  readonly width: number;
  readonly height: number;
  readonly labelAll: boolean;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const RADIUS = 5;
const CHAR_W = 6.6; // mean advance of a 11-12 px sans-serif glyph
const LANE_LABEL_CHARS = 24;
const CUT_LABEL_CHARS = 20;
const LIST_SHOWN = 20;
const COLOR = {
  ink: "#1f2328",
  dim: "#57606a",
  lane: "#d0d7de",
  event: "#0969da",
  concurrent: "#bc4c00",
  cut: "#cf222e",
  message: "#1f2328",
  paper: "#ffffff",
};

// Characters XML 1.0 cannot carry: C0 controls but tab, line feed and carriage
// return; U+FFFE, U+FFFF; surrogates not in a pair.
const NOT_XML =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITY: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for XML content or a quoted attribute value; characters XML
 * cannot carry become U+FFFD.
 *
 * @example A node id that looks like markup
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeXml } from "./space_time_svg.ts";
 * assert.equal(escapeXml(`<script>"&'`), "&lt;script&gt;&quot;&amp;&#39;");
 * assert.equal(escapeXml("a\u0001b"), "a\uFFFDb");
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** At most `max` code points, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return max <= 1 ? "\u2026" : points.slice(0, max - 1).join("") + "\u2026";
}

const px = (n: number) => String(Math.round(n * 10) / 10);

function wallText(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString().slice(11, 23);
}

function isoText(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? `${ms} ms` : d.toISOString();
}

function fail(what: string): never {
  throw new RangeError(`Causal evidence: ${what}`);
}

function isIndex(n: unknown, length: number): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) < length;
}

/** Throws a `RangeError` naming the first field of `e` that cannot be drawn. */
function validate(e: CausalEvidence): void {
  if (e.verdict !== "possibly" && e.verdict !== "definitely") {
    fail(`'verdict' must be 'possibly' or 'definitely', got '${String(e.verdict)}'`);
  }
  if (!(typeof e.maxSkewMs === "number" && Number.isFinite(e.maxSkewMs) && e.maxSkewMs >= 0)) {
    fail(`'maxSkewMs' must be a number >= 0, got '${String(e.maxSkewMs)}'`);
  }
  if (!Array.isArray(e.lanes) || e.lanes.length === 0) fail("'lanes' must name at least one node");
  const seen = new Set<string>();
  e.lanes.forEach((lane, i) => {
    if (typeof lane !== "string") fail(`'lanes[${i}]' must be a string, got '${String(lane)}'`);
    if (seen.has(lane)) fail(`'lanes[${i}]' repeats node '${lane}'`);
    seen.add(lane);
  });
  e.events.forEach((ev, i) => {
    const at = `'events[${i}]'`;
    if (ev.index !== i) fail(`${at} has index '${String(ev.index)}', expected '${i}'`);
    if (!seen.has(ev.node)) fail(`${at} is on node '${String(ev.node)}', which has no lane`);
    if (typeof ev.action !== "string") fail(`${at} has no action name`);
    if (!Number.isFinite(ev.at?.wall) || !Number.isFinite(ev.at?.logical)) {
      fail(`${at} has no finite time (wall and logical)`);
    }
    const prev = e.events[i - 1];
    if (
      prev !== undefined &&
      (ev.at.wall < prev.at.wall ||
        (ev.at.wall === prev.at.wall && ev.at.logical < prev.at.logical))
    ) fail(`${at} is before 'events[${i - 1}]' in clock order (events must be sorted by HLC)`);
  });
  e.messages.forEach((m, i) => {
    if (!isIndex(m.from, e.events.length)) {
      fail(`'messages[${i}].from' is '${String(m.from)}', not an index of 'events'`);
    }
    if (!isIndex(m.to, e.events.length)) {
      fail(`'messages[${i}].to' is '${String(m.to)}', not an index of 'events'`);
    }
    if (m.from === m.to) fail(`'messages[${i}]' goes from event '${m.from}' to itself`);
  });
  if (e.cut.length > e.lanes.length) {
    fail(`'cut' has ${e.cut.length} entries for ${e.lanes.length} lanes`);
  }
  e.cut.forEach((c, i) => {
    if (c === -1) return;
    if (!isIndex(c, e.events.length)) {
      fail(`'cut[${i}]' is '${String(c)}', not an index of 'events'`);
    }
    const node = e.events[c]!.node;
    if (node !== e.lanes[i]) {
      fail(`'cut[${i}]' is an event of node '${node}', not of lane '${e.lanes[i]}'`);
    }
  });
}

const VERDICT_TEXT = {
  possibly:
    "some ordering of the events consistent with the messages and the clock skew bound passes through a violating cut",
  definitely:
    "every ordering of the events consistent with the messages and the clock skew bound passes through a violating cut",
} as const;

function layout(e: CausalEvidence, title: string): Layout {
  const lanes = e.lanes.length;
  const n = Math.max(1, e.events.length);
  const laneGap = lanes <= 8 ? 48 : lanes <= 24 ? 32 : 24;
  const step = Math.max(14, Math.min(64, Math.floor(720 / n)));
  const labelChars = Math.max(
    ...e.lanes.map((l) => Math.min(Array.from(l).length, LANE_LABEL_CHARS)),
  );
  const left = 16 + labelChars * CHAR_W + 16;
  const top = 84;
  const plotRight = left + (n + 1) * step;
  const heading = Math.min(Array.from(title).length, 140) * 9 + 32;
  const verdictLine = (VERDICT_TEXT[e.verdict].length + 12) * 6.8 + 32;
  const width = Math.ceil(Math.max(plotRight + 24, heading, verdictLine, 620));
  const height = Math.ceil(top + lanes * laneGap + 96);
  return { laneGap, step, left, top, plotRight, width, height, labelAll: step >= 44 };
}

/** The event's verdict-free description, for its tooltip and the `<desc>`. */
function eventName(ev: EvidenceEvent): string {
  return `${ev.node} #${ev.seq} ${ev.action}`;
}

function listText(items: readonly string[]): string {
  if (items.length <= LIST_SHOWN) return items.join(", ");
  return `${items.slice(0, LIST_SHOWN).join(", ")} and ${items.length - LIST_SHOWN} more`;
}

function description(e: CausalEvidence): string {
  const lanes = e.lanes.length;
  const events = e.events.length;
  const msgs = e.messages.length;
  const parts = [
    `Space-time diagram: ${lanes} lane${lanes === 1 ? "" : "s"} (${
      listText(e.lanes)
    }), one per node`,
    `${events} event${events === 1 ? "" : "s"} in hybrid logical clock order`,
    `${msgs} message${msgs === 1 ? "" : "s"}${
      msgs === 0 ? "" : ` (${
        listText(
          e.messages.map((m) => `${eventName(e.events[m.from]!)} to ${eventName(e.events[m.to]!)}`),
        )
      })`
    }`,
  ];
  const cut = e.cut.map((c, i) =>
    c === -1
      ? `${e.lanes[i]} before its first event`
      : `${e.lanes[i]} after ${eventName(e.events[c]!).slice(e.lanes[i]!.length + 1)}`
  );
  if (cut.length > 0) parts.push(`the violating cut crosses ${listText(cut)}`);
  const concurrent = e.events.filter((ev) => ev.concurrent).map(eventName);
  parts.push(
    concurrent.length === 0 ? "no concurrent event" : `concurrent events: ${listText(concurrent)}`,
  );
  parts.push(`${e.verdict} violated: ${VERDICT_TEXT[e.verdict]} (${e.maxSkewMs} ms)`);
  return parts.join("; ");
}

/**
 * Draws the space-time diagram of a violation's causal evidence as a
 * standalone SVG document (see the module documentation for what is drawn).
 *
 * @throws {RangeError} When the evidence is inconsistent (an event on a node
 * without a lane, a message or cut entry that is not an event index, events
 * out of clock order, ...), naming the field.
 *
 * @example B and C both hold with no message between them; A handed over to B
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CausalEvidence } from "../engine/causal/evidence.ts";
 * import { renderSpaceTime } from "./space_time_svg.ts";
 * const at = (wall: number) => ({ wall, logical: 0 });
 * const evidence: CausalEvidence = {
 *   verdict: "possibly",
 *   maxSkewMs: 250,
 *   lanes: ["B", "C", "A"],
 *   events: [
 *     { index: 0, node: "A", boot: "a", seq: 3, at: at(1_000), action: "release", concurrent: false, inCut: false },
 *     { index: 1, node: "B", boot: "b", seq: 1, at: at(1_010), action: "acquire", concurrent: true, inCut: true },
 *     { index: 2, node: "C", boot: "c", seq: 1, at: at(1_120), action: "acquire", concurrent: true, inCut: true },
 *   ],
 *   messages: [{ from: 0, to: 1 }],
 *   cut: [1, 2],
 * };
 * const svg = renderSpaceTime(evidence, { title: "Lease OneHolder" });
 * assert.ok(svg.startsWith("<svg "));
 * assert.match(svg, /<title id="st-title">Lease OneHolder: possibly violated \(clock skew bound 250 ms\)<\/title>/);
 * assert.equal(svg.match(/<g class="lane"/g)?.length, 3);
 * assert.equal(svg.match(/class="message"/g)?.length, 1);
 * assert.equal(svg.match(/class="event concurrent/g)?.length, 2);
 * ```
 */
export function renderSpaceTime(evidence: CausalEvidence, options: SpaceTimeOptions = {}): string {
  validate(evidence);
  const prefix = options.idPrefix ?? "st";
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(prefix)) {
    throw new RangeError(
      `Option 'idPrefix' must be letters, digits, '-' or '_' starting with a letter, got '${prefix}'`,
    );
  }
  const e = evidence;
  const title = `${
    options.title ?? "Violation"
  }: ${e.verdict} violated (clock skew bound ${e.maxSkewMs} ms)`;
  const L = layout(e, title);
  const laneOf = new Map(e.lanes.map((l, i) => [l, i]));
  const x = (i: number) => L.left + (i + 1) * L.step;
  const y = (lane: number) => L.top + lane * L.laneGap + L.laneGap / 2;
  const ey = (ev: EvidenceEvent) => y(laneOf.get(ev.node)!);
  const out: string[] = [];
  const push = (s: string) => void out.push(s);

  push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="space-time" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" data-verdict="${e.verdict}" data-lanes="${e.lanes.length}" data-events="${e.events.length}" font-family="${FONT}" font-size="12">`,
  );
  push(`<title id="${prefix}-title">${escapeXml(title)}</title>`);
  push(`<desc id="${prefix}-desc">${escapeXml(description(e))}</desc>`);
  push(
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${COLOR.message}"/></marker></defs>`,
  );
  push(`<rect width="${L.width}" height="${L.height}" fill="${COLOR.paper}"/>`);
  push(
    `<text class="heading" x="16" y="26" font-size="15" font-weight="600" fill="${COLOR.ink}">${
      escapeXml(clip(title, 140))
    }</text>`,
  );
  push(
    `<text class="verdict" x="16" y="46" fill="${COLOR.dim}">${
      escapeXml(
        `${e.verdict === "definitely" ? "Definitely" : "Possibly"}: ${VERDICT_TEXT[e.verdict]}`,
      )
    }</text>`,
  );
  push(
    `<text x="${L.left}" y="${
      L.top - 14
    }" fill="${COLOR.dim}" font-size="11">merged time (hybrid logical clock order) \u2192</text>`,
  );

  // Lanes, each with its label and its events.
  e.lanes.forEach((lane, i) => {
    const ly = y(i);
    const label = clip(lane, LANE_LABEL_CHARS);
    push(`<g class="lane" data-node="${escapeXml(lane)}">`);
    push(
      `<line x1="${px(L.left)}" y1="${px(ly)}" x2="${px(L.plotRight)}" y2="${
        px(ly)
      }" stroke="${COLOR.lane}" stroke-width="2"/>`,
    );
    push(
      `<text class="lane-label" x="16" y="${px(ly + 4)}" fill="${COLOR.ink}" font-weight="600">${
        label === lane ? "" : `<title>${escapeXml(lane)}</title>`
      }${escapeXml(label)}</text>`,
    );
    push(`</g>`);
  });

  // Messages under the events, so the marks stay readable.
  for (const m of e.messages) {
    const a = e.events[m.from]!;
    const b = e.events[m.to]!;
    const x1 = x(m.from);
    const y1 = ey(a);
    const x2 = x(m.to);
    const y2 = ey(b);
    const tip = `<title>${escapeXml(`message from ${eventName(a)} to ${eventName(b)}`)}</title>`;
    let d: string;
    if (y1 === y2) {
      // Along one lane: an arc above it, so it does not hide in the lane's line.
      const lift = Math.min(L.laneGap * 0.45, 8 + Math.abs(x2 - x1) / 8);
      d = `M${px(x1)},${px(y1 - RADIUS)}Q${px((x1 + x2) / 2)},${px(y1 - RADIUS - 2 * lift)} ${
        px(x2 - Math.sign(x2 - x1) * 2)
      },${px(y2 - RADIUS - 1)}`;
    } else {
      const len = Math.hypot(x2 - x1, y2 - y1);
      const ux = (x2 - x1) / len;
      const uy = (y2 - y1) / len;
      d = `M${px(x1 + ux * RADIUS)},${px(y1 + uy * RADIUS)}L${px(x2 - ux * (RADIUS + 1))},${
        px(y2 - uy * (RADIUS + 1))
      }`;
    }
    push(
      `<path class="message" data-from="${m.from}" data-to="${m.to}" d="${d}" fill="none" stroke="${COLOR.message}" stroke-width="1.5" marker-end="url(#${prefix}-arrow)">${tip}</path>`,
    );
  }

  // The violating cut: a zigzag crossing each lane of the cut after its last event in the cut.
  if (e.cut.length > 0) {
    const pts: string[] = [];
    e.cut.forEach((c, i) => {
      const cx = c === -1 ? L.left + L.step / 2 : x(c) + L.step / 2;
      pts.push(`${px(cx)},${px(y(i) - L.laneGap / 2)}`, `${px(cx)},${px(y(i) + L.laneGap / 2)}`);
    });
    const cutText = e.cut.map((c, i) =>
      `${e.lanes[i]} ${c === -1 ? "before its first event" : `after #${e.events[c]!.seq}`}`
    ).join(", ");
    push(
      `<polyline class="cut" data-lanes="${e.cut.length}" points="${
        pts.join(" ")
      }" fill="none" stroke="${COLOR.cut}" stroke-width="2.5" stroke-dasharray="7 4"><title>${
        escapeXml(`violating cut: ${cutText}`)
      }</title></polyline>`,
    );
    const first = e.cut[0]!;
    const cx0 = first === -1 ? L.left + L.step / 2 : x(first) + L.step / 2;
    push(
      `<text x="${px(cx0 + 4)}" y="${
        px(L.top - 2)
      }" fill="${COLOR.cut}" font-size="11" font-weight="600">violating cut</text>`,
    );
  }

  // Events.
  const labelMax = L.labelAll ? Math.max(1, Math.floor((L.step - 4) / CHAR_W)) : CUT_LABEL_CHARS;
  for (const ev of e.events) {
    const cx = x(ev.index);
    const cy = ey(ev);
    const kind = ["event", ev.concurrent ? "concurrent" : "", ev.inCut ? "in-cut" : ""]
      .filter((s) => s !== "").join(" ");
    const notes = [ev.concurrent ? "concurrent" : "", ev.inCut ? "last in the violating cut" : ""]
      .filter((s) => s !== "").join(", ");
    const tip = `${eventName(ev)} at ${isoText(ev.at.wall)} +${ev.at.logical}${
      notes === "" ? "" : ` (${notes})`
    }`;
    const color = ev.concurrent ? COLOR.concurrent : COLOR.event;
    const ring = ev.inCut
      ? ` stroke="${COLOR.cut}" stroke-width="2.5"`
      : ` stroke="${COLOR.paper}" stroke-width="1"`;
    const mark = ev.concurrent
      ? `<path d="M${px(cx)},${px(cy - RADIUS - 1.5)}l${px(RADIUS + 1.5)},${px(RADIUS + 1.5)}l-${
        px(RADIUS + 1.5)
      },${px(RADIUS + 1.5)}l-${px(RADIUS + 1.5)},-${px(RADIUS + 1.5)}z" fill="${color}"${ring}/>`
      : `<circle cx="${px(cx)}" cy="${px(cy)}" r="${RADIUS}" fill="${color}"${ring}/>`;
    const label = L.labelAll || ev.inCut
      ? `<text x="${px(cx)}" y="${px(cy - RADIUS - 5)}" text-anchor="middle" font-size="11" fill="${
        ev.inCut ? COLOR.cut : COLOR.ink
      }">${escapeXml(clip(ev.action, labelMax))}</text>`
      : "";
    push(
      `<g class="${kind}" data-index="${ev.index}" data-node="${escapeXml(ev.node)}"><title>${
        escapeXml(tip)
      }</title>${mark}${label}</g>`,
    );
  }

  // Time axis: the wall clock (UTC) of every k-th event, labels at least 96 px apart.
  const axisY = L.top + e.lanes.length * L.laneGap + 10;
  push(
    `<line x1="${px(L.left)}" y1="${axisY}" x2="${
      px(L.plotRight)
    }" y2="${axisY}" stroke="${COLOR.dim}"/>`,
  );
  const every = Math.max(1, Math.ceil(96 / L.step));
  for (let i = 0; i < e.events.length; i += every) {
    const ev = e.events[i]!;
    push(
      `<g class="tick"><line x1="${px(x(i))}" y1="${axisY}" x2="${px(x(i))}" y2="${
        axisY + 4
      }" stroke="${COLOR.dim}"/><text x="${px(x(i))}" y="${
        axisY + 16
      }" text-anchor="middle" font-size="10" fill="${COLOR.dim}">${
        wallText(ev.at.wall)
      }</text></g>`,
    );
  }
  push(
    `<text x="${px(L.left)}" y="${
      axisY + 32
    }" font-size="10" fill="${COLOR.dim}">UTC wall clock of the events' stamps</text>`,
  );

  // Legend: shapes and line styles, in words.
  const ly = axisY + 56;
  push(`<g class="legend" font-size="11" fill="${COLOR.ink}">`);
  push(
    `<circle cx="22" cy="${
      ly - 4
    }" r="${RADIUS}" fill="${COLOR.event}"/><text x="32" y="${ly}">event</text>`,
  );
  push(
    `<path d="M102,${
      ly - 10.5
    }l6.5,6.5l-6.5,6.5l-6.5,-6.5z" fill="${COLOR.concurrent}"/><text x="114" y="${ly}">concurrent event</text>`,
  );
  push(
    `<circle cx="232" cy="${
      ly - 4
    }" r="${RADIUS}" fill="${COLOR.paper}" stroke="${COLOR.cut}" stroke-width="2.5"/><text x="242" y="${ly}">last event in the cut</text>`,
  );
  push(
    `<line x1="380" y1="${ly - 4}" x2="410" y2="${
      ly - 4
    }" stroke="${COLOR.message}" stroke-width="1.5" marker-end="url(#${prefix}-arrow)"/><text x="416" y="${ly}">message</text>`,
  );
  push(
    `<line x1="488" y1="${ly - 4}" x2="518" y2="${
      ly - 4
    }" stroke="${COLOR.cut}" stroke-width="2.5" stroke-dasharray="7 4"/><text x="524" y="${ly}">violating cut</text>`,
  );
  push(`</g>`);
  push(`</svg>`);
  return out.join("\n");
}
