import assert from "node:assert/strict";
import { formatStamp } from "../lib/wire/stamp.ts";
import { loadCompiled } from "../lib/abi/mod.ts";
import { parseMapping, replay } from "../edge/replay/mod.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import {
  LEASE_MAPPING,
  leaseHistory,
  leaseSpec,
  type Line,
  lineOf,
  nodeFiles,
  replayLease,
  source,
  type Step,
} from "./replay_fixture.ts";

function swapFirstTwo(lines: Line[], pred: (l: Record<string, unknown>) => boolean): void {
  const idx = lines.flatMap((l, i) =>
    typeof l !== "string" && pred(l as Record<string, unknown>) ? [i] : []
  );
  const [i, j] = [idx[0]!, idx[1]!];
  [lines[i], lines[j]] = [lines[j]!, lines[i]!];
}

Deno.test("A valid three-node lease log with skewed clocks has no violations", async () => {
  const files = nodeFiles(leaseHistory());
  const r = await replayLease(files);
  assert.equal(r.summary.violations, 0, JSON.stringify(r.violations[0]?.message));
  assert.equal(r.summary.files, 3);
  assert.equal(r.summary.mapped, 12);
  assert.equal(r.summary.filtered, 12);
  assert.equal(r.summary.unmapped, 0);
  assert.equal(r.summary.events, 12);
  assert.equal(r.summary.partitions, 2);
  assert.equal(r.summary.partitionsOk, 2);
  assert.deepEqual(r.partitions.map((p) => [p.key, p.status, p.nodes]), [
    ["L1", "ok", ["a", "b", "c"]],
    ["L2", "ok", ["a", "b", "c"]],
  ]);
});

Deno.test("Lines out of time order within the window are sorted, whatever the file order", async () => {
  const files = nodeFiles(leaseHistory());
  // b logged its L2 release (ts 1180) before its L2 acquire (ts 1080): 100 ms out of order.
  const b = files["b.ndjson"]!;
  swapFirstTwo(b, (l) => l.type === "transition" && (l.lock === "L2" || l.event === "acquire"));
  const reversed = Object.fromEntries(Object.entries(files).reverse());
  for (const f of [files, reversed]) {
    const r = await replayLease(f);
    assert.equal(r.summary.violations, 0);
    assert.equal(r.summary.outOfWindow, 0);
    assert.equal(r.summary.partitionsOk, 2);
  }
});

Deno.test("A refused step is a local violation citing its line and the instance's earlier lines", async () => {
  const steps = leaseHistory().map((s): Step =>
    s.n === "b" && s.lock === "L1" && s.event === "release" ? { ...s, c: 3 } : s
  );
  const files = nodeFiles(steps);
  const r = await replayLease(files);
  const b = files["b.ndjson"]!;
  const acquire = lineOf(b, (l) => l.lock === "L1" && l.event === "acquire");
  const release = lineOf(b, (l) => l.lock === "L1" && l.event === "release");
  assert.equal(r.summary.byKind.guard_failed, 1);
  const v = r.violations.find((x) => x.kind === "guard_failed")!;
  assert.equal(v.scope, "local");
  assert.deepEqual(v.at, { file: "b.ndjson", line: release });
  assert.deepEqual(v.lines.map((l) => `${l.file}:${l.line}`), [
    `b.ndjson:${acquire}`,
    `b.ndjson:${release}`,
  ]);
  assert.equal(v.property.detail, "require mode == held and owner == c");
  assert.equal(v.property.item, "action release");
  assert.deepEqual(v.before?.mode, "held");
  assert.match(v.message, /b\.ndjson:\d+: release\(c: 3\)/);
  assert.equal(r.partitions.find((p) => p.key === "L1")!.status, "violated");
});

