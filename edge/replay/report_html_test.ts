import assert from "node:assert/strict";
import type { CausalEvidence } from "../engine/causal/evidence.ts";
import { replayReportHtml } from "./report_html.ts";
import type { ReplayReport, ReplayViolation } from "./report_types.ts";

const at = (wall: number) => ({ wall, logical: 0 });
const EVIL = `<script>alert("x")</script>`;

/** Hand-built evidence: EVIL handed over to B by message, C held with no message. */
const EVIDENCE: CausalEvidence = {
  verdict: "possibly",
  maxSkewMs: 250,
  lanes: ["B", "C", EVIL],
  events: [
    {
      index: 0,
      node: EVIL,
      boot: "r",
      seq: 0,
      at: at(1_000),
      action: "release",
      concurrent: false,
      inCut: false,
    },
    {
      index: 1,
      node: "B",
      boot: "r",
      seq: 0,
      at: at(1_010),
      action: "acquire",
      concurrent: true,
      inCut: true,
    },
    {
      index: 2,
      node: "C",
      boot: "r",
      seq: 0,
      at: at(1_120),
      action: "acquire",
      concurrent: true,
      inCut: true,
    },
  ],
  messages: [{ from: 0, to: 1 }],
  cut: [1, 2],
};

const global: ReplayViolation = {
  scope: "global",
  kind: "invariant",
  specName: "Lease",
  key: "lock:a",
  nodes: ["B", "C"],
  property: { item: "global invariant OneHolder", detail: "holders <= 1", line: 33, column: 3 },
  message: "Lease: global invariant OneHolder (line 33:3) violated in 'lock:a' by B, C",
  at: { file: "c.log", line: 1 },
  lines: [
    { file: "a.log", line: 2, node: EVIL, seq: 0 },
    { file: "b.log", line: 1, node: "B", seq: 0 },
    { file: "c.log", line: 1, node: "C", seq: 0, action: "acquire", args: { c: 3 }, verdict: "ok" },
  ],
  cut: [
    {
      node: "B",
      boot: "r",
      seq: 0,
      wall: 1_010,
      logical: 0,
      state: { mode: "held" },
      lastEvents: [],
      at: { file: "b.log", line: 1 },
    },
    {
      node: "C",
      boot: "r",
      seq: 0,
      wall: 1_120,
      logical: 0,
      state: { mode: "held" },
      lastEvents: [],
      at: { file: "c.log", line: 1 },
    },
  ],
  outOfWindow: false,
  incomplete: false,
  id: "abc:lock:a:1",
  causal: EVIDENCE,
};

const local: ReplayViolation = {
  scope: "local",
  kind: "guard_failed",
  specName: "Lease",
  key: "lock:b",
  nodes: ["B"],
  property: { item: "action release", detail: "mode == held", line: 20, column: 5 },
  message: "Lease: guard_failed in action release",
  at: { file: "b.log", line: 9 },
  lines: [{
    file: "b.log",
    line: 9,
    node: "B",
    seq: 3,
    action: "release",
    args: {},
    verdict: "guard_failed",
  }],
  outOfWindow: false,
  incomplete: true,
};

function report(violations: readonly ReplayViolation[], count = violations.length): ReplayReport {
  return {
    summary: {
      files: 3,
      bytes: 900,
      lines: 12,
      blank: 1,
      filtered: 2,
      mapped: 8,
      unmapped: 1,
      outOfWindow: 0,
      events: 8,
      instances: 4,
      partitions: 2,
      partitionsOk: 0,
      partitionsViolated: 1,
      partitionsUnknown: 1,
      sequenceGaps: 0,
      dependencies: 1,
      unmatchedReceives: 0,
      violations: count,
      byKind: { invariant: 1, guard_failed: count - 1 },
      seconds: 0.01,
      linesPerSecond: 1200,
    },
    violations,
    unmapped: [{ file: "b.log", line: 4, reason: "missing field 'ts'", node: "B" }],
    unmappedReasons: { "missing field 'ts'": 1 },
    outOfWindow: [],
    partitions: [{
      specName: "Lease",
      key: "lock:b",
      status: "unknown",
      nodes: ["B"],
      events: 3,
      violations: 1,
    }],
  };
}

