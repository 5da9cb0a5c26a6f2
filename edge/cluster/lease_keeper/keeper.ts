/**
 * Keeps a member's leases and registration alive: every quarter of the
 * lease time-to-live (less up to a tenth of it at random, so members do
 * not write in step) it rewrites the registration and renews every held
 * lease by compare-and-set (`leases.ts`), each write on its own, no write
 * waiting for another's answer. Each lease's renewals are a
 * {@link LeaseRenewal} (`renewal.ts`): a renewal not succeeded within
 * `retryMs` (default a quarter TTL) gets a second write in flight on the
 * same revision, so one slow or lost request does not use up the lease;
 * the compare-and-set lets at most one of them succeed, and refuses any
 * that lands after the lease expired.
 *
 * Time is judged from the send of each write (the servers age a lease
 * from the write they stored, which is later): a lease is reported lost
 * (`onLost`, with the round trip that caused it) when a renewal is refused
 * (expired or taken), or when none sent after the last successful one
 * succeeded within a time-to-live of that one's send (the servers may have
 * expired it) and none is in flight. With one in flight the lease is
 * reported uncertain (`onUncertain`: the member pauses the partition's
 * saves) until that write answers (`onCertain`, or `onLost`); a keeper
 * given no `onUncertain` reports such a lease lost at once. The member then abandons the partition: its store is fenced
 * by the next owner's claim whatever this keeper does, so the lease decides
 * who should run a partition and the state's head who may save and
 * acknowledge it. Each renewal that succeeded later than a quarter TTL
 * after its first write is reported (`onSlow`) and logged once
 * (`slow_log.ts`).
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
import { LeaseRenewal, type RenewalContext } from "./renewal.ts";
import { SlowRenewalLog } from "./slow_log.ts";
import { leaseClock } from "../lease_deadline.ts";

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
  /**
   * Renews lease `partition` from `revision` on (just acquired), written by a
   * write sent at `sentAt` (this keeper's clock, default now).
   */
  hold(partition: number, revision: number, sentAt?: number): void;
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
  /** Called with each renewal's round trip: from its first write's send to its success, ms. */
  readonly onRenewed?: (ms: number) => void;
  /** Called with each second write sent for a renewal, `waitedMs` after the first. */
  readonly onRetry?: (partition: number, waitedMs: number) => void;
  /** Called once per renewal that succeeded more than a quarter TTL after its first write. */
  readonly onSlow?: (partition: number, ms: number) => void;
  /**
   * Called when a lease's TTL since its last successful write's send ran out with writes still
   * in flight (it may have expired): stop saving and acknowledging until {@link onCertain}, or
   * {@link onLost} when none of them succeeds. Without it, the lease is reported lost at once.
   */
  readonly onUncertain?: (partition: number, why: string) => void;
  /** Called when a write in flight succeeded after {@link onUncertain}: held throughout. */
  readonly onCertain?: (partition: number, uncertainMs: number) => void;
  /**
   * Called each time a lease's bound moves on: a write sent at `validFrom` (this keeper's clock)
   * succeeded, so the servers hold the lease until at least `validFrom` + TTL (the deadline a
   * member's saves are judged by, `lease_deadline.ts`).
   */
  readonly onValid?: (partition: number, validFrom: number) => void;
  /**
   * A renewal not succeeded within this long gets a second write in flight, ms.
   * Default a quarter of the time-to-live.
   */
  readonly retryMs?: number;
  /**
   * Slow renewals (each said once, at most one line every 10 s), late timers
   * and failed registrations. Default `console.error`.
   */
  readonly log?: (line: string) => void;
  /**
   * Stop renewing once {@link LeaseKeeper.alive} was not called for this
   * long, ms. Default: never (the keeper runs in the member's thread).
   */
  readonly maxStallMs?: number;
  /** The clock, ms. Default {@link leaseClock} (monotonic, the same in every thread). */
  readonly now?: () => number;
}

/**
 * Renews one member's registration and leases on a timer.
 *
 * @example Hold partition 3 until released
 * ```ts ignore
 * const keeper = new LeaseKeeper(bucket, { id: "c1", onLost: () => {} });
 * keeper.start({ id: "c1", url: "", owned: [], since: Date.now() });
 * const sentAt = leaseClock(); // from "../lease_deadline.ts"
 * const rev = await bucket.acquire(3, "c1", "");
 * keeper.hold(3, rev!, sentAt);
 * await keeper.release(3);
 * await keeper.stop();
 * ```
 */
