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
import { RaftNode } from "../examples/raft-election/raft_node.ts";
import type { ExampleNode } from "../examples/support/node.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { compile } from "../lib/mod.ts";

type Callback = (err: Error | null, msg: { data: Uint8Array }) => void;

Deno.test("A Raft node stopped while a message is in its simulated delay steps nothing after stop (its batcher closed)", async () => {
  const source = await Deno.readTextFile(`${ROOT}/examples/raft-election/raft5.vigil`);
  const compiled = await compile(source, { fileName: "raft5.vigil" });
  const dir = await Deno.makeTempDir({ prefix: "vigil-raft-node-" });
  try {
    for (const [file, bytes] of compiled.files) await Deno.writeFile(`${dir}/${file}`, bytes);
    const spec = await loadSpec(`${dir}/raft5.js`);
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
    const raft = new RaftNode(node, {
      id: 3,
      peers: [1, 2, 4, 5],
      prefix: "raft",
      bug: false,
      mode: "observe",
      timeoutMs: [60_000, 60_000],
      heartbeatMs: 1_000,
      latencyMs: [30, 30],
    });
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
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
