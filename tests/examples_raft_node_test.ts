/**
 * The Raft example's node (`examples/raft-election/raft_node.ts`) once
 * stopped: a message already received, held for its simulated network
 * delay, must not step the monitor after `stop()`, when the node's batcher
 * is closed (`main.ts` closes it right after). Seen in `examples_test.ts`
 * with the run stalled (1.5 s frozen every 3 s): `raft-3` died on
 * "Batcher is closed" at shutdown, before printing its count. No NATS
 * here: the connection is a stand-in that hands over the subscription's
 * callback.
 */
import assert from "node:assert/strict";
import { RaftNode, type RaftNodeOptions } from "../examples/raft-election/raft_node.ts";
import type { ExampleNode } from "../examples/support/node.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { compile } from "../lib/mod.ts";

type Callback = (err: Error | null, msg: { data: Uint8Array }) => void;

/** `examples/raft-election/raft5.vigil` compiled once for this file (its directory removed at exit). */
const raftSpec = (async () => {
  const source = await Deno.readTextFile(`${ROOT}/examples/raft-election/raft5.vigil`);
  const compiled = await compile(source, { fileName: "raft5.vigil" });
  const dir = await Deno.makeTempDir({ prefix: "vigil-raft-node-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  for (const [file, bytes] of compiled.files) await Deno.writeFile(`${dir}/${file}`, bytes);
  return await loadSpec(`${dir}/raft5.js`);
})();

/** Options of node `id` of five, observing, with `rest`. */
function raftOptions(
  id: number,
  rest: Omit<RaftNodeOptions, "id" | "peers" | "prefix" | "mode">,
): RaftNodeOptions {
  return {
    id,
    peers: [1, 2, 3, 4, 5].filter((p) => p !== id),
    prefix: "raft",
    mode: "observe",
    ...rest,
  };
}

Deno.test("A Raft node stopped while a message is in its simulated delay steps nothing after stop (its batcher closed)", async () => {
  const spec = await raftSpec;
  const batcher = createBatcher(memoryTransport());
  let deliver: Callback | null = null;
  const published: string[] = [];
  const nc = {
    subscribe: (_subject: string, opts: { callback: Callback }) => {
      deliver = opts.callback;
      return { unsubscribe: () => {} };
    },
    publish: (subject: string) => void published.push(subject),
    flush: () => Promise.resolve(),
  };
  const node = { nc, spec, batcher } as unknown as ExampleNode;
  const raft = new RaftNode(
    node,
    raftOptions(3, {
      bug: false,
      timeoutMs: [60_000, 60_000],
      heartbeatMs: 1_000,
      latencyMs: [30, 30],
    }),
  );
  await raft.listen();
  raft.start();
  const stamp = spec.monitor({ node: "raft-1", key: "raft:cluster", mode: "observe" }).stamp();
  const message = { type: "requestVote", term: 1, from: 1, stamp };
  deliver!(null, { data: new TextEncoder().encode(JSON.stringify(message)) });
  raft.stop();
  await batcher.close();
  const errors: unknown[] = [];
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    errors.push(e.error);
  };
  globalThis.addEventListener("error", onError);
  try {
    await new Promise((r) => setTimeout(r, 100)); // past the 30 ms delay
  } finally {
    globalThis.removeEventListener("error", onError);
  }
  assert.deepEqual(errors.map(String), []);
  assert.deepEqual(published, [], "a stopped node answers nothing");
});

/** A message on the in-memory bus of {@link electWithBug}. */
interface Sent {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly type: string;
}

/**
 * Five Raft nodes with the bug as `run.ts` starts them (1 and 2 forced
 * candidates, 3 to 5 voters awaiting `awaitCandidates` requests), on an
 * in-memory bus. A loaded machine's stall first: 30 ms before anything is
 * delivered, 6 times every election timeout (5 ms). Then a hostile order,
 * with no timer in between: heartbeats before anything else, then the
 * newest message first (at most 400 deliveries). Returns the terms each
 * node led in.
 */
async function electWithBug(awaitCandidates: number): Promise<number[][]> {
  const queue: Sent[] = [];
  const subscribers = new Map<string, Callback>();
  const nodes: RaftNode[] = [];
  const batchers: ReturnType<typeof createBatcher>[] = [];
  try {
    const spec = await raftSpec;
    for (const id of [1, 2, 3, 4, 5]) {
      const nc = {
        subscribe: (subject: string, opts: { callback: Callback }) => {
          subscribers.set(subject, opts.callback);
          return { unsubscribe: () => void subscribers.delete(subject) };
        },
        publish: (subject: string, data: Uint8Array) => {
          const { type } = JSON.parse(new TextDecoder().decode(data)) as { type: string };
          queue.push({ subject, data, type });
        },
        flush: () => Promise.resolve(),
      };
      const batcher = createBatcher(memoryTransport());
      batchers.push(batcher);
      const raft = new RaftNode(
        { nc, spec, batcher } as unknown as ExampleNode,
        raftOptions(id, {
          bug: true,
          timeoutMs: [5, 5],
          heartbeatMs: 60_000,
          latencyMs: [0, 0],
          ...(id <= 2 ? { firstTimeoutMs: 1 } : { awaitCandidates }),
        }),
      );
      await raft.listen();
      nodes.push(raft);
    }
    for (const raft of nodes) raft.start();
    await new Promise((r) => setTimeout(r, 30));
    for (let n = 0; n < 400 && queue.length > 0; n++) {
      const beat = queue.findIndex((m) => m.type === "append");
      const [m] = queue.splice(beat >= 0 ? beat : queue.length - 1, 1);
      subscribers.get(m!.subject)?.(null, { data: m!.data });
    }
    // Read before any timer armed during the deliveries can fire.
    return nodes.map((raft) => [...raft.leaderTerms]);
  } finally {
    for (const raft of nodes) raft.stop();
    for (const b of batchers) await b.close();
  }
}

Deno.test("With the bug, both forced candidates lead term 1 after a stall and with heartbeats delivered before votes (voters await both requests)", async () => {
  const led = await electWithBug(2);
  assert.deepEqual(led, [[1], [1], [], [], []]);
  // Voters that arm their timeouts from the start stand during the stall: no two leaders in term 1.
  const racing = await electWithBug(0);
  assert.notDeepEqual(racing.slice(0, 2), [[1], [1]], JSON.stringify(racing));
});
