import assert from "node:assert/strict";
import type { CausalEvidence, EvidenceEvent } from "../engine/causal/evidence.ts";
import { escapeXml, renderSpaceTime } from "./space_time_svg.ts";

/** An element of a parsed document. */
interface Element {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: (Element | string)[];
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decode(text: string, where: number): string {
  if (/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) {
    throw new Error(`Raw '<' or '&' in text at ${where}: ${text.slice(0, 40)}`);
  }
  return text.replace(
    /&(#x[0-9a-fA-F]+|#\d+|\w+);/g,
    (_, e: string) =>
      e.startsWith("#x")
        ? String.fromCodePoint(parseInt(e.slice(2), 16))
        : e.startsWith("#")
        ? String.fromCodePoint(Number(e.slice(1)))
        : ENTITIES[e]!,
  );
}

/** A strict parser for the subset of XML the renderer writes; throws on anything not well-formed. */
function parseXml(xml: string): Element {
  // deno-lint-ignore no-control-regex -- a well-formed document has none of them
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml)) throw new Error("Control character");
  const root: Element = { name: "#root", attrs: {}, children: [] };
  const stack: Element[] = [root];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const end = lt < 0 ? xml.length : lt;
    if (end > i) {
      const text = decode(xml.slice(i, end), i);
      if (text.trim() !== "") stack[stack.length - 1]!.children.push(text);
    }
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (m === null) throw new Error(`Malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
    const [all, close, name, rawAttrs, selfClose] = m;
    if (close === "/") {
      const open = stack.pop();
      if (open?.name !== name) {
        throw new Error(`Closing '${name}' at ${lt} but '${open?.name}' is open`);
      }
    } else {
      const attrs: Record<string, string> = {};
      for (const a of rawAttrs!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`Duplicate attribute '${a[1]}' at ${lt}`);
        attrs[a[1]!] = decode(a[2]!, lt);
      }
      const el: Element = { name: name!, attrs, children: [] };
      stack[stack.length - 1]!.children.push(el);
      if (selfClose !== "/") stack.push(el);
    }
    i = lt + all.length;
  }
  if (stack.length !== 1) throw new Error(`Unclosed '${stack[stack.length - 1]!.name}'`);
  assert.equal(root.children.length, 1, "one root element");
  return root.children[0] as Element;
}

function all(el: Element, pred: (e: Element) => boolean, out: Element[] = []): Element[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) if (typeof c !== "string") all(c, pred, out);
  return out;
}

const classed = (root: Element, cls: string) =>
  all(root, (e) => (e.attrs.class ?? "").split(" ").includes(cls));

function textOf(el: Element): string {
  return el.children.map((c) => typeof c === "string" ? c : textOf(c)).join("");
}

/** Own text, without the nested <title> tooltip. */
function ownText(el: Element): string {
  return el.children.map((c) => typeof c === "string" ? c : c.name === "title" ? "" : ownText(c))
    .join("");
}

const at = (wall: number, logical = 0) => ({ wall, logical });

function event(
  index: number,
  node: string,
  wall: number,
  action: string,
  extra: Partial<EvidenceEvent> = {},
): EvidenceEvent {
  return {
    index,
    node,
    boot: `${node}-boot`,
    seq: index,
    at: at(wall),
    action,
    concurrent: false,
    inCut: false,
    ...extra,
  };
}

/** The A/B/C case drawn by hand: A hands off to B by message; C holds with no message. */
const ABC: CausalEvidence = {
  verdict: "possibly",
  maxSkewMs: 250,
  lanes: ["B", "C", "A"],
  events: [
    event(0, "A", 1_000, "acquire"),
    event(1, "A", 1_050, "release"),
    event(2, "B", 1_060, "acquire", { concurrent: true, inCut: true }),
    event(3, "C", 1_120, "acquire", { concurrent: true, inCut: true }),
    event(4, "C", 1_150, "release", { concurrent: true }),
  ],
  messages: [{ from: 1, to: 2 }],
  cut: [2, 3],
};

/** x of each event mark (circle cx, or the diamond path's start). */
function markX(g: Element): number {
  const mark = g.children.find((c): c is Element =>
    typeof c !== "string" && (c.name === "circle" || c.name === "path")
  )!;
  if (mark.name === "circle") return Number(mark.attrs.cx);
  return Number(/^M([\d.]+),/.exec(mark.attrs.d!)![1]);
}

function markY(g: Element): number {
  const mark = g.children.find((c): c is Element =>
    typeof c !== "string" && (c.name === "circle" || c.name === "path")
  )!;
  if (mark.name === "circle") return Number(mark.attrs.cy);
  return Number(/^M[\d.]+,([\d.]+)/.exec(mark.attrs.d!)![1]) + 6.5;
}

Deno.test("renderSpaceTime draws one lane per node, a mark per event, an arrow per message and the cut across the cut's lanes", () => {
  const svg = parseXml(renderSpaceTime(ABC, { title: "Lease OneHolder in 'lock:a'" }));
  assert.equal(svg.name, "svg");
  assert.equal(svg.attrs.xmlns, "http://www.w3.org/2000/svg");
  assert.equal(svg.attrs.role, "img");
  const lanes = classed(svg, "lane");
  assert.deepEqual(lanes.map((l) => l.attrs["data-node"]), ["B", "C", "A"]);
  assert.deepEqual(lanes.map((l) => ownText(l).trim()), ["B", "C", "A"]);
  const events = classed(svg, "event");
  assert.deepEqual(events.map((e) => e.attrs["data-node"]), ["A", "A", "B", "C", "C"]);
  // Left to right in clock order, each on its node's lane.
  const xs = events.map(markX);
  for (let i = 1; i < xs.length; i++) {
    assert.ok(xs[i]! > xs[i - 1]!, `event ${i} right of ${i - 1}`);
  }
  const laneY = (node: string) =>
    Number(
      lanes.find((l) => l.attrs["data-node"] === node)!
        .children.find((c): c is Element => typeof c !== "string" && c.name === "line")!.attrs.y1,
    );
  for (const e of events) assert.equal(markY(e), laneY(e.attrs["data-node"]!));
  // Concurrent events are diamonds, the others circles; the cut's events are labelled.
  assert.deepEqual(classed(svg, "concurrent").map((e) => e.attrs["data-index"]), ["2", "3", "4"]);
  for (const e of classed(svg, "concurrent")) {
    assert.ok(all(e, (x) => x.name === "path").length === 1);
  }
  assert.deepEqual(classed(svg, "in-cut").map((e) => e.attrs["data-index"]), ["2", "3"]);
  // The message runs from A's release to B's acquire.
  const [msg, ...more] = classed(svg, "message");
  assert.equal(more.length, 0);
  assert.deepEqual([msg!.attrs["data-from"], msg!.attrs["data-to"]], ["1", "2"]);
  const [, x1, y1, x2, y2] = /^M([\d.]+),([\d.]+)L([\d.]+),([\d.]+)$/.exec(msg!.attrs.d!)!.map(
    Number,
  );
  assert.ok(x1! > xs[1]! - 6 && x1! < xs[1]! + 6 && Math.abs(y1! - laneY("A")) < 6);
  assert.ok(x2! > xs[2]! - 7 && x2! < xs[2]! + 7 && Math.abs(y2! - laneY("B")) < 7);
  assert.match(msg!.attrs["marker-end"]!, /^url\(#st-arrow\)$/);
  // The cut crosses B after its acquire (before anything later on B) and C between acquire and release.
  const [cut] = classed(svg, "cut");
  assert.equal(cut!.attrs["data-lanes"], "2");
  const pts = cut!.attrs.points!.split(" ").map((p) =>
    p.split(",").map(Number) as [number, number]
  );
  assert.equal(pts.length, 4);
  const crossing = (node: string) => {
    const y = laneY(node);
    const i = pts.findIndex(([, top], k) => k % 2 === 0 && top < y && pts[k + 1]![1] > y);
    assert.ok(i >= 0 && pts[i]![0] === pts[i + 1]![0], `the cut crosses ${node} vertically`);
    return pts[i]![0];
  };
  assert.ok(crossing("B") > xs[2]!);
  assert.ok(crossing("C") > xs[3]! && crossing("C") < xs[4]!);
  assert.ok(!pts.some(([, y]) => y > laneY("A") - 10), "the cut does not cross A's lane");
  // Title and description in words.
  const title = all(svg, (e) => e.name === "title")[0]!;
  assert.equal(svg.attrs["aria-labelledby"], "st-title st-desc");
  assert.equal(title.attrs.id, "st-title");
  assert.equal(
    textOf(title),
    "Lease OneHolder in 'lock:a': possibly violated (clock skew bound 250 ms)",
  );
  const desc = textOf(all(svg, (e) => e.name === "desc")[0]!);
  assert.match(desc, /3 lanes \(B, C, A\)/);
  assert.match(desc, /5 events/);
  assert.match(desc, /A #1 release to B #2 acquire/);
  assert.match(desc, /the violating cut crosses B after #2 acquire, C after #3 acquire/);
  assert.match(desc, /concurrent events: B #2 acquire, C #3 acquire, C #4 release/);
});

Deno.test("renderSpaceTime says definitely or possibly, and the skew bound, in the title and the heading", () => {
  for (const verdict of ["possibly", "definitely"] as const) {
    for (const maxSkewMs of [0, 500]) {
      const svg = parseXml(renderSpaceTime({ ...ABC, verdict, maxSkewMs }));
      const want = `Violation: ${verdict} violated (clock skew bound ${maxSkewMs} ms)`;
      assert.equal(textOf(all(svg, (e) => e.name === "title")[0]!), want);
      assert.equal(textOf(classed(svg, "heading")[0]!), want);
      assert.equal(svg.attrs["data-verdict"], verdict);
      assert.match(
        textOf(classed(svg, "verdict")[0]!),
        verdict === "definitely" ? /^Definitely: every ordering/ : /^Possibly: some ordering/,
      );
    }
  }
});

Deno.test("renderSpaceTime escapes node ids and actions that look like markup", () => {
  const evil = `<script>alert("x")</script>`;
  const quotes = `"&'`;
  const evidence: CausalEvidence = {
    ...ABC,
    lanes: [evil, quotes, "A"],
    events: ABC.events.map((e) => ({
      ...e,
      node: e.node === "B" ? evil : e.node === "C" ? quotes : e.node,
      action: e.index === 3 ? `<img src=x onerror="alert(1)">` : e.action,
    })),
  };
  const text = renderSpaceTime(evidence, { title: `<b>&"'</b>` });
  assert.ok(!/<script|<img|<b>/i.test(text), "no markup from data");
  const svg = parseXml(text);
  assert.deepEqual(classed(svg, "lane").map((l) => l.attrs["data-node"]), [evil, quotes, "A"]);
  assert.equal(ownText(classed(svg, "lane")[1]!).trim(), quotes);
  assert.ok(all(svg, (e) => e.name === "script" || e.name === "img").length === 0);
  assert.ok(all(svg, (e) => Object.keys(e.attrs).some((k) => k.startsWith("on"))).length === 0);
  assert.match(textOf(all(svg, (e) => e.name === "title")[0]!), /^<b>&"'<\/b>: possibly/);
  assert.match(textOf(all(svg, (e) => e.name === "desc")[0]!), /<script>alert\("x"\)<\/script>/);
  assert.equal(escapeXml(quotes), "&quot;&amp;&#39;");
});

Deno.test("renderSpaceTime replaces characters XML cannot carry, so the document stays well-formed", () => {
  const odd = "n\u0001\u001f\ud800x\uffff";
  const svg = parseXml(renderSpaceTime({
    ...ABC,
    lanes: ["B", "C", odd],
    events: ABC.events.map((e) => e.node === "A" ? { ...e, node: odd } : e),
  }));
  assert.equal(classed(svg, "lane")[2]!.attrs["data-node"], "n\ufffd\ufffd\ufffdx\ufffd");
});

/** n events spread round-robin over the lanes, a message every 7th event, the cut at the end. */
function large(lanes: number, n: number): CausalEvidence {
  const names = Array.from({ length: lanes }, (_, i) => `node-${String(i).padStart(2, "0")}`);
  const events = Array.from(
    { length: n },
    (_, i) =>
      event(i, names[i % lanes]!, 1_000 + i * 3, i % 2 === 0 ? "acquire" : "release", {
        concurrent: i % 5 === 0,
      }),
  );
  const lastOf = names.map((l) => {
    for (let i = n - 1; i >= 0; i--) if (events[i]!.node === l) return i;
    return -1;
  });
  const cut = lastOf.slice(0, Math.min(lanes, 3));
  for (const c of cut) if (c >= 0) events[c] = { ...events[c]!, inCut: true };
  const messages = [];
  for (let i = 7; i < n; i += 7) {
    if (events[i - 3]!.node !== events[i]!.node) messages.push({ from: i - 3, to: i });
  }
  return { verdict: "definitely", maxSkewMs: 100, lanes: names, events, messages, cut };
}

Deno.test("renderSpaceTime stays readable from 2 to 64 lanes and 1 to 500 events: marks and labels never overlap", () => {
  for (
    const [lanes, n] of [[2, 1], [2, 2], [3, 12], [8, 40], [16, 120], [64, 64], [64, 500], [
      2,
      500,
    ]] as const
  ) {
    const evidence = large(lanes, n);
    const svg = parseXml(renderSpaceTime(evidence));
    const where = `${lanes} lanes, ${n} events`;
    const width = Number(svg.attrs.width);
    const height = Number(svg.attrs.height);
    assert.ok(Number.isFinite(width) && Number.isFinite(height), where);
    assert.equal(svg.attrs.viewBox, `0 0 ${width} ${height}`, where);
    assert.equal(classed(svg, "lane").length, lanes, where);
    const events = classed(svg, "event");
    assert.equal(events.length, n, where);
    assert.equal(classed(svg, "message").length, evidence.messages.length, where);
    // Lane labels at least a line of text apart.
    const labelYs = classed(svg, "lane-label").map((t) => Number(t.attrs.y));
    for (let i = 1; i < labelYs.length; i++) assert.ok(labelYs[i]! - labelYs[i - 1]! >= 20, where);
    // Every mark inside the picture, marks on one lane at least two radii apart.
    const byLane = new Map<string, number[]>();
    for (const e of events) {
      const x = markX(e);
      const y = markY(e);
      assert.ok(x > 0 && x < width && y > 0 && y < height, `${where}: event inside`);
      const list = byLane.get(e.attrs["data-node"]!) ?? [];
      list.push(x);
      byLane.set(e.attrs["data-node"]!, list);
    }
    for (const xs of byLane.values()) {
      for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! - xs[i - 1]! >= 12, where);
    }
    // Labels on one lane: their estimated extents (6.6 px a character) do not overlap.
    const labelled = events.flatMap((e) => {
      const t = e.children.find((c): c is Element => typeof c !== "string" && c.name === "text");
      return t === undefined ? [] : [{
        lane: e.attrs["data-node"]!,
        x: Number(t.attrs.x),
        w: Array.from(textOf(t)).length * 6.6,
      }];
    });
    for (const lane of byLane.keys()) {
      const ls = labelled.filter((l) => l.lane === lane).sort((a, b) => a.x - b.x);
      for (let i = 1; i < ls.length; i++) {
        assert.ok(
          ls[i]!.x - ls[i]!.w / 2 >= ls[i - 1]!.x + ls[i - 1]!.w / 2,
          `${where}: labels overlap`,
        );
      }
    }
    // The cut's events are always labelled; time ticks are at least 96 px apart.
    for (const e of classed(svg, "in-cut")) {
      assert.ok(e.children.some((c) => typeof c !== "string" && c.name === "text"), where);
    }
    const ticks = classed(svg, "tick").map((t) => Number((t.children[0] as Element).attrs.x1));
    assert.ok(ticks.length >= 1, where);
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]! - ticks[i - 1]! >= 96, where);
  }
});