Deno.test("Two nodes holding one lock violate OneHolder, citing both nodes' lines", async () => {
  // c acquires L2 while b still holds it (true time 1120 < b's release at 1150).
  const steps = leaseHistory().map((s): Step =>
    s.n === "c" && s.lock === "L2" && s.event === "acquire" ? { ...s, t: 1_120 } : s
  );
  const files = nodeFiles(steps);
  const r = await replayLease(files);
  const v = r.violations.find((x) => x.scope === "global")!;
  assert.ok(v, "expected a global violation");
  assert.equal(v.kind, "invariant");
  assert.equal(v.property.item, "global invariant OneHolder");
  assert.deepEqual([...v.nodes].sort(), ["b", "c"]);
  const bLine = lineOf(files["b.ndjson"]!, (l) => l.lock === "L2" && l.event === "acquire");
  const cLine = lineOf(files["c.ndjson"]!, (l) => l.lock === "L2" && l.event === "acquire");
  assert.deepEqual(v.at, { file: "c.ndjson", line: cLine });
  const cited = v.lines.map((l) => `${l.file}:${l.line}`);
  assert.ok(cited.includes(`b.ndjson:${bLine}`), cited.join(" "));
  assert.equal(cited[cited.length - 1], `c.ndjson:${cLine}`);
  const cut = new Map(v.cut!.map((c) => [c.node, c]));
  assert.equal(cut.get("b")!.state.mode, "held");
  assert.equal(cut.get("c")!.state.mode, "held");
  assert.deepEqual(cut.get("b")!.at, { file: "b.ndjson", line: bLine });
  assert.equal(r.partitions.find((p) => p.key === "L2")!.status, "violated");
  assert.equal(r.partitions.find((p) => p.key === "L1")!.status, "ok");
});

Deno.test("An observed partial state that differs is a divergence, and checking continues from it", async () => {
  const steps = leaseHistory().map((s): Step => {
    if (s.n === "a" && s.lock === "L1" && s.event === "acquire") {
      return { ...s, state: { owner: 1, token: 7 } }; // owner right, token wrong
    }
    if (s.n === "b" && s.lock === "L1" && s.event === "acquire") {
      return { ...s, state: { owner: 2, mode: "held" } }; // all right
    }
    return s;
  });
  const files = nodeFiles(steps);
  const r = await replayLease(files);
  assert.equal(r.summary.violations, 1);
  const v = r.violations[0]!;
  assert.equal(v.kind, "divergence");
  assert.deepEqual(v.divergences, [{ variable: "token", expected: 1, actual: 7 }]);
  assert.deepEqual(v.at, {
    file: "a.ndjson",
    line: lineOf(files["a.ndjson"]!, (l) => l.lock === "L1" && l.event === "acquire"),
  });
  // a continued from token 7: its release keeps token 7, so TokenNeverGoesBack still holds.
  assert.equal(r.summary.byKind.invariant_failed, undefined);
});

Deno.test("Unmapped lines are reported with file, line and reason, and make their partitions unknown", async () => {
  const files = nodeFiles(leaseHistory());
  const a = files["a.ndjson"]!;
  a.push("{not json");
  a.push({ ts: 2_000, host: "a", type: "transition", lock: "L3", event: "steal", args: {} });
  a.push({ ts: 2_001, host: "a", type: "transition", lock: "L3", event: "acquire", args: {} });
  a.push({ ts: 2_002, host: "a", type: "transition", lock: "L3", event: "acquire" });
  a.push({ host: "a", type: "transition", lock: "L3", event: "release", args: { c: 1 } });
  a.push({ ts: 2_003, type: "transition", lock: "L3", event: "release", args: { c: 1 } });
  const n = a.length;
  const r = await replayLease(files);
  assert.equal(r.summary.unmapped, 6);
  assert.deepEqual(r.unmapped.map((u) => [u.file, u.line]), [
    ["a.ndjson", n - 5],
    ["a.ndjson", n - 4],
    ["a.ndjson", n - 3],
    ["a.ndjson", n - 2],
    ["a.ndjson", n - 1],
    ["a.ndjson", n],
  ]);
  const reasons = r.unmapped.map((u) => u.reason);
  assert.match(reasons[0]!, /^invalid JSON/);
  assert.equal(reasons[1], "unknown action 'steal' of spec 'Lease'");
  assert.equal(reasons[2], "missing argument 'c' of action 'acquire'");
  assert.equal(reasons[3], "missing field 'args'");
  assert.equal(reasons[4], "missing field 'ts'");
  assert.equal(reasons[5], "missing field 'host'");
  assert.equal(r.summary.violations, 0);
  // The unparsable line belongs to a's file: every partition a takes part in is unknown.
  assert.deepEqual(r.partitions.map((p) => [p.key, p.status]), [
    ["L1", "unknown"],
    ["L2", "unknown"],
    ["L3", "unknown"],
  ]);
  assert.equal(r.summary.partitionsUnknown, 3);
});

