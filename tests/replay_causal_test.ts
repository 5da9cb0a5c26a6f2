/**
 * `vigil replay` applies the collector's causal semantics to logs that
 * carry stamps or message ids, on the issue's A/B/C case: A (clock +300 ms)
 * holds the lock and hands it to B by message; C (clock +200 ms) takes and
 * drops it with no message, while B holds it in real time and A no longer
 * does. Merged by clock alone, only A and C seem to overlap. The logs are
 * written with the SDK's own hybrid logical clock (`createClock`, skewed
 * physical clocks, `stamp()` on the handoff, `observe()` on receipt), as a
 * service using the SDK would log them (the clock's stamps as the lines'
 * times, or only the skewed physical times), the handoff as the stamp
 * received or as a message id on both lines; the real CLI replays them, and the
 * report must name B and C (A only as `possibly`), carry the causal
 * evidence with the handoff as a message, and write the HTML report with
 * that space-time diagram.
 */
import assert from "node:assert/strict";
import { createClock } from "../runtime/monitor/clock.ts";
import { formatStamp } from "../lib/wire/stamp.ts";
import { runVigil } from "./cli_process.ts";
import { leaseBindings, ndjson } from "./replay_fixture.ts";
import type { ReplayReport } from "../edge/replay/report_types.ts";

/** Clock skew of each node (ms): its physical clock reads real time plus this. */
const SKEW: Readonly<Record<string, number>> = { A: 300, B: 0, C: 200 };

interface Logged {
  readonly node: string;
  readonly real: number;
  readonly line: Record<string, unknown>;
}

/**
 * The A/B/C history of the issue in real time (ms): A holds [900, 1000] and
 * hands over to B, who receives at 1001 and holds until 1400; C holds
 * [1120, 1150] with no message. The real double hold is B and C; A and C
 * never overlapped.
 */
function abcLogs(handoff: Handoff): Logged[] {
  let real = 0;
  const clocks = Object.fromEntries(
    Object.keys(SKEW).map((n) => [n, createClock({ now: () => real + SKEW[n]!, node: n })]),
  );
  const out: Logged[] = [];
  const step = (node: string, at: number, event: string, c: number, extra = {}) => {
    real = at;
    const clock = clocks[node]!;
    clock.tick();
    // The line's time: the node's clock stamp, or (physical time) its skewed physical clock alone.
    const time = handoff.endsWith("physical time")
      ? { ts: at + SKEW[node]! }
      : { hlc: formatStamp(clock.peek()) };
    out.push({
      node,
      real: at,
      line: { host: node, lock: "L1", ...time, event, args: { c }, ...extra },
    });
  };
  step("A", 900, "acquire", 1);
  const byId = handoff.startsWith("message-id");
  step("A", 1_000, "release", 1, byId ? { sent: "handoff-1" } : {});
  const stamp = clocks.A!.stamp(); // on the handoff message
  real = 1_001;
  clocks.B!.observe(stamp);
  step("B", 1_001, "acquire", 2, byId ? { got_id: "handoff-1" } : { got: stamp });
  step("C", 1_120, "acquire", 3);
  step("C", 1_150, "release", 3);
  step("B", 1_400, "release", 2);
  return out;
}

type Handoff = "stamp" | "message-id" | "stamp, physical time" | "message-id, physical time";

const MAPPINGS: Readonly<Record<Handoff, Readonly<Record<string, string>>>> = {
  "stamp": { node: "host", key: "lock", hlc: "hlc", action: "event", args: "args", stamp: "got" },
  "stamp, physical time": {
    node: "host",
    key: "lock",
    time: "ts",
    action: "event",
    args: "args",
    stamp: "got",
  },
  "message-id, physical time": {
    node: "host",
    key: "lock",
    time: "ts",
    action: "event",
    args: "args",
    sends: "sent",
    receives: "got_id",
  },
  "message-id": {
    node: "host",
    key: "lock",
    hlc: "hlc",
    action: "event",
    args: "args",
    sends: "sent",
    receives: "got_id",
  },
};

