/**
 * A member's {@link LeaseKeeper} in a thread of its own, on a NATS
 * connection of its own (`worker.ts`, `node:worker_threads`:
 * Deno, Node and Bun), driven from the member's thread by messages. Its
 * timers and NATS answers do not wait behind the member's deliveries,
 * acknowledgements and saves: on a machine short of CPU, a member's thread
 * can be runnable but unscheduled for seconds while its queued work runs,
 * and a renewal timer in that thread then fires too late to keep a short
 * lease (measured: timers firing 0.9-2 s late while the process used a
 * quarter of that in CPU). The member's thread answers every renewal
 * period (`alive`); a keeper not answered for `maxStallMs` stops renewing,
 * so a hung member still loses its partitions.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import type { MemberRecord } from "../leases.ts";
import type { Keeper } from "./keeper.ts";
import { leaseClock } from "../lease_deadline.ts";

/**
 * What the thread is started with.
 *
 * @example Member c1 of cluster vigil
 * ```ts
 * import assert from "node:assert/strict";
 * import type { KeeperThreadData } from "./thread.ts";
 * const d: KeeperThreadData = {
 *   servers: "nats://127.0.0.1:4222", cluster: "vigil", id: "c1", replicas: 3, ttlMs: 3000,
 *   maxStallMs: 15000, since: 0, readyTimeoutMs: 20000,
 * };
 * assert.equal(d.id, "c1");
 * ```
 */
export interface KeeperThreadData {
  /** Comma-separated NATS servers. */
  readonly servers: string;
  readonly cluster: string;
  readonly id: string;
  readonly replicas: number;
  readonly ttlMs: number;
  readonly maxStallMs: number;
  /** When the member started (its registration's `since`), ms. */
  readonly since: number;
  /** How long the thread may take to connect and write the registration, ms. */
  readonly readyTimeoutMs: number;
  /** The member pauses a partition whose lease is uncertain (else such a lease is lost at once). */
  readonly pausesUncertain?: boolean;
}

/**
 * A message to the thread.
 *
 * @example Hold partition 3
 * ```ts
 * import assert from "node:assert/strict";
 * import type { KeeperRequest } from "./thread.ts";
 * const m: KeeperRequest = { t: "hold", partition: 3, revision: 7, sentAt: 0 };
 * assert.equal(m.t, "hold");
 * ```
 */
export type KeeperRequest =
  | { readonly t: "start"; readonly record: MemberRecord }
  | { readonly t: "record"; readonly record: MemberRecord }
  | { readonly t: "alive" }
  | {
    readonly t: "hold";
    readonly partition: number;
    readonly revision: number;
    /** When the write of `revision` was sent (`leaseClock()`, shared by the threads). */
    readonly sentAt: number;
  }
  | { readonly t: "forget"; readonly partition: number }
  | { readonly t: "release"; readonly partition: number; readonly n: number }
  | { readonly t: "stop" };

/**
 * A message from the thread.
 *
 * @example Partition 3 lost
 * ```ts
 * import assert from "node:assert/strict";
 * import type { KeeperReply } from "./thread.ts";
 * const m: KeeperReply = { t: "lost", partition: 3, why: "lease expired or taken" };
 * assert.equal(m.t, "lost");
 * ```
 */
export type KeeperReply =
  | { readonly t: "ready"; readonly ttlMs: number }
  | { readonly t: "failed"; readonly message: string }
  | { readonly t: "lost"; readonly partition: number; readonly why: string }
  | { readonly t: "renewed"; readonly ms: number }
  | { readonly t: "retried"; readonly partition: number; readonly waitedMs: number }
  | { readonly t: "slow"; readonly partition: number; readonly ms: number }
  | { readonly t: "uncertain"; readonly partition: number; readonly why: string }
  | { readonly t: "certain"; readonly partition: number; readonly ms: number }
  | {
    readonly t: "valid";
    readonly partition: number;
    readonly validFrom: number;
    /** The thread's `leaseClock()` when it posted this (checks the two threads' clocks). */
    readonly now: number;
  }
  | { readonly t: "log"; readonly line: string }
  | { readonly t: "released"; readonly n: number; readonly error: string | null }
  | { readonly t: "stopped" };

/**
 * Options of {@link startKeeperThread}.
 *
 * @example What the member passes
 * ```ts ignore
 * const keeper = await startKeeperThread(data, { onLost, onRenewed, onRetry, onSlow, log });
 * ```
 */
export interface KeeperThreadOptions {
  readonly onLost: (partition: number, why: string) => void;
  readonly onRenewed: (ms: number) => void;
  readonly onRetry?: (partition: number, waitedMs: number) => void;
  readonly onSlow?: (partition: number, ms: number) => void;
  /** See `LeaseKeeperOptions.onUncertain` (without it, such a lease is lost at once). */
  readonly onUncertain?: (partition: number, why: string) => void;
  readonly onCertain?: (partition: number, uncertainMs: number) => void;
  /** See `LeaseKeeperOptions.onValid` (`validFrom` on `leaseClock`, shared by the threads). */
  readonly onValid?: (partition: number, validFrom: number) => void;
  readonly log: (line: string) => void;
}

