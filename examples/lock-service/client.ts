/**
 * A lock client: asks for the `lock:orders` lease, writes to the protected
 * resource with its fencing token while it holds the lease, releases it,
 * and starts again, until told to stop.
 *
 * Its monitor (key `lock:orders`, node `client-<id>`) says whether THIS
 * client believes it holds the lease: `acquire(c)` after a grant arrives,
 * `release(c)` before the release is sent. All clients' monitors share the
 * key, so the collector's `global invariant OneHolder` reads "no two
 * clients believe they hold the lease at once". Every request carries the
 * monitor's HLC stamp and every reply's stamp is observed, so a release is
 * ordered before the grant that follows it even across skewed clocks.
 *
 * @module
 */
import type { ExampleNode } from "../support/node.ts";
import { sleep } from "../support/node.ts";
import {
  type AcquireReply,
  decode,
  encode,
  LEASE_KEY,
  type OkReply,
  type TokenRequest,
} from "./protocol.ts";

/** Options of {@link runClient}. */
export interface ClientOptions {
  readonly prefix: string;
  /** Client id, 1..3 (the spec's `Client` type is `0..3`, 0 meaning nobody). */
  readonly id: number;
  /** How long a client keeps the lease, ms (a random value up to twice this). */
  readonly holdMs: number;
  /** Print each grant. */
  readonly verbose: boolean;
}

/** Counters the client prints at the end. */
export interface ClientStats {
  grants: number;
  denied: number;
  writes: number;
  fenced: number;
}

const random = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));

/**
 * Runs the acquire / write / release loop until `life.stopping`.
 *
 * @example Run client 1
 * ```ts ignore
 * await runClient(node, life, { prefix: "lock.orders", id: 1, holdMs: 100, verbose: true });
 * ```
 */
export async function runClient(
  node: ExampleNode,
  life: { readonly stopping: boolean },
  options: ClientOptions,
): Promise<ClientStats> {
  const stats: ClientStats = { grants: 0, denied: 0, writes: 0, fenced: 0 };
  const c = options.id;
  const name = `client-${c}`;
  const m = node.spec.monitor({ node: name, key: LEASE_KEY, mode: "observe", sink: node.batcher });
  const request = async <T>(what: string, body: object): Promise<T> => {
    const msg = await node.nc.request(`${options.prefix}.${what}`, encode(body), {
      timeout: 1_000,
    });
    const reply = decode<T & { stamp: string }>(msg.data);
    m.observe(reply.stamp);
    return reply;
  };

  while (!life.stopping) {
    const sentAt = Date.now();
    let reply: AcquireReply;
    try {
      reply = await request<AcquireReply>("acquire", { client: c, stamp: m.stamp() });
    } catch {
      await sleep(200); // no server yet, or a timeout: ask again
      continue;
    }
    if (!reply.granted || reply.token === undefined) {
      stats.denied++;
      await sleep(random(5, 30));
      continue;
    }
    m.step("acquire", { c });
    stats.grants++;
    if (options.verbose) console.log(`holds the lease (token ${reply.token})`);
    await holdAndWrite(reply.token, sentAt + (reply.ttlMs ?? 0));
    // Release in this client's view first and ship that event, so the
    // collector has it before any later grant; only then tell the server.
    m.step("release", { c });
    await node.batcher.flush();
    await request<OkReply>("release", { client: c, token: reply.token, stamp: m.stamp() })
      .catch(() => {});
    await sleep(random(5, 30));
  }
  return stats;

  async function holdAndWrite(token: number, deadline: number): Promise<void> {
    const until = Math.min(Date.now() + random(options.holdMs, 2 * options.holdMs), deadline - 100);
    do {
      const body: TokenRequest = { client: c, token, value: stats.writes, stamp: m.stamp() };
      const res = await request<OkReply>("write", body).catch(() => null);
      if (res?.ok === true) stats.writes++;
      else if (res !== null) {
        stats.fenced++;
        if (stats.fenced <= 3) console.log(`write fenced off: ${res.reason}`);
      }
      await sleep(random(20, 40));
    } while (Date.now() < until && !life.stopping);
  }
}