Deno.test("A line older than the window allows is reported out-of-window and still checked", async () => {
  const files = nodeFiles(leaseHistory());
  // a logged its L2 acquire (ts 1450) late: after its L2 release (ts 1550) and a step at ts 1700.
  const a = files["a.ndjson"]!;
  const acquire = a.findIndex((l) =>
    typeof l !== "string" && l.lock === "L2" && l.event === "acquire"
  );
  const [moved] = a.splice(acquire, 1);
  a.push({
    ts: 1_700,
    host: "a",
    type: "transition",
    lock: "L9",
    event: "acquire",
    args: { c: 1 },
  });
  a.push(moved!);
  const narrow = await replayLease(files, { windowMs: 100 });
  assert.equal(narrow.summary.outOfWindow, 1);
  const late = narrow.outOfWindow[0]!;
  assert.deepEqual([late.file, late.line, late.node, late.key], ["a.ndjson", a.length, "a", "L2"]);
  assert.equal(late.behindMs, 100);
  assert.equal(narrow.summary.events, 13);
  // Processed out of order: the release came first and was refused.
  assert.equal(narrow.summary.byKind.guard_failed, 1);
  const release = lineOf(a, (l) => l.lock === "L2" && l.event === "release");
  assert.deepEqual(narrow.violations[0]!.at, { file: "a.ndjson", line: release });
  const wide = await replayLease(files, { windowMs: 300 });
  assert.equal(wide.summary.outOfWindow, 0);
  assert.equal(wide.summary.violations, 0);
});

Deno.test("HLC stamps order a receipt after its send where skewed wall clocks would not", async () => {
  const hlc = (wall: number, logical: number) => formatStamp({ wall, logical });
  // b's clock is 500 ms behind: by wall time its acquire precedes a's acquire.
  const step = (ts: number, stamp: string, host: string, event: string, c: number) => ({
    ts,
    hlc: stamp,
    host,
    type: "transition",
    lock: "L",
    event,
    args: { c },
  });
  const a = [
    step(1_000, hlc(1_000, 0), "a", "acquire", 1),
    step(1_100, hlc(1_100, 0), "a", "release", 1),
  ];
  // b received a's release stamp before acquiring: its HLC orders after it.
  const b = [step(700, hlc(1_100, 1), "b", "acquire", 2)];
  const byTime = await replayLease({ "a.ndjson": a, "b.ndjson": b });
  assert.equal(byTime.summary.byKind.invariant, 1);
  const byHlc = await replayLease({ "a.ndjson": a, "b.ndjson": b }, {
    mapping: { ...LEASE_MAPPING, hlc: "hlc" },
  });
  assert.equal(byHlc.summary.violations, 0);
});

Deno.test("A gap in the log's own sequence numbers makes the node's partitions unknown", async () => {
  const lines = [
    { ts: 1, n: 0, host: "a", type: "transition", lock: "L", event: "acquire", args: { c: 1 } },
    { ts: 2, n: 3, host: "a", type: "transition", lock: "L", event: "release", args: { c: 1 } },
  ];
  const r = await replayLease({ "a.ndjson": lines }, {
    mapping: { node: "host", key: "lock", time: "ts", action: "event", args: "args", seq: "n" },
  });
  assert.equal(r.summary.sequenceGaps, 2);
  assert.equal(r.partitions[0]!.status, "unknown");
  assert.equal(r.summary.violations, 0);
});