async function replayAbc(
  handoff: Handoff,
  flags: readonly string[] = [],
): Promise<{ code: number; report: ReplayReport; html: string; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "vigil_replay_causal_" });
  try {
    const logs = abcLogs(handoff);
    const files: string[] = [];
    for (const node of Object.keys(SKEW)) {
      const file = `${dir}/${node.toLowerCase()}.ndjson`;
      await Deno.writeTextFile(
        file,
        ndjson(logs.filter((l) => l.node === node).map((l) => l.line)),
      );
      files.push(file);
    }
    await Deno.writeTextFile(`${dir}/map.json`, JSON.stringify(MAPPINGS[handoff]));
    const run = await runVigil([
      "replay",
      "--spec",
      await leaseBindings(),
      "--map",
      `${dir}/map.json`,
      "--json",
      "--html",
      `${dir}/report.html`,
      ...flags,
      ...files,
    ]);
    const html = await Deno.readTextFile(`${dir}/report.html`).catch(() => "");
    assert.ok(
      run.stdout.trim().startsWith("{"),
      `JSON report expected:\n${run.stdout}\n${run.stderr}`,
    );
    return { code: run.code, report: JSON.parse(run.stdout), html, stderr: run.stderr };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The facts of the history itself (not of the tool): who overlapped in real time. */
function realOverlaps(logs: readonly Logged[]): string[] {
  const held = new Map<string, [number, number]>();
  for (const l of logs) {
    const span = held.get(l.node) ?? [NaN, NaN];
    if (l.line.event === "acquire") span[0] = l.real;
    else span[1] = l.real;
    held.set(l.node, span);
  }
  const pairs: string[] = [];
  const nodes = [...held.keys()].sort();
  for (const a of nodes) {
    for (const b of nodes) {
      const [s1, e1] = held.get(a)!;
      const [s2, e2] = held.get(b)!;
      if (a < b && s1 < e2 && s2 < e1) pairs.push(`${a}${b}`);
    }
  }
  return pairs;
}

for (
  const handoff of [
    "stamp",
    "message-id",
    "stamp, physical time",
    "message-id, physical time",
  ] as const
) {
  Deno.test(`vigil replay names B and C on the A/B/C logs whose handoff carries a ${handoff}, and draws it in the HTML report`, async () => {
    assert.deepEqual(realOverlaps(abcLogs(handoff)), ["BC"], "the history's real double hold");
    const { code, report, html, stderr } = await replayAbc(handoff);
    assert.equal(code, 1, stderr);
    assert.equal(report.summary.unmapped, 0, JSON.stringify(report.unmapped));
    assert.equal(report.summary.dependencies, 1, "the handoff is one dependency of B on A");
    assert.equal(report.summary.unmatchedReceives, 0);
    const global = report.violations.filter((v) => v.scope === "global");
    assert.equal(global.length, 1, `one alert: ${global.map((v) => v.message).join("; ")}`);
    const [v] = global;
    assert.equal(v!.property.item, "global invariant OneHolder");
    assert.ok(v!.nodes.includes("B") && v!.nodes.includes("C"), `names B and C: ${v!.nodes}`);
    const causal = v!.causal;
    assert.ok(causal !== undefined, "the violation carries its causal evidence");
    if (v!.nodes.includes("A")) assert.equal(causal.verdict, "possibly", "A only as possibly");
    assert.deepEqual(causal.lanes.slice(0, 2).toSorted(), ["B", "C"], "the cut's nodes first");
    // The handoff is drawn as a message from A's event to B's acquire.
    const handoffs = causal.messages.filter((m) =>
      causal.events[m.from]!.node === "A" && causal.events[m.to]!.node === "B"
    );
    assert.equal(handoffs.length, 1, JSON.stringify(causal.messages));
    assert.equal(causal.events[handoffs[0]!.to]!.action, "acquire");
    for (const node of ["B", "C"]) {
      const i: number = causal.cut[causal.lanes.indexOf(node)]!;
      assert.ok(i >= 0, `${node} is in the cut`);
      assert.equal(causal.events[i]!.action, "acquire", `${node} holds in the cut`);
    }
    // The HTML report draws that evidence inline.
    assert.ok(html.startsWith("<!doctype html>"), "the HTML report was written");
    const svgs = html.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
    assert.equal(svgs.length, 1);
    const svg = svgs[0]!;
    assert.equal(svg.match(/<g class="lane"/g)?.length, causal.lanes.length);
    for (const node of causal.lanes) {
      assert.ok(svg.includes(`<g class="lane" data-node="${node}">`));
    }
    assert.equal(svg.match(/<path class="message"/g)?.length, causal.messages.length);
    assert.match(svg, /<polyline class="cut" data-lanes="\d+"/);
    assert.match(
      svg,
      new RegExp(`${causal.verdict} violated \\(clock skew bound ${causal.maxSkewMs} ms\\)`),
    );
  });
}

Deno.test("vigil replay --max-skew off judges the merge order: the alert carries no causal evidence and the HTML report no diagram", async () => {
  const { code, report, html } = await replayAbc("stamp", ["--max-skew", "off"]);
  assert.equal(code, 1);
  const global = report.violations.filter((v) => v.scope === "global");
  assert.ok(global.length >= 1);
  for (const v of global) assert.equal(v.causal, undefined);
  assert.ok(!html.includes("<svg"));
  assert.match(html, /No space-time diagram: no causal evidence was recorded/);
});
