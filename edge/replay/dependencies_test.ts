import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { formatStamp } from "../../lib/wire/stamp.ts";
import type { EventDependency } from "../../lib/wire/event.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";
import { MappingError, parseMapping } from "./mapping.ts";
import { LineExtractor } from "./extract.ts";
import { ReplayJudge } from "./judge.ts";
import { replaySpecs } from "./replay_spec.ts";
import { replay } from "./replay.ts";
import { MessageTable } from "./dependencies.ts";

const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
const specs = replaySpecs([lease]);

const BASE = { node: "host", key: "lock", time: "ts", action: "event", args: "args" };

Deno.test("parseMapping reads stamp, sends and receives as field paths and names them among the top-level fields", () => {
  const m = parseMapping({ ...BASE, stamp: "ctx.got", sends: "msg.out", receives: ["in"] });
  const l = m.mappings[0]!;
  assert.deepEqual([l.stamp, l.sends, l.receives], [["ctx", "got"], ["msg", "out"], ["in"]]);
  for (const f of ["ctx", "msg", "in"]) assert.ok(m.topLevel.has(f), f);
  assert.throws(
    () => parseMapping({ ...BASE, sends: "" }),
    (e: unknown) => e instanceof MappingError && e.at === "sends",
  );
  const none = parseMapping(BASE).mappings[0]!;
  assert.deepEqual([none.stamp, none.sends, none.receives], [undefined, undefined, undefined]);
});

function line(o: Record<string, unknown>): string {
  return JSON.stringify({ lock: "l1", args: { c: 1 }, ...o });
}

Deno.test("LineExtractor reads the dependencies a line received and the message ids it sent or received", () => {
  const ex = new LineExtractor(
    parseMapping({ ...BASE, stamp: "got", sends: "out", receives: "in" }),
    specs,
    ["a.log"],
  );
  const stamp = formatStamp({ wall: 1_000, logical: 2, node: "api-1" });
  const ev = ex.map(
    line({ host: "api-2", ts: 1_005, event: "acquire", got: [stamp], in: 7, out: ["m-1", "m-2"] }),
    0,
    1,
  );
  assert.ok(typeof ev === "object" && "wall" in ev);
  assert.deepEqual(ev.deps, [{ node: "api-1", wall: 1_000, logical: 2 }]);
  assert.deepEqual(ev.receives, ["7"]);
  assert.deepEqual(ev.sends, ["m-1", "m-2"]);
  const plain = ex.map(line({ host: "api-2", ts: 1_006, event: "release" }), 0, 2);
  assert.ok(typeof plain === "object" && "wall" in plain);
  assert.deepEqual([plain.deps, plain.sends, plain.receives], [null, null, null]);
});

Deno.test("LineExtractor leaves a line with an unreadable stamp or message id unmapped, saying which field and why", () => {
  const ex = new LineExtractor(
    parseMapping({ ...BASE, stamp: "got", receives: "in" }),
    specs,
    ["a.log"],
  );
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ got: "zz" }, /^field 'got' is not a clock stamp: 'zz'$/],
    [{ got: "ro-1" }, /^field 'got': stamp 'ro-1' names no sending node/],
    [{ got: 17 }, /^field 'got' is not a clock stamp: 17$/],
    [{ in: { id: 1 } }, /^field 'in' is not a message id/],
    [{ in: Array.from({ length: 65 }, (_, i) => i) }, /^field 'in' lists 65 values, more than 64$/],
  ];
  for (const [extra, reason] of cases) {
    const r = ex.map(line({ host: "api-2", ts: 1, event: "acquire", ...extra }), 0, 1);
    assert.ok(typeof r === "object" && "reason" in r, JSON.stringify(extra));
    assert.match(r.reason, reason);
    assert.equal(r.node, "api-2", "the hole is the node's");
  }
});

