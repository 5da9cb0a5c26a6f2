/**
 * The thread of a member's {@link LeaseKeeper} (`node:worker_threads`, so
 * it runs on Deno, Node and Bun; started by `thread.ts`): it
 * connects to NATS on its own, opens the cluster bucket and renews the
 * member's registration and leases as the member's thread tells it
 * (`hold`, `forget`, `release`, `record`, `alive`), reporting back each
 * lease lost, each renewal's round trip and its log lines.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { connectNats } from "../../ingest/nats.ts";
import { openClusterBucket, registerFirst } from "../leases.ts";
import { LeaseKeeper } from "./keeper.ts";
import { leaseClock } from "../lease_deadline.ts";
import type { KeeperReply, KeeperRequest, KeeperThreadData } from "./thread.ts";

const data = workerData as KeeperThreadData;
const port = parentPort!;
const reply = (m: KeeperReply) => port.postMessage(m);

try {
  const nc = await connectNats(data.servers);
  const bucket = await openClusterBucket(nc, {
    cluster: data.cluster,
    replicas: data.replicas,
    ttlMs: data.ttlMs,
  });
  // A bucket just created refuses writes through a server that has not yet taken its assignment
  // (for up to a second or so): write the registration until it is accepted before saying ready
  // (a compare-and-set on the revision read, as every later write: `registerFirst`).
  const until = Date.now() + data.readyTimeoutMs;
  for (let attempt = 0;; attempt++) {
    try {
      await registerFirst(bucket, { id: data.id, url: "", owned: [], since: data.since });
      break;
    } catch (e) {
      if (Date.now() >= until) throw e;
      await new Promise((r) => setTimeout(r, 250 * 2 ** Math.min(attempt, 3)));
    }
  }
  const keeper = new LeaseKeeper(bucket, {
    id: data.id,
    maxStallMs: data.maxStallMs,
    onLost: (partition, why) => reply({ t: "lost", partition, why }),
    onRenewed: (ms) => reply({ t: "renewed", ms }),
    onRetry: (partition, waitedMs) => reply({ t: "retried", partition, waitedMs }),
    onSlow: (partition, ms) => reply({ t: "slow", partition, ms }),
    onValid: (partition, validFrom) =>
      reply({ t: "valid", partition, validFrom, now: leaseClock() }),
    ...(data.pausesUncertain === true
      ? {
        onUncertain: (partition: number, why: string) => reply({ t: "uncertain", partition, why }),
        onCertain: (partition: number, ms: number) => reply({ t: "certain", partition, ms }),
      }
      : {}),
    log: (line) => reply({ t: "log", line }),
  });
  port.on("message", (m: KeeperRequest) => {
    switch (m.t) {
      case "start":
        keeper.start(m.record);
        break;
      case "record":
        keeper.setRecord(m.record);
        break;
      case "alive":
        keeper.alive();
        break;
      case "hold":
        keeper.hold(m.partition, m.revision, m.sentAt);
        break;
      case "forget":
        keeper.forget(m.partition);
        break;
      case "release":
        keeper.release(m.partition).then(
          () => reply({ t: "released", n: m.n, error: null }),
          (e) => reply({ t: "released", n: m.n, error: String((e as Error)?.message ?? e) }),
        );
        break;
      case "stop":
        void keeper.stop();
        // The member's thread terminates this thread once told it stopped.
        nc.close().finally(() => reply({ t: "stopped" }));
        break;
    }
  });
  reply({ t: "ready", ttlMs: bucket.ttlMs });
} catch (e) {
  reply({ t: "failed", message: String((e as Error)?.message ?? e) });
}
