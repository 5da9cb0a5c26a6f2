/**
 * The demo's lock service, independent of how messages travel: a lock
 * server granting leases with fencing tokens (and a fenced store that
 * refuses writes carrying an older token), and the client loop of one node
 * for one lock. Every message carries the sender's hybrid logical clock
 * stamp and every receipt observes it. A grant also carries the stamps of
 * the releases it follows (every release since the lock's previous grant,
 * passed through the server), so the new holder's `acquire` depends on the
 * previous holders' `release`: the collector knows the handoff happened
 * before, whatever the nodes' wall clocks say, and its causal verdicts
 * (`docs/causality.md`) see no overlap where there was none. The server has
 * no monitor: without the passed-on stamps the collector would see two holds
 * of nodes it cannot order.
 *
 * The injected bug: {@link LockServer.injectRace} makes the server's next
 * two grants of one lock both succeed, as a check-then-set race would; the
 * two clients then hold the lease together for a long piece of work. The
 * server counts both grants: the lock is free again once both racers
 * released it, and the next grant passes on both releases, so the injected
 * bug is one split-brain episode (a lock freed by one racer while the other
 * still works would make a second one, and a release not passed on leaves
 * that racer's hold unordered with the next holder's, to the collector).
 *
 * @module
 */
import { ClockDriftError, GuardError } from "../../mod.ts";
import type { HlcStamp, HybridClock, Monitor } from "../../mod.ts";

/** A request to the lock server. */
export type LockRequest =
  | {
    readonly op: "acquire";
    readonly lock: string;
    readonly client: number;
    readonly stamp: HlcStamp;
  }
  | {
    readonly op: "release" | "write";
    readonly lock: string;
    readonly client: number;
    readonly token: number;
    readonly stamp: HlcStamp;
  };

/** The lock server's answer. */
export interface LockReply {
  /** acquire: granted; write: accepted by the fenced store; release: true. */
  readonly ok: boolean;
  /** acquire: the fencing token of the grant. */
  readonly token: number;
  /** acquire: how long the client's work under the lease takes, ms (the simulation's pace). */
  readonly workMs: number;
  readonly stamp: HlcStamp;
  /** acquire, granted: the stamps of the releases since the lock's previous grant (none for its first). */
  readonly after?: readonly HlcStamp[];
}

/** Sends a request and resolves with the reply (in memory or over NATS request/reply). */
export type LockLink = (request: LockRequest) => Promise<LockReply>;

/** Counters of the lock server. */
export interface LockServerStats {
  readonly grants: number;
  readonly denied: number;
  readonly writes: number;
  /** Writes the fenced store refused because a newer token had written. */
  readonly fenced: number;
}

/** Options of {@link LockServer}. */
export interface LockServerOptions {
  /** The server's clock (skewed on purpose in the demo). */
  readonly clock: HybridClock;
  /** Normal work under a lease, ms: `[min, max]`. Default `[2, 8]`. */
  readonly workMs?: readonly [number, number];
  /**
   * Work of the two racing holders, ms. Default 2500 (longer than any clock skew); the demo passes
   * `raceWorkMs` of its collector's window (`cluster.ts`).
   */
  readonly raceWorkMs?: number;
  /** Told what the server does that matters (the race). */
  readonly onNote?: (text: string) => void;
  /** Random numbers in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

interface LockState {
  /** The clients holding the lock, with their grant's token: one, or two after the race. */
  holders: Map<number, number>;
  token: number;
  written: number;
  /** The stamps of the releases since the last grant (the next grant passes them on). */
  released: HlcStamp[];
}

/** The lock server (one node of the service; it has a clock but no monitor). */
export class LockServer {
  readonly #locks = new Map<string, LockState>();
  readonly #o: LockServerOptions;
  readonly #random: () => number;
  #race: { lock: string; first: number } | null = null;
  #stats = { grants: 0, denied: 0, writes: 0, fenced: 0 };

  /** Creates a server with no lock held. */
  constructor(options: LockServerOptions) {
    this.#o = options;
    this.#random = options.random ?? Math.random;
  }