/** A judge whose collector records what it is given. */
function recordingJudge(): { judge: ReplayJudge; deps: Map<string, EventDependency[][]> } {
  const judge = new ReplayJudge({
    specs,
    files: ["a.log", "b.log"],
    maxListed: 100,
    historySize: 32,
    globalChecks: true,
  });
  const deps = new Map<string, EventDependency[][]>();
  const ingest = judge.collector.ingestColumns.bind(judge.collector);
  judge.collector.ingestColumns = (columns: WireColumns) => {
    const batch = columns.toBatch();
    const list = deps.get(batch.node) ?? [];
    for (const e of batch.events) list.push([...(e.deps ?? [])]);
    deps.set(batch.node, list);
    return ingest(columns);
  };
  return { judge, deps };
}

Deno.test("ReplayJudge hands the collector each event's dependencies: its stamps, and the send of each message id it received", () => {
  const { judge, deps } = recordingJudge();
  const ex = new LineExtractor(
    parseMapping({ ...BASE, stamp: "got", sends: "out", receives: "in" }),
    specs,
    ["a.log", "b.log"],
  );
  const lines = [
    line({ host: "api-1", ts: 1_000, event: "acquire" }),
    line({ host: "api-1", ts: 1_010, event: "release", out: "h-1" }),
    line({ host: "api-2", ts: 1_020, event: "acquire", in: "h-1", args: { c: 2 } }),
    line({ host: "api-2", ts: 1_030, event: "release", args: { c: 2 } }),
    // A stamp from api-2, and one from itself (program order already says it).
    line({
      host: "api-3",
      ts: 1_040,
      event: "acquire",
      args: { c: 3 },
      got: [formatStamp({ wall: 1_030, logical: 0, node: "api-2" }), "1a-0@api-3"],
    }),
    // A receive whose send was never read: no dependency, counted.
    line({ host: "api-3", ts: 1_050, event: "release", args: { c: 3 }, in: "h-9" }),
  ];
  lines.forEach((l, i) => {
    const ev = ex.map(l, 0, i + 1);
    assert.ok(typeof ev === "object" && "wall" in ev);
    assert.equal(judge.process(ev), null);
  });
  judge.finish(1_050);
  assert.deepEqual(deps.get("api-1"), [[], []]);
  assert.deepEqual(deps.get("api-2"), [[{ node: "api-1", wall: 1_010, logical: 0 }], []]);
  assert.deepEqual(deps.get("api-3"), [[{ node: "api-2", wall: 1_030, logical: 0 }], []]);
  assert.equal(judge.dependencies, 2);
  assert.equal(judge.messages.unmatched, 1);
});

/** The handoff logs: api-2's clock is behind, so its receipt is logged before the send. */
function handoffLogs(receiveAt: number, id = "h-1") {
  const log = (...ls: string[]) => new Blob([ls.join("\n") + "\n"]).stream();
  return [
    {
      name: "a.log",
      stream: log(
        line({ host: "api-1", ts: 1_000, event: "acquire" }),
        line({ host: "api-1", ts: 1_010, event: "release", out: "h-1" }),
      ),
    },
    {
      name: "b.log",
      stream: log(
        line({ host: "api-2", ts: receiveAt, event: "acquire", in: id, args: { c: 2 } }),
        line({ host: "api-2", ts: receiveAt + 20, event: "release", args: { c: 2 }, out: "h-2" }),
      ),
    },
    {
      name: "c.log",
      stream: log(line({ host: "api-3", ts: 1_040, event: "acquire", in: "h-2", args: { c: 3 } })),
    },
  ];
}