Deno.test("Action renames, per-argument paths and a $file node map foreign log formats", async () => {
  const lines = [
    { at: "1970-01-01T00:00:01.000Z", ctx: { lock: "L", client: 2 }, what: "lock_acquired" },
    { at: "1970-01-01T00:00:01.500Z", ctx: { lock: "L", client: 2 }, what: "lock_released" },
    { at: "1970-01-01T00:00:02.000Z", ctx: { lock: "L", client: 2 }, what: "lock_released" },
  ];
  const r = await replayLease({ "logs/api-7.ndjson": lines }, {
    mapping: {
      node: "$file",
      key: "ctx.lock",
      time: "at",
      action: "what",
      actions: { lock_acquired: "acquire", lock_released: "release" },
      args: { c: "ctx.client" },
    },
  });
  assert.equal(r.summary.events, 3);
  assert.equal(r.summary.violations, 1);
  assert.deepEqual(r.violations[0]!.nodes, ["api-7"]);
  assert.deepEqual(r.violations[0]!.at, { file: "logs/api-7.ndjson", line: 3 });
});

Deno.test("Several specs are replayed together, each line routed by the first mapping that matches", async () => {
  const toggle = await loadCompiled(`${await compiledDir("toggle")}/toggle.js`);
  const lines = [
    { ts: 1, svc: "locks", host: "a", lock: "L", op: "acquire", args: { c: 1 } },
    { ts: 2, svc: "flags", host: "a", flag: "F", op: "flip" },
    { ts: 3, svc: "flags", host: "a", flag: "F", op: "flop" },
    { ts: 4, svc: "locks", host: "b", lock: "L", op: "acquire", args: { c: 2 } },
  ];
  const r = await replay([source("mixed.ndjson", lines)], {
    specs: [await leaseSpec(), toggle],
    mapping: parseMapping({
      mappings: [
        {
          spec: "Lease",
          where: { svc: "locks" },
          node: "host",
          key: "lock",
          time: "ts",
          action: "op",
          args: "args",
        },
        {
          spec: "Toggle",
          where: { svc: "flags" },
          node: "host",
          key: "flag",
          time: "ts",
          action: "op",
        },
      ],
    }),
  });
  assert.equal(r.summary.events, 3);
  assert.deepEqual(r.unmapped.map((u) => [u.line, u.reason]), [[
    3,
    "unknown action 'flop' of spec 'Toggle'",
  ]]);
  assert.deepEqual(r.partitions.map((p) => [p.specName, p.key, p.status]), [
    ["Lease", "L", "violated"],
    ["Toggle", "F", "unknown"],
  ]);
  assert.equal(r.violations[0]!.property.item, "global invariant OneHolder");
  assert.deepEqual(r.violations[0]!.at, { file: "mixed.ndjson", line: 4 });
});

Deno.test("A lock held beyond HolderReleases' bound is a local liveness timeout citing both lines", async () => {
  const step = (ts: number, host: string, lock: string, event: string, c: number) => ({
    ts,
    host,
    type: "transition",
    lock,
    event,
    args: { c },
  });
  const a = [
    step(1_000, "a", "L1", "acquire", 1),
    step(32_000, "a", "L1", "release", 1), // 31 s later: past 'within 30s'
    step(40_000, "a", "L2", "acquire", 1), // never released; the logs go on to 75 s
  ];
  const b = [step(75_000, "b", "L3", "acquire", 2), step(75_001, "b", "L3", "release", 2)];
  const r = await replayLease({ "a.ndjson": a, "b.ndjson": b });
  const timeouts = r.violations.filter((v) => v.kind === "liveness_timeout" && v.scope === "local");
  assert.equal(timeouts.length, 2);
  // Reported once each: by replay's own per-instance check, not again by the collector core's.
  assert.equal(r.violations.length, 2);
  assert.deepEqual(r.summary.byKind, { liveness_timeout: 2 });
  const [late, open] = timeouts as [typeof timeouts[0], typeof timeouts[0]];
  assert.equal(late.property.item, "liveness HolderReleases");
  assert.equal(late.key, "L1");
  assert.deepEqual(late.lines.map((l) => l.line), [1, 2]);
  assert.deepEqual(late.at, { file: "a.ndjson", line: 2 });
  assert.equal(open.key, "L2");
  assert.equal(open.at, null);
  assert.deepEqual(open.lines.map((l) => `${l.file}:${l.line}`), ["a.ndjson:3"]);
  // b's short hold is fine.
  assert.equal(r.partitions.find((p) => p.key === "L3")!.status, "ok");
});
