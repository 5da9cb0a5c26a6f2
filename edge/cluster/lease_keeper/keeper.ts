/**
 * Keeps a member's leases and registration alive: every quarter of the
 * lease time-to-live (less up to a tenth of it at random, so members do
 * not write in step) it rewrites the registration and renews every held
 * lease by compare-and-set (`leases.ts`), each write on its own: a key
 * whose last write is still unanswered is skipped this time (never two
 * writes of one key in flight), and no write waits for another's answer.
 *
 * A lease is reported lost (`onLost`) when a renewal finds it expired or
 * taken, or when none was answered for a whole time-to-live on this
 * keeper's clock (the servers may have expired it already), also while a
 * write is still unanswered. The member then abandons the partition: its
 * store is fenced by the next owner's claim whatever this keeper does, so
 * the lease decides who should run a partition and the state's head who
 * may save and acknowledge it.
 *
 * It runs in the member's thread, or in a thread of its own
 * (`thread.ts`) on a connection of its own, so that renewals
 * are sent and answered on time while the member's thread is busy with
 * deliveries (a member whose thread is starved of CPU for longer than the
 * time-to-live otherwise loses partitions it still serves). A keeper in its
 * own thread also needs the member's thread to answer: {@link alive} is
 * called every period, and when it has not been for `maxStallMs` the keeper
 * stops renewing, so a hung member loses its partitions as a dead one does.
 *
 * @module
 */
import type { ClusterBucket, MemberRecord } from "../leases.ts";

/**
 * What a member drives, a {@link LeaseKeeper} in its thread or one in a
 * thread of its own (`thread.ts`).
 *
 * @example Hold, then hand over
 * ```ts ignore
 * keeper.hold(3, revision);
 * await keeper.release(3);
 * ```
 */
export interface Keeper {
  /** Starts renewing, with `record` as the registration. */
  start(record: MemberRecord): void;
  /** The registration to write from now on. */
  setRecord(record: MemberRecord): void;
  /** Renews lease `partition` from `revision` on (just acquired). */
  hold(partition: number, revision: number): void;
  /** Stops renewing `partition` without releasing it (abandoned: it expires). */
  forget(partition: number): void;
  /** Stops renewing `partition` and releases it on its latest revision (nothing when lost meanwhile). */
  release(partition: number): Promise<void>;
  /** Stops renewing anything (leases are left as they are: release them first to hand over). */
  stop(): Promise<void>;
}

/**
 * Options of {@link LeaseKeeper}.
 *
 * @example Keep c1's leases
 * ```ts ignore
 * const keeper = new LeaseKeeper(bucket, { id: "c1", onLost: (p, why) => console.log(p, why) });
 * ```
 */
export interface LeaseKeeperOptions {
  /** The member's id (the lease owner). */
  readonly id: string;
  /** Called once per held lease found lost, with why. */
  readonly onLost: (partition: number, why: string) => void;
  /** Called with each renewal's round trip, ms. */
  readonly onRenewed?: (ms: number) => void;
  /** Slow renewals and failed registrations, one line each, at most every 10 s. Default `console.error`. */
  readonly log?: (line: string) => void;
  /**
   * Stop renewing once {@link LeaseKeeper.alive} was not called for this
   * long, ms. Default: never (the keeper runs in the member's thread).
   */
  readonly maxStallMs?: number;
  /** The clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** One held lease: its latest revision and when it was last renewed (keeper's clock). */
interface Held {
  revision: number;
  renewedAt: number;
  /** A write of it is unanswered. */
  pending: boolean;
}

/**
 * Renews one member's registration and leases on a timer.
 *
 * @example Hold partition 3 until released
 * ```ts ignore
 * const keeper = new LeaseKeeper(bucket, { id: "c1", onLost: () => {} });
 * keeper.start({ id: "c1", url: "", owned: [], since: Date.now() });
 * const rev = await bucket.acquire(3, "c1", "");
 * keeper.hold(3, rev!);
 * await keeper.release(3);
 * await keeper.stop();
 * ```
 */
export class LeaseKeeper implements Keeper {
  readonly #bucket: ClusterBucket;
  readonly #options: LeaseKeeperOptions;
  readonly #now: () => number;
  readonly #held = new Map<number, Held>();
  readonly #periodMs: number;
  #record: MemberRecord | null = null;
  #registering = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #lastTickAt = 0;
  #aliveAt: number;
  #stalled = false;
  #loggedAt = -Infinity;

  constructor(bucket: ClusterBucket, options: LeaseKeeperOptions) {
    this.#bucket = bucket;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#periodMs = Math.max(100, bucket.ttlMs / 4);
    this.#aliveAt = this.#now();
  }