Deno.test("replay waits for the send of a receive logged before it, within the window and twice the skew bound", async () => {
  const mapping = parseMapping({ ...BASE, sends: "out", receives: "in" });
  const waited = await replay(handoffLogs(1_005), { specs: [lease], mapping, windowMs: 100 });
  assert.deepEqual([waited.summary.dependencies, waited.summary.unmatchedReceives], [2, 0]);
  assert.equal(waited.summary.events, 5, "every line checked, the waiting ones too");
  assert.equal(waited.summary.violations, 0, "each receipt after its send: no double hold");
  // 300 ms early: beyond a 100 ms window, within it plus twice a 250 ms skew bound.
  const far = await replay(handoffLogs(710), { specs: [lease], mapping, windowMs: 100 });
  assert.deepEqual([far.summary.dependencies, far.summary.unmatchedReceives], [1, 1]);
  const bounded = await replay(handoffLogs(710), {
    specs: [lease],
    mapping,
    windowMs: 100,
    maxSkewMs: 250,
  });
  assert.deepEqual([bounded.summary.dependencies, bounded.summary.unmatchedReceives], [2, 0]);
});

Deno.test("replay checks a receive whose message was never sent once it waited, unmatched, with its node's next lines", async () => {
  const mapping = parseMapping({ ...BASE, sends: "out", receives: "in" });
  const report = await replay(handoffLogs(1_005, "never-sent"), {
    specs: [lease],
    mapping,
    windowMs: 10,
  });
  assert.deepEqual([report.summary.dependencies, report.summary.unmatchedReceives], [1, 1]);
  assert.equal(report.summary.events, 5);
  assert.equal(report.summary.mapped, 5);
});

Deno.test("MessageTable forgets the oldest sends beyond its capacity, and a receive of a forgotten id is unmatched", () => {
  const t = new MessageTable(2);
  for (const [i, id] of ["a", "b", "c"].entries()) {
    t.send([id], { node: "n1", wall: i, logical: 0 });
  }
  assert.deepEqual(t.receive(["a"], "n2"), []);
  assert.deepEqual(t.receive(["b", "c"], "n2").map((d) => d.wall), [1, 2]);
  assert.equal(t.unmatched, 1);
  assert.deepEqual(t.receive(["c"], "n1"), [], "a node's own send orders nothing new");
  assert.throws(() => new MessageTable(0), /capacity must be a positive integer, got '0'/);
});

Deno.test("ReplayJudge gives a receipt a time after its send, and its node's next events after that, as a node's clock would", () => {
  const judge = new ReplayJudge({
    specs,
    files: ["a.log"],
    maxListed: 100,
    historySize: 32,
    globalChecks: true,
  });
  const times = new Map<string, [number, number][]>();
  const ingest = judge.collector.ingestColumns.bind(judge.collector);
  judge.collector.ingestColumns = (columns: WireColumns) => {
    const batch = columns.toBatch();
    const list = times.get(batch.node) ?? [];
    for (const e of batch.events) list.push([e.wall, e.logical]);
    times.set(batch.node, list);
    return ingest(columns);
  };
  const ex = new LineExtractor(parseMapping({ ...BASE, stamp: "got" }), specs, ["a.log"]);
  const lines = [
    // api-2's clock is 300 ms behind api-1's: its receipt's log time is before the send.
    line({ host: "api-1", ts: 1_300, event: "acquire" }),
    line({ host: "api-1", ts: 1_310, event: "release" }),
    line({ host: "api-2", ts: 1_011, event: "acquire", args: { c: 2 }, got: "10e-0@api-1" }),
    line({ host: "api-2", ts: 1_100, event: "release", args: { c: 2 } }),
    line({ host: "api-2", ts: 1_400, event: "acquire", args: { c: 2 } }),
  ];
  lines.forEach((l, i) => {
    const ev = ex.map(l, 0, i + 1);
    assert.ok(typeof ev === "object" && "wall" in ev);
    assert.equal(judge.process(ev), null);
  });
  judge.finish(1_400);
  assert.equal(parseInt("10e", 36), 1_310);
  assert.deepEqual(
    times.get("api-1"),
    [[1_300, 0], [1_310, 0]],
    "a node with no receipt keeps its times",
  );
  assert.deepEqual(times.get("api-2"), [[1_310, 1], [1_310, 2], [1_400, 0]]);
});