  /** Counters so far. */
  get stats(): LockServerStats {
    return { ...this.#stats };
  }

  /** Arms the race on `lock`: its next grant and the grant after it both succeed. */
  injectRace(lock: string): void {
    this.#race = { lock, first: 0 };
  }

  /** Handles one request: observes its stamp, answers with a fresh one. */
  handle(req: LockRequest): LockReply {
    try {
      this.#o.clock.observe(req.stamp);
    } catch (e) {
      if (!(e instanceof ClockDriftError)) throw e;
    }
    const s = this.#lock(req.lock);
    let ok = true;
    let token = 0;
    let workMs = 0;
    let after: HlcStamp[] = [];
    if (req.op === "acquire") {
      ({ ok, token, workMs } = this.#acquire(req.lock, s, req.client));
      if (ok) [after, s.released] = [s.released, []];
    } else if (req.op === "release") {
      if (s.holders.get(req.client) === req.token) {
        s.holders.delete(req.client);
        s.released.push(req.stamp);
      }
    } else {
      this.#stats.writes++;
      ok = req.token >= s.written;
      if (ok) s.written = req.token;
      else this.#fenced(req.lock, req.client, req.token, s.written);
    }
    return { ok, token, workMs, stamp: this.#o.clock.stamp(), after };
  }

  #fenced(lock: string, client: number, token: number, written: number): void {
    if (this.#stats.fenced++ === 0) {
      this.#o.onNote?.(
        `fenced store refused a write to '${lock}' by client ${client} with token ${token} (token ${written} wrote since): fencing tokens keep the data safe, Vigil reports the broken lease`,
      );
    }
  }

  #lock(name: string): LockState {
    let s = this.#locks.get(name);
    if (s === undefined) {
      this.#locks.set(name, s = { holders: new Map(), token: 0, written: 0, released: [] });
    }
    return s;
  }

  #acquire(lock: string, s: LockState, client: number) {
    const race = this.#race?.lock === lock ? this.#race : null;
    const free = s.holders.size === 0;
    const racing = race !== null && (free || (race.first !== 0 && race.first !== client));
    if (!free && !racing) {
      this.#stats.denied++;
      return { ok: false, token: 0, workMs: 0 };
    }
    s.token++;
    s.holders.set(client, s.token);
    this.#stats.grants++;
    if (racing) {
      const held = race.first;
      if (held === 0) race.first = client;
      else {
        this.#race = null;
        this.#o.onNote?.(
          `lock server granted '${lock}' to client ${client} (token ${s.token}) while client ${held} holds it (token ${
            s.token - 1
          }): split brain`,
        );
      }
      return { ok: true, token: s.token, workMs: this.#o.raceWorkMs ?? 2_500 };
    }
    const [lo, hi] = this.#o.workMs ?? [2, 8];
    return { ok: true, token: s.token, workMs: lo + Math.floor(this.#random() * (hi - lo + 1)) };
  }
}

/** Options of {@link runClient}. */
export interface ClientOptions {
  /** The client id (the spec's `Client`, 1..3). */
  readonly client: number;
  /** The lock this loop contends for; the monitor's key. */
  readonly lock: string;
  /** The node's monitor of this lock (its own view: does it hold the lease?). */
  readonly monitor: Monitor;
  readonly link: LockLink;
  /** Stops the loop (after the current step). */
  readonly signal: AbortSignal;
  /** Random numbers in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Called with each refused step (none in a correct run). */
  readonly onRefused?: (error: GuardError) => void;
}

/** Resolves after `ms` or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/**
 * One node's loop for one lock: ask for the lease, on a grant step
 * `acquire`, work (writing to the fenced store every half second) until the
 * grant's work time has passed, step `release`, tell the server; after a
 * refusal retry shortly. The work ends by the clock, not after a count of
 * sleeps: on a starved machine late timers and slow round trips do not add
 * up (the racing holds must end before the collector raises its alert,
 * `raceWorkMs` in `cluster.ts`).
 */
export async function runClient(o: ClientOptions): Promise<void> {
  const { monitor: m, link, signal, client, lock } = o;
  const random = o.random ?? Math.random;
  const step = (action: string) => {
    try {
      m.step(action, { c: client });
    } catch (e) {
      if (!(e instanceof GuardError)) throw e;
      o.onRefused?.(e);
    }
  };
  const observe = (stamp: HlcStamp) => {
    try {
      m.observe(stamp);
    } catch (e) {
      if (!(e instanceof ClockDriftError)) throw e;
    }
  };
  const send = async (req: LockRequest) => {
    const reply = await link(req);
    observe(reply.stamp);
    // The previous holders' releases: this node's acquire happens after them.
    for (const stamp of reply.after ?? []) observe(stamp);
    return reply;
  };
  while (!signal.aborted) {
    const grant = await send({ op: "acquire", lock, client, stamp: m.stamp() });
    if (!grant.ok) {
      await sleep(1 + Math.floor(random() * 4), signal);
      continue;
    }
    step("acquire");
    const { token } = grant;
    const end = performance.now() + grant.workMs;
    for (let left = grant.workMs; left > 0 && !signal.aborted; left = end - performance.now()) {
      await send({ op: "write", lock, client, token, stamp: m.stamp() });
      await sleep(Math.min(Math.max(0, end - performance.now()), 500), signal);
    }
    step("release");
    await send({ op: "release", lock, client, token, stamp: m.stamp() });
    await sleep(Math.floor(random() * 3), signal);
  }
}
