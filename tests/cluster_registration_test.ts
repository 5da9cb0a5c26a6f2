/**
 * A member's first registration write is a compare-and-set like every
 * later one (`registerFirst`, `edge/cluster/leases.ts`), on a real
 * nats-server: the member's connection goes through a proxy
 * (`cluster_holding_proxy.ts`) that holds its first write of its
 * registration 7 s, past the client's 5 s timeout. The member retries (its
 * set-up loop), registers, starts its keeper and sets its URL; then the held
 * write reaches the server. As a plain put it would store the record it
 * carried (no URL, no partitions) over the newer one with the URL: peers
 * forwarding to the member would find no URL until the keeper's next round.
 * As a compare-and-set on the revision read before it, it is refused. A
 * watcher sees every stored version of the record: none after the first with
 * the URL may lack it. Twice: with the keeper in the member's thread, and in a
 * thread of its own (`leaseServers`, through the proxy too), whose first
 * write, the one held, comes before the member's.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { startClusterNode } from "../edge/cluster/cluster_node.ts";
import { type MemberRecord, openClusterBucket } from "../edge/cluster/leases.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startHoldingProxy } from "./cluster_holding_proxy.ts";

const HOLD_MS = 7_000;

for (const thread of [false, true]) {
  Deno.test({
    name: `A member's first registration write (${
      thread ? "its keeper thread's" : "its own thread's"
    }), held past its timeout and retried, lands refused: the stored record never goes back to one without the member's URL`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => scenario(thread),
  });
}

/** With `thread`, the keeper runs in its thread, whose own first write (through the proxy) is held. */
async function scenario(thread: boolean): Promise<void> {
  {
    const server = await startNatsServer();
    const proxy = await startHoldingProxy(server.port);
    const watching = await connect({ servers: server.url });
    const nc = await connect({ servers: proxy.url });
    const lines: string[] = [];
    let node: Awaited<ReturnType<typeof startClusterNode>> | null = null;
    try {
      await openClusterBucket(watching, { cluster: "reg", replicas: 1, ttlMs: 2000 });
      const kv = await new Kvm(watching).open("VIGIL_CLUSTER");
      const seen: { revision: number; url: string | null }[] = [];
      const watch = await kv.watch({ key: "member.reg.a" });
      void (async () => {
        for await (const e of watch) {
          seen.push({
            revision: e.revision,
            url: e.operation === "PUT" ? e.json<MemberRecord>().url : null,
          });
        }
      })();
      proxy.hold({ subject: "$KV.VIGIL_CLUSTER.member.reg.a", count: 1, ms: HOLD_MS });
      const url = "http://127.0.0.1:9/";
      node = await startClusterNode(nc, {
        cluster: "reg",
        instance: "a",
        partitions: 1,
        core: { specs: [await loadCompiled(`${ROOT}dist/lease.core.wasm`)], windowMs: 20 },
        replicas: 1,
        ttlMs: 2000,
        log: (l) => lines.push(l),
        ...(thread ? { leaseServers: proxy.url } : {}),
      });
      assert.equal(proxy.held.length, 1, "the first registration write was held");
      if (!thread) {
        assert.ok(
          lines.some((l) => /a waiting for writes to the KV bucket 'VIGIL_CLUSTER'/.test(l)),
          `the member retried its first registration:\n${lines.join("\n")}`,
        );
      }
      node.setUrl(url);
      await waitFor(() => seen.some((s) => s.url === url), {
        timeoutMs: 10_000,
        what: "the record with the URL stored",
      });
      await waitFor(() => proxy.released === 1, {
        timeoutMs: HOLD_MS + 5_000,
        what: "the held write sent to the server",
      });
      // Less than a renewal period (500 ms): a regression would not yet be written over.
      await new Promise((r) => setTimeout(r, 300));
      const first = seen.findIndex((s) => s.url === url);
      const after = seen.slice(first);
      assert.deepEqual(
        after.filter((s) => s.url !== url),
        [],
        `every version after the first with the URL keeps it: ${JSON.stringify(seen)}`,
      );
      watch.stop();
    } finally {
      await node?.stop().catch(() => {});
      await nc.close();
      await watching.close();
      await proxy.stop();
      await server.stop();
    }
  }
}