export class LeaseKeeper implements Keeper {
  readonly #bucket: ClusterBucket;
  readonly #options: LeaseKeeperOptions;
  readonly #now: () => number;
  readonly #held = new Map<number, LeaseRenewal>();
  readonly #periodMs: number;
  readonly #context: RenewalContext;
  readonly #slowLog: SlowRenewalLog;
  #record: MemberRecord | null = null;
  /** A registration round is in flight (see {@link #register}). */
  #registering = false;
  /** The record's URL changed during a round: another goes once it ends. */
  #urlPending = false;
  /** Revision of the registration as this keeper last stored it; null: unknown (read it first). */
  #registered: number | null = null;
  #registerRetry: ReturnType<typeof setTimeout> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  #stopped = false;
  #lastTickAt = 0;
  #aliveAt: number;
  #stalled = false;
  #loggedAt = -Infinity;

  constructor(bucket: ClusterBucket, options: LeaseKeeperOptions) {
    this.#bucket = bucket;
    this.#options = options;
    this.#now = options.now ?? leaseClock;
    this.#periodMs = Math.max(100, bucket.ttlMs / 4);
    this.#aliveAt = this.#now();
    const log = (line: string) => this.#log(line);
    this.#slowLog = new SlowRenewalLog({
      id: options.id,
      ttlMs: bucket.ttlMs,
      log,
      now: this.#now,
    });
    const retryMs = options.retryMs ?? bucket.ttlMs / 4;
    if (!(retryMs > 0 && retryMs < bucket.ttlMs)) {
      throw new RangeError(
        `Lease renewal retry must be > 0 and < the TTL (${bucket.ttlMs} ms), got '${retryMs}'`,
      );
    }
    this.#context = {
      bucket,
      owner: options.id,
      url: () => this.#record?.url ?? "",
      ttlMs: bucket.ttlMs,
      retryMs,
      now: this.#now,
      writing: () => !this.#stopped && !this.#stalled,
      renewed: (r, ms, writes) => {
        options.onRenewed?.(ms);
        if (ms > this.#slowLog.slowMs) {
          options.onSlow?.(r.partition, ms);
          this.#slowLog.slow(r.partition, ms, writes);
        }
      },
      retried: (r, waitedMs) => options.onRetry?.(r.partition, waitedMs),
      lost: (r, why) => {
        if (this.#held.get(r.partition) !== r) return;
        this.#held.delete(r.partition);
        options.onLost(r.partition, why);
      },
      uncertain: (r, why) => {
        if (options.onUncertain !== undefined) options.onUncertain(r.partition, why);
        else {
          // Nobody pauses the partition: it is lost now.
          r.end();
          this.#context.lost(r, why);
        }
      },
      certain: (r, ms) => options.onCertain?.(r.partition, ms),
      valid: (r, validFrom) => {
        if (this.#held.get(r.partition) === r) options.onValid?.(r.partition, validFrom);
      },
    };
  }

  /** The renewal period, ms (a quarter of the time-to-live). */
  get periodMs(): number {
    return this.#periodMs;
  }

  /** Starts renewing, with `record` as the registration. */
  start(record: MemberRecord): void {
    this.#record = record;
    this.#started = true;
    this.#schedule();
  }

  /** The registration to write from now on (at once when its URL changed: peers fetch it there). */
  setRecord(record: MemberRecord): void {
    const url = this.#record !== null && record.url !== this.#record.url;
    this.#record = record;
    if (!url || !this.#started) return;
    if (this.#registering) this.#urlPending = true;
    else void this.#register();
  }

  /** The member's thread answers (see `maxStallMs`). */
  alive(): void {
    this.#aliveAt = this.#now();
    if (this.#stalled) {
      this.#stalled = false;
      this.#log(`vigil cluster: ${this.#options.id} answers again, renewing its leases`);
    }
  }

  /**
   * Renews lease `partition` from `revision` on (just acquired), written by a
   * write sent at `sentAt` (this keeper's clock, default now).
   */
  hold(partition: number, revision: number, sentAt?: number): void {
    this.#held.get(partition)?.end();
    this.#held.set(
      partition,
      new LeaseRenewal(this.#context, { partition, revision, sentAt: sentAt ?? this.#now() }),
    );
  }

  /** Stops renewing `partition` without releasing it (abandoned: it expires). */
  forget(partition: number): void {
    this.#held.get(partition)?.end();
    this.#held.delete(partition);
  }

  /** Stops renewing `partition` and releases it on its latest revision (nothing when lost meanwhile). */
  async release(partition: number): Promise<void> {
    const r = this.#held.get(partition);
    if (r === undefined) return;
    // A write in flight on the current revision may move it: send no more, wait for the answers
    // (bounded by their timeout, the TTL).
    r.quiet();
    while (r.inFlight > 0 && this.#held.get(partition) === r) {
      await new Promise((res) => setTimeout(res, 5));
    }
    if (this.#held.get(partition) !== r) return;
    r.end();
    this.#held.delete(partition);
    await this.#bucket.release(partition, r.revision);
  }

  /** Stops the timers (leases are left as they are: release them first to hand over). */
  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#registerRetry);
    for (const r of this.#held.values()) r.end();
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
    this.#slowLog.flush();
    const max = this.#options.maxStallMs;
    if (max !== undefined && now - this.#aliveAt >= max) {
      if (!this.#stalled) {
        this.#stalled = true;
        this.#log(
          `vigil cluster: ${this.#options.id} has not answered for ${
            Math.round(now - this.#aliveAt)
          } ms: its leases are no longer renewed`,
        );
      }
      return;
    }
    if (!this.#registering && this.#record !== null) void this.#register();
    for (const r of this.#held.values()) r.renew();
  }

  /**
   * One round of the registration: a compare-and-set on the revision this keeper last stored (read
   * first when unknown: at start, after a round with no success), and a second write of the same
   * record on the same revision when the first is unanswered for `retryMs` (each times out at the
   * TTL), as lease renewals do: the others take a member whose registration expired for gone.
   * Rounds follow one another, each on the revision the last one stored, so the stored record is
   * the latest round's that landed: a write landing late (even after its timeout) is refused, never
   * put back an older record (a URL not yet known, partitions since handed over).
   */
  async #register(): Promise<void> {
    const record = this.#record;
    if (record === null || this.#stopped || this.#registering) return;
    this.#registering = true;
    this.#urlPending = false;
    let round: RegisterRound = { stored: null, refused: false, error: null };
    try {
      const known = this.#registered;
      round = await this.#writeRound(record, known ?? await this.#bucket.registration(record.id));
      if (round.stored === null && round.refused && round.error === null && !this.#stopped) {
        // Refused, none stored: the key moved (a write of ours whose answer was lost), or the
        // servers refused without comparing (a clustered leader does while another write to the
        // key is in process, e.g. the one just answered): read the revision, write once more.
        round = await this.#writeRound(record, await this.#bucket.registration(record.id));
      }
    } catch (e) {
      round = { ...round, error: `reading its revision failed: ${(e as Error).message}` };
    } finally {
      this.#registered = round.stored;
      this.#registering = false;
    }
    // The registration expiring makes the others compute the assignment without this member.
    if (round.stored === null && !this.#stopped) {
      this.#slow(`could not renew its registration: ${round.error ?? "refused twice"}`);
    }
    if (this.#urlPending && !this.#stopped) void this.#register();
  }

  /** A registration write on `revision`, and a second one when it is unanswered for `retryMs`. */
  #writeRound(record: MemberRecord, revision: number): Promise<RegisterRound> {
    const ttl = this.#bucket.ttlMs;
    return new Promise((done) => {
      let stored: number | null = null;
      let refused = false;
      let error: string | null = null;
      let pending = 0;
      const write = () => {
        pending++;
        this.#bucket.register(record, { timeoutMs: ttl, revision }).then((rev) => {
          // Both writes can succeed (nats-server 2.9 passes a clustered compare-and-set arriving
          // before its sibling is applied), answered in either order: the key is at the later.
          if (rev !== null) stored = Math.max(stored ?? 0, rev);
          else refused = true;
        }, (e) => {
          error = (e as Error).message;
        }).finally(() => {
          if (--pending > 0) return;
          clearTimeout(this.#registerRetry);
          done({ stored, refused, error: stored === null ? error : null });
        });
      };
      write();
      this.#registerRetry = setTimeout(() => {
        if (pending === 1 && stored === null && !this.#stopped && !this.#stalled) write();
      }, this.#context.retryMs);
    });
  }
}

/** How a round of registration writes ended. */
interface RegisterRound {
  /** The revision a write stored, or null. */
  readonly stored: number | null;
  /** A write was refused (the key not at its revision). */
  readonly refused: boolean;
  /** The error of a write that failed (none stored), or null. */
  readonly error: string | null;
}