/** The thread's module beside this one: `.ts` in the sources, `.js` in the npm package. */
function workerModule(): URL {
  const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
  return new URL(`./worker.${ext}`, import.meta.url);
}

/**
 * Starts the keeper's thread and waits until it is connected.
 *
 * @throws {Error} When the thread cannot start, connect or open the bucket in time.
 *
 * @example Start it for member c1
 * ```ts ignore
 * import { startKeeperThread } from "./thread.ts";
 * const keeper = await startKeeperThread(
 *   { servers: "nats://127.0.0.1:4222", cluster: "vigil", id: "c1", replicas: 1, ttlMs: 3000, maxStallMs: 15000, since: 0, readyTimeoutMs: 20000 },
 *   { onLost: (p) => console.log(p), onRenewed: () => {}, log: console.error },
 * );
 * await keeper.stop();
 * ```
 */
export async function startKeeperThread(
  data: KeeperThreadData,
  options: KeeperThreadOptions,
): Promise<Keeper> {
  const worker = new Worker(workerModule(), {
    workerData: { ...data, pausesUncertain: options.onUncertain !== undefined },
  });
  const releases = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let stopped: (() => void) | null = null;
  /** How far the keeper's thread's clock was seen ahead of this one's, ms (see "valid"). */
  let ahead = 0;
  let ready: ((ok: string | null) => void) | null = null;
  worker.on("message", (m: KeeperReply) => {
    switch (m.t) {
      case "ready":
        ready?.(null);
        break;
      case "failed":
        ready?.(m.message);
        break;
      case "lost":
        options.onLost(m.partition, m.why);
        break;
      case "renewed":
        options.onRenewed(m.ms);
        break;
      case "retried":
        options.onRetry?.(m.partition, m.waitedMs);
        break;
      case "slow":
        options.onSlow?.(m.partition, m.ms);
        break;
      case "uncertain":
        options.onUncertain?.(m.partition, m.why);
        break;
      case "certain":
        options.onCertain?.(m.partition, m.ms);
        break;
      case "valid":
        // A reply is posted before it is read: its `now` past this thread's clock means the keeper's
        // clock is ahead (the wall clock stepped forward between the two threads' starts). Its
        // bounds are taken back by the most it was seen ahead, so a deadline is never later.
        ahead = Math.max(ahead, m.now - leaseClock());
        options.onValid?.(m.partition, m.validFrom - ahead);
        break;
      case "log":
        options.log(m.line);
        break;
      case "released": {
        const r = releases.get(m.n);
        releases.delete(m.n);
        if (m.error === null) r?.resolve();
        else r?.reject(new Error(m.error));
        break;
      }
      case "stopped":
        stopped?.();
        break;
    }
  });
  worker.on("error", (e: Error) => {
    ready?.(e.message);
    for (const r of releases.values()) r.reject(e);
    releases.clear();
    options.log(`vigil cluster: ${data.id} lease thread failed: ${e.message}`);
  });
  // The thread's own bound, and a little more for it to say so.
  const timeoutMs = data.readyTimeoutMs + 5_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failure = await new Promise<string | null>((resolve) => {
    ready = resolve;
    timer = setTimeout(() => resolve(`not connected within ${timeoutMs} ms`), timeoutMs);
  }).finally(() => {
    clearTimeout(timer);
    ready = null;
  });
  if (failure !== null) {
    await worker.terminate();
    throw new Error(`Lease thread of '${data.id}' did not start: ${failure}`);
  }
  const post = (m: KeeperRequest) => worker.postMessage(m);
  const period = Math.max(100, data.ttlMs / 4);
  const aliveTimer = setInterval(() => post({ t: "alive" }), period);
  let n = 0;
  return {
    start: (record) => post({ t: "start", record }),
    setRecord: (record) => post({ t: "record", record }),
    hold: (partition, revision, sentAt) =>
      post({ t: "hold", partition, revision, sentAt: sentAt ?? leaseClock() }),
    forget: (partition) => post({ t: "forget", partition }),
    release: (partition) =>
      new Promise<void>((resolve, reject) => {
        const k = n++;
        releases.set(k, { resolve, reject });
        post({ t: "release", partition, n: k });
      }),
    async stop() {
      clearInterval(aliveTimer);
      let t: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        stopped = resolve;
        t = setTimeout(resolve, 5_000);
        post({ t: "stop" });
      }).finally(() => clearTimeout(t));
      await worker.terminate();
      // Releases the thread did not answer before it ended are settled, not left pending.
      for (const r of releases.values()) r.reject(new Error("lease keeper stopped"));
      releases.clear();
    },
  };
}
