/**
 * The lock server: grants the `lock:orders` lease to one client at a time
 * with a fencing token and a time to live, and guards the protected
 * resource (`write`) by rejecting tokens older than the newest it saw.
 *
 * Its own monitor (key `lock:orders#server`, node `lock-server`) follows
 * the grant table: `acquire(c)` when it grants, `release(c)` when a lease
 * ends. In observe mode (default) it reports the actual table with every
 * step, so a grant the spec forbids is recorded as a local `guard_failed`
 * verdict and the monitor keeps following the real state; in enforce mode
 * (`--enforce`) the monitor refuses the grant before it happens.
 *
 * The bug (`--bug`): the check "is the lease free?" and the grant are
 * separated by an `await` (a simulated durable write), so two requests that
 * arrive together both see it free and both are granted.
 *
 * @module
 */
import { GuardError, type MonitorMode } from "@vigil/vigil";
import type { ExampleNode } from "../support/node.ts";
import { sleep } from "../support/node.ts";
import {
  type AcquireReply,
  type AcquireRequest,
  decode,
  encode,
  type OkReply,
  SERVER_KEY,
  type TokenRequest,
} from "./protocol.ts";

/** Options of {@link runServer}. */
export interface ServerOptions {
  readonly prefix: string;
  readonly bug: boolean;
  readonly mode: MonitorMode;
  /** Lease time to live. */
  readonly ttlMs: number;
  /** Simulated durable write of a grant. */
  readonly persistMs: number;
}

/** Counters the server prints at the end. */
export interface ServerStats {
  grants: number;
  refused: number;
  refusedByMonitor: number;
  expired: number;
  writes: number;
  staleWrites: number;
}

/** The server's lease table. */
class LeaseTable {
  holder = 0;
  token = 0;
  expiresAt = 0;
  highestWritten = 0;
}

/**
 * Serves acquire, release and write until `stopped` resolves, then stops
 * taking requests and returns once the requests already being handled
 * have stepped the monitor and been answered (so the batcher may be
 * closed then).
 *
 * @example Serve on the default subjects
 * ```ts ignore
 * await runServer(node, life.stopped, { prefix: "lock.orders", bug: false, mode: "observe", ttlMs: 2000, persistMs: 20 });
 * ```
 */
export async function runServer(
  node: ExampleNode,
  stopped: Promise<string>,
  options: ServerOptions,
): Promise<ServerStats> {
  const stats: ServerStats = {
    grants: 0,
    refused: 0,
    refusedByMonitor: 0,
    expired: 0,
    writes: 0,
    staleWrites: 0,
  };
  let logged = 0;
  const m = node.spec.monitor({
    node: "lock-server",
    key: SERVER_KEY,
    mode: options.mode,
    sink: node.batcher,
    onViolation: (v) => {
      if (logged++ < 5) {
        console.log(
          `monitor: ${v.action} ${v.verdict.kind}: ${v.verdict.detail} (spec line ${v.verdict.line})`,
        );
      }
    },
  });
  const table = new LeaseTable();
  const running = new Set<Promise<void>>();
  const subs = [
    serve(node, `${options.prefix}.acquire`, running, (r: AcquireRequest) => acquire(r)),
    serve(node, `${options.prefix}.release`, running, (r: TokenRequest) => release(r)),
    serve(node, `${options.prefix}.write`, running, (r: TokenRequest) => write(r)),
  ];
  console.log(
    `lock server on '${options.prefix}.*' (${
      options.bug ? "BUGGY: check and grant race" : "correct"
    }, monitor ${options.mode})`,
  );

  /** Steps the monitor; false when an enforcing monitor refused the transition. */
  function record(action: "acquire" | "release", c: number, observedMode: "held" | "free") {
    try {
      const observed = { mode: observedMode, owner: c };
      m.step(action, { c }, options.mode === "observe" ? { observed } : {});
      return true;
    } catch (e) {
      if (e instanceof GuardError) return false;
      throw e;
    }
  }

  function expire(): void {
    if (table.holder !== 0 && Date.now() > table.expiresAt) {
      record("release", table.holder, "free");
      console.log(`lease of client-${table.holder} expired (token ${table.token})`);
      table.holder = 0;
      stats.expired++;
    }
  }

  async function acquire(r: AcquireRequest): Promise<AcquireReply> {
    m.observe(r.stamp);
    expire();
    if (table.holder !== 0) {
      stats.refused++;
      return { granted: false, holder: table.holder, stamp: m.stamp() };
    }
    if (options.bug) await sleep(options.persistMs); // BUG: the lease may be granted meanwhile
    if (!record("acquire", r.client, "held")) {
      stats.refusedByMonitor++;
      return { granted: false, holder: table.holder, stamp: m.stamp() };
    }
    table.holder = r.client;
    table.token++;
    table.expiresAt = Date.now() + options.ttlMs;
    stats.grants++;
    const token = table.token;
    if (!options.bug) await sleep(options.persistMs); // the table changed before the await
    return { granted: true, token, ttlMs: options.ttlMs, stamp: m.stamp() };
  }

  function release(r: TokenRequest): OkReply {
    m.observe(r.stamp);
    if (table.holder !== r.client || table.token !== r.token) {
      return { ok: false, reason: "not the holder", stamp: m.stamp() };
    }
    record("release", r.client, "free");
    table.holder = 0;
    return { ok: true, stamp: m.stamp() };
  }

  function write(r: TokenRequest): OkReply {
    m.observe(r.stamp);
    if (r.token < table.highestWritten) {
      stats.staleWrites++;
      return {
        ok: false,
        reason: `stale token ${r.token} < ${table.highestWritten}`,
        stamp: m.stamp(),
      };
    }
    table.highestWritten = r.token;
    stats.writes++;
    return { ok: true, stamp: m.stamp() };
  }

  await stopped;
  // Stop taking requests, then let the ones already running finish: they
  // step the monitor, and the caller closes the batcher once this returns.
  for (const s of subs) s.unsubscribe();
  await Promise.all(running);
  return stats;
}

/**
 * Subscribes `subject`, answering each request with `handle`'s result.
 * Each request's handling is in `running` until it ends (it never rejects:
 * a failure is logged).
 */
function serve<Req, Res>(
  node: ExampleNode,
  subject: string,
  running: Set<Promise<void>>,
  handle: (req: Req) => Res | Promise<Res>,
): { unsubscribe(): void } {
  return node.nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err !== null) return;
      const handling = (async () => {
        const res = await handle(decode<Req>(msg.data));
        msg.respond(encode(res));
      })().catch((e) => console.error(`handler of '${subject}' failed: ${e}`))
        .finally(() => running.delete(handling));
      running.add(handling);
    },
  });
}