Deno.test("renderSpaceTime refuses inconsistent evidence, naming the field", () => {
  const cases: [Partial<CausalEvidence>, RegExp][] = [
    [
      { verdict: "maybe" as "possibly" },
      /'verdict' must be 'possibly' or 'definitely', got 'maybe'/,
    ],
    [{ maxSkewMs: -1 }, /'maxSkewMs' must be a number >= 0, got '-1'/],
    [{ lanes: [] }, /'lanes' must name at least one node/],
    [{ lanes: ["B", "C", "B"] }, /'lanes\[2\]' repeats node 'B'/],
    [{ lanes: ["B", "C"] }, /'events\[0\]' is on node 'A', which has no lane/],
    [{ messages: [{ from: 1, to: 9 }] }, /'messages\[0\]\.to' is '9', not an index of 'events'/],
    [{ messages: [{ from: 2, to: 2 }] }, /'messages\[0\]' goes from event '2' to itself/],
    [{ cut: [3, 2] }, /'cut\[0\]' is an event of node 'C', not of lane 'B'/],
    [{ cut: [2, 3, 0, 0] }, /'cut' has 4 entries for 3 lanes/],
    [{ events: [ABC.events[1]!, ABC.events[0]!] }, /'events\[0\]' has index '1', expected '0'/],
    [
      { events: [ABC.events[0]!, { ...ABC.events[1]!, at: at(900) }], messages: [], cut: [] },
      /'events\[1\]' is before 'events\[0\]' in clock order/,
    ],
  ];
  for (const [patch, message] of cases) {
    assert.throws(() => renderSpaceTime({ ...ABC, ...patch }), (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /^Causal evidence: /);
      assert.match(e.message, message);
      return true;
    });
  }
  assert.throws(() => renderSpaceTime(ABC, { idPrefix: "1 x" }), /Option 'idPrefix' must be/);
});

Deno.test("renderSpaceTime draws a cut that is before a lane's first event at the lane's start", () => {
  const svg = parseXml(
    renderSpaceTime({
      ...ABC,
      cut: [2, -1],
      events: ABC.events.map((e) => ({ ...e, inCut: e.index === 2 })),
    }),
  );
  const pts = classed(svg, "cut")[0]!.attrs.points!.split(" ").map((p) => Number(p.split(",")[0]));
  const firstX = Math.min(...classed(svg, "event").map(markX));
  assert.ok(pts[2]! < firstX && pts[3]! < firstX);
  assert.match(textOf(all(svg, (e) => e.name === "desc")[0]!), /C before its first event/);
});

Deno.test("renderSpaceTime gives each diagram its own ids, so several fit in one page", () => {
  const a = renderSpaceTime(ABC, { idPrefix: "v1" });
  const b = renderSpaceTime(ABC, { idPrefix: "v2" });
  const ids = (s: string) => [...s.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(ids(a), ["v1-title", "v1-desc", "v1-arrow"]);
  assert.ok(ids(b).every((id) => !ids(a).includes(id)));
  assert.ok(a.includes("url(#v1-arrow)") && !a.includes("url(#v2-arrow)"));
});
