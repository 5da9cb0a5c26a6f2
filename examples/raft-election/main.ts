/**
 * One node of the five-node Raft election: `--id 1..5`.
 *
 * ```sh
 * deno task vigil compile examples/raft-election/raft5.vigil --out dist/
 * deno task vigil collector --spec dist/raft5.js --nats nats://127.0.0.1:4222 --kv none
 * for i in 1 2 3 4 5; do deno run -A examples/raft-election/main.ts --id $i & done
 * ```
 *
 * `run.ts` starts all of it for you. Each node prints
 * `done: sent <n> events` when it stops (SIGINT/SIGTERM, a `stop` line on
 * stdin, or `--duration`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { lifecycle, NODE_FLAGS, openNode } from "../support/node.ts";
import { RaftNode } from "./raft_node.ts";

const HELP = `Usage: deno run -A examples/raft-election/main.ts --id 1..5 [options]

  --id n              node id, 1..5
  --nats url          NATS server (default nats://127.0.0.1:4222)
  --spec file         compiled RaftFive bindings (default dist/raft5.js)
  --stream s          JetStream stream for events (default VIGIL_EVENTS)
  --subject s         event subject (default vigil.events.RaftFive)
  --prefix p          message subjects prefix (default raft)
  --bug               grant a second vote in the same term
  --enforce           the node's monitor refuses what the spec forbids
  --first-timeout ms  first election timeout (default: random, like the others)
  --await-candidates n  arm no election timeout before n candidates asked for a vote
                      (run.ts: the voters of a run with --bug)
  --duration ms       stop after this long (default: run until Ctrl-C)
  --wait-go           start on a 'go' line on stdin (used by run.ts)`;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    ...NODE_FLAGS,
    id: { type: "string" },
    spec: { type: "string", default: "dist/raft5.js" },
    prefix: { type: "string", default: "raft" },
    "first-timeout": { type: "string" },
    "await-candidates": { type: "string" },
  },
});

const id = Number(flags.id);
const awaitCandidates = Number(flags["await-candidates"] ?? 0);
if (
  flags.help || !(Number.isInteger(id) && id >= 1 && id <= 5) ||
  !(Number.isInteger(awaitCandidates) && awaitCandidates >= 0 && awaitCandidates <= 4)
) {
  console.log(HELP);
  Deno.exit(flags.help ? 0 : 2);
}
const name = `raft-${id}`;
const { nats, spec, stream, subject } = flags;
const node = await openNode({ name, nats, spec, stream, subject });
const raft = new RaftNode(node, {
  id,
  peers: [1, 2, 3, 4, 5].filter((p) => p !== id),
  prefix: flags.prefix,
  bug: flags.bug,
  mode: flags.enforce ? "enforce" : "observe",
  timeoutMs: [1_000, 2_000],
  heartbeatMs: 150,
  latencyMs: [30, 80],
  ...(flags["first-timeout"] === undefined
    ? {}
    : { firstTimeoutMs: Number(flags["first-timeout"]) }),
  awaitCandidates,
});
await raft.listen();
const life = lifecycle({ waitGo: flags["wait-go"], durationMs: Number(flags.duration) });
console.log(`${name} ready${flags.bug ? " (BUGGY: may vote twice in a term)" : ""}`);
await life.started;
raft.start();
await life.stopped;
raft.stop();
const sent = await node.close();
const led = raft.leaderTerms.length === 0 ? "never leader" : `leader in term ${raft.leaderTerms}`;
console.log(`${led}`);
console.log(`done: sent ${sent} events`);
Deno.exit(0);
