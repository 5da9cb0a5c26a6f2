/**
 * `vigil demo` as a newcomer runs it, in a subprocess on a free loopback
 * port: the embedded default raises `OneHolder` after the injected split
 * brain, as a causal `definitely` verdict naming the two racing holders
 * (printed with its counterexample and served by the JSON API) and
 * stops cleanly on Ctrl-C; `--no-bug` raises nothing and ends on its own
 * after `--duration`; `--nats` does the same with one process per node
 * over a real nats-server (JetStream).
 */
import assert from "node:assert/strict";
import type { NodeInfo, Violation } from "../edge/mod.ts";
import { startDemo } from "./demo_process.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { specSource } from "../tools/harness/spec_files.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

const ONE_HOLDER_LINE = specSource("lease").split("\n")
  .findIndex((l) => l.includes("global invariant OneHolder")) + 1;

/** Asserts the printed alert and the API's violation agree and name the invariant, its line and both holders. */
function assertSplitBrain(output: string, vs: readonly Violation[]): void {
  assert.equal(vs.length, 1, JSON.stringify(vs.map((v) => v.message)));
  const v = vs[0]!;
  assert.equal(v.property.name, "OneHolder");
  assert.equal(v.property.line, ONE_HOLDER_LINE);
  assert.equal(v.partition, "lock:orders");
  assert.equal(v.nodes.length, 2);
  const held = v.cut.filter((c) => c.state.mode === "held").map((c) => c.node).sort();
  assert.deepEqual(held, [...v.nodes].sort());
  const [a, b] = v.nodes;
  assert.match(
    output,
    new RegExp(`ALERT +global invariant OneHolder violated in 'lock:orders' by ${a}, ${b}`),
  );
  assert.ok(output.includes(`specs/lease.vigil:${ONE_HOLDER_LINE}:`), output);
  assert.ok(output.includes("forall a, b in nodes: a.mode == held"), "the spec line is printed");
  for (const node of v.nodes) {
    assert.match(output, new RegExp(`\\* ${node} +seq \\d+ +hlc [0-9:.]+\\+\\d+ +mode=held`));
  }
  // Causal verdicts: the two holds are concurrent (the race's second grant passes on no release),
  // the holds last 3S + window (2 s embedded, 2.5 s over NATS: `raceWorkMs`), beyond 2S = 1 s, so
  // every ordering passes through the double hold, and they end before the collector's raise
  // point (4S + 2 windows after the detection), after which ends count as unknown.
  assert.equal(v.causal?.verdict, "definitely");
  assert.match(output, /causal verdict: definitely violated .*clocks within 500 ms/);
  assert.match(
    output,
    /space-time diagram: http:\/\/127\.0\.0\.1:\d+\/api\/violations\/.+\/diagram\.svg/,
  );
  assert.match(output, /events around the violating cut/);
  for (const node of v.nodes) {
    assert.match(
      output,
      new RegExp(`> ${node} +#\\d+ +acquire +hlc `),
      `${node} starts its hold in the cut`,
    );
  }
}

async function splitBrainRun(extra: readonly string[]): Promise<void> {
  const demo = await startDemo(["--bug-after", "0s", ...extra]);
  let code: number;
  try {
    await demo.waitFor(/see it live on the dashboard/, 90_000);
    const vs = await demo.json<Violation[]>("api/violations");
    assertSplitBrain(demo.output(), vs);
    const nodes = await demo.json<NodeInfo[]>("api/nodes");
    assert.deepEqual(nodes.map((n) => n.node).sort(), ["node-1", "node-2", "node-3"]);
  } finally {
    code = await demo.stop("SIGINT");
  }
  assert.equal(code, 0, demo.output());
  // Nothing on standard error: a save that failed at the stop (the NATS connection closed before
  // the last acks) printed there and still exited 0.
  assert.doesNotMatch(demo.output(), /--- stderr/);
  assert.match(demo.output(), /stopping \(Ctrl-C\)/);
  assert.match(demo.output(), /1 violation\(s\) \(OneHolder in 'lock:orders'\)/);
}

Deno.test({
  name: "vigil demo (embedded) prints the OneHolder alert with its counterexample and serves it",
  ...opts,
  fn: () => splitBrainRun([]),
});

Deno.test({
  name: "vigil demo --no-bug raises no violation and ends on its own after --duration 5 (seconds)",
  ...opts,
  fn: async () => {
    // A bare number is seconds: a run of 5 ms would end before the nodes' first events.
    const demo = await startDemo(["--no-bug", "--duration", "5"]);
    try {
      await demo.waitFor(/\[ *[1-9][0-9.]*s\] [0-9,]+ events\/s · [1-9][0-9,]* events · 3 nodes/);
      const nodes = await demo.json<NodeInfo[]>("api/nodes");
      assert.equal(nodes.length, 3);
      assert.deepEqual(await demo.json<Violation[]>("api/violations"), []);
      assert.equal(await demo.exited(30_000), 0, demo.output());
    } finally {
      await demo.stop("SIGKILL");
    }
    assert.match(demo.output(), /stopping \(5 s\)/);
    assert.match(demo.output(), /over 6 partitions, 0 violation\(s\)/);
    assert.doesNotMatch(demo.output(), /ALERT/);
  },
});

Deno.test({
  name: "vigil demo --nats runs each node as a process over JetStream and alerts OneHolder",
  ...opts,
  fn: async () => {
    const nats = await startNatsServer();
    try {
      await splitBrainRun(["--nats", nats.url]);
    } finally {
      await nats.stop();
    }
  },
});