const sections = (html: string) =>
  html.split(/(?=<section class="violation")/).slice(1)
    .map((s) => s.slice(0, s.indexOf("</section>")));

Deno.test("replayReportHtml writes the summary and one section per violation, with the diagram inline where evidence was recorded", () => {
  const html = replayReportHtml(report([global, local]));
  assert.ok(html.startsWith('<!doctype html>\n<html lang="en">'));
  assert.match(html, /<title>Vigil replay report<\/title>/);
  assert.match(html, /<th>lines<\/th><td class="num" data-field="lines">12<\/td>/);
  assert.match(html, /data-field="violations">2 \(1 invariant, 1 guard_failed\)</);
  assert.match(html, /2 \(0 ok, 1 violated, 1 unknown\)/);
  const [g, l, ...rest] = sections(html);
  assert.equal(rest.length, 0);
  // The global one holds exactly one diagram: a lane per node, the message, the cut.
  assert.equal(g!.match(/<svg /g)?.length, 1);
  assert.equal(g!.match(/<g class="lane"/g)?.length, 3);
  assert.equal(g!.match(/<path class="message"/g)?.length, 1);
  assert.equal(g!.match(/<polyline class="cut"/g)?.length, 1);
  assert.match(
    g!,
    /<title id="v1-title">Lease global invariant OneHolder in &#39;lock:a&#39;: possibly violated \(clock skew bound 250 ms\)<\/title>/,
  );
  assert.match(g!, /data-nodes="B,C"/);
  assert.match(g!, /<tr class="at"><td class="mono">c\.log:1<\/td>/);
  assert.match(g!, /<td>B \*<\/td><td class="mono">b\.log:1<\/td>/);
  // The local one has none, and says it may rest on a hole.
  assert.ok(!l!.includes("<svg"));
  assert.match(l!, /Note: a participant had unmapped lines/);
  assert.match(html, /<h2>Unmapped lines<\/h2>/);
  assert.match(html, /missing field &#39;ts&#39;/);
  assert.match(html, /<td>Lease\/lock:b<\/td><td>B<\/td>/);
});

Deno.test("replayReportHtml is self-contained and carries no markup from the logs", () => {
  const html = replayReportHtml(report([global]), { title: `<i>"r"</i>` });
  assert.ok(
    !/<script|<i>|<link|\ssrc=|\shref=/i.test(html),
    "no script, no markup from data, nothing fetched",
  );
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(html, /<title>&lt;i&gt;&quot;r&quot;&lt;\/i&gt;<\/title>/);
});

Deno.test("replayReportHtml says when a global invariant violation has no causal evidence", () => {
  const { causal: _, ...bare } = global;
  const [g] = sections(replayReportHtml(report([bare])));
  assert.ok(!g!.includes("<svg"));
  assert.match(g!, /No space-time diagram: no causal evidence was recorded/);
});

Deno.test("replayReportHtml shows at most maxShown violations and counts the rest", () => {
  const many = Array.from(
    { length: 5 },
    (_, i) => ({ ...global, id: `x:${i}`, message: `violation ${i}` }),
  );
  const html = replayReportHtml(report(many, 9), { maxShown: 2 });
  assert.equal(sections(html).length, 2);
  assert.equal(html.match(/<svg /g)?.length, 2);
  assert.deepEqual([...html.matchAll(/ id="(v\d-title)"/g)].map((m) => m[1]), [
    "v1-title",
    "v2-title",
  ]);
  assert.match(html, /\.\.\. and 7 more violations/);
  assert.throws(
    () => replayReportHtml(report(many), { maxShown: 0 }),
    /Option 'maxShown' must be a positive integer, got '0'/,
  );
});