  /** The renewal period, ms (a quarter of the time-to-live). */
  get periodMs(): number {
    return this.#periodMs;
  }

  /** Starts renewing, with `record` as the registration. */
  start(record: MemberRecord): void {
    this.#record = record;
    this.#schedule();
  }

  /** The registration to write from now on. */
  setRecord(record: MemberRecord): void {
    this.#record = record;
  }

  /** The member's thread answers (see `maxStallMs`). */
  alive(): void {
    this.#aliveAt = this.#now();
    if (this.#stalled) {
      this.#stalled = false;
      this.#log(`vigil cluster: ${this.#options.id} answers again, renewing its leases`);
    }
  }

  /** Renews lease `partition` from `revision` on (just acquired). */
  hold(partition: number, revision: number): void {
    this.#held.set(partition, { revision, renewedAt: this.#now(), pending: false });
  }

  /** Stops renewing `partition` without releasing it (abandoned: it expires). */
  forget(partition: number): void {
    this.#held.delete(partition);
  }

  /** Stops renewing `partition` and releases it on its latest revision (nothing when lost meanwhile). */
  async release(partition: number): Promise<void> {
    const h = this.#held.get(partition);
    if (h === undefined) return;
    // A renewal in flight moves the revision: wait for its answer (bounded by its own timeout).
    while (h.pending && this.#held.get(partition) === h) {
      await new Promise((r) => setTimeout(r, 5));
    }
    if (this.#held.get(partition) !== h) return;
    this.#held.delete(partition);
    await this.#bucket.release(partition, h.revision);
  }

  /** Stops the timer (leases are left as they are: release them first to hand over). */
  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    return Promise.resolve();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#tick();
      this.#schedule();
    }, this.#periodMs * (0.9 + 0.1 * Math.random()));
  }

  #log(line: string): void {
    (this.#options.log ?? ((l: string) => console.error(l)))(line);
  }

  #slow(what: string): void {
    const now = this.#now();
    if (now - this.#loggedAt < 10_000) return;
    this.#loggedAt = now;
    this.#log(`vigil cluster: ${this.#options.id} ${what} (lease TTL ${this.#bucket.ttlMs} ms)`);
  }

  #tick(): void {
    const now = this.#now();
    const late = this.#lastTickAt === 0 ? 0 : now - this.#lastTickAt - this.#periodMs;
    this.#lastTickAt = now;
    const ttl = this.#bucket.ttlMs;
    if (late > ttl / 3) this.#slow(`lease renewal timer fired ${Math.round(late)} ms late`);
    const max = this.#options.maxStallMs;
    if (max !== undefined && now - this.#aliveAt >= max) {
      if (!this.#stalled) {
        this.#stalled = true;
        this.#log(
          `vigil cluster: ${this.#options.id} has not answered for ${
            now - this.#aliveAt
          } ms: its leases are no longer renewed`,
        );
      }
      return;
    }
    if (!this.#registering && this.#record !== null) void this.#register(this.#record);
    for (const [p, h] of this.#held) {
      if (!h.pending) void this.#renew(p, h);
      else if (now - h.renewedAt >= ttl) {
        this.#lose(p, h, `not renewed for ${ttl} ms: the last renewal is still unanswered`);
      }
    }
  }

  #lose(p: number, h: Held, why: string): void {
    if (this.#held.get(p) !== h) return;
    this.#held.delete(p);
    this.#options.onLost(p, why);
  }

  async #renew(p: number, h: Held): Promise<void> {
    h.pending = true;
    let lost: string | null = null;
    try {
      const sent = performance.now();
      const rev = await this.#bucket.renew(
        p,
        this.#options.id,
        this.#record?.url ?? "",
        h.revision,
      );
      const took = performance.now() - sent;
      this.#options.onRenewed?.(took);
      if (took > this.#bucket.ttlMs / 3) {
        this.#slow(`lease renewal answered after ${Math.round(took)} ms`);
      }
      if (rev === null) lost = "lease expired or taken";
      else {
        h.revision = rev;
        h.renewedAt = this.#now();
      }
    } catch (e) {
      if (this.#now() - h.renewedAt >= this.#bucket.ttlMs) {
        lost = `not renewed for ${this.#bucket.ttlMs} ms: ${(e as Error).message}`;
      }
    } finally {
      h.pending = false;
    }
    if (lost !== null) this.#lose(p, h, lost);
  }

  async #register(record: MemberRecord): Promise<void> {
    this.#registering = true;
    try {
      await this.#bucket.register(record);
    } catch (e) {
      // The registration expiring makes the others take this member's partitions: say so.
      if (!this.#stopped) {
        this.#slow(`could not renew its registration: ${(e as Error).message}`);
      }
    } finally {
      this.#registering = false;
    }
  }
}
