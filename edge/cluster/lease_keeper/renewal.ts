/**
 * One held lease's renewals (a {@link LeaseKeeper} keeps one per lease).
 *
 * Time is judged from the *send* of a write, never from its answer: the
 * servers age a lease from the write they stored (`max_age`), which is
 * after its send, so a lease renewed by a write sent at `t` is held at
 * least until `t + TTL`. That bound is the lease's deadline here: when no
 * renewal sent after the last successful one has succeeded by then, the
 * servers may have expired it. With writes still in flight the lease is
 * then *uncertain* (`uncertain`: its member saves and acknowledges nothing
 * meanwhile) and no more writes are sent: the first of them to succeed
 * makes it `certain` again (a compare-and-set that succeeds proves the
 * lease was neither expired nor taken in between), and when they all fail
 * it is lost; with none in flight it is lost at once. Losses carry the
 * round trip of what was still unanswered.
 *
 * A renewal is a compare-and-set on the revision last written (`kv.update`
 * sets `Nats-Expected-Last-Subject-Sequence`, so the servers refuse it once
 * the key holds any other write, or none after expiry). One write is sent
 * per renewal period; when it has not succeeded within `retryMs`, a second
 * is sent on the same revision (at most two in flight), so one slow or lost
 * request does not use up the lease. Both can succeed: nats-server 2.9
 * checks a clustered stream's compare-and-set against the revision stored
 * when the write reaches the leader, so a second write arriving before the
 * first is applied passes too (measured: 19 of 20 pairs on one connection,
 * `docs/operations.md`). A write on a superseded revision that succeeded at
 * a later revision than the one held is adopted as it answers, judged from
 * its own send; without that, the next write (on the earlier revision) was
 * refused and a read (2 to 3 round trips) found the key ours further on. A
 * superseded write's refusal is no loss. A refusal while no write of this
 * keeper on that revision succeeded is settled by reading the key: held by
 * this member at a later revision (a write of ours whose answer was lost) is
 * adopted and written on at once, the lease still judged from the last write
 * whose success was seen (the one that landed may be older than the round);
 * anything else is a loss. A settling read that fails is made again after the next
 * period's write (refused in turn) while the TTL lasts; past it (the lease
 * uncertain, nothing in flight) the lease is lost. A write that lands after
 * the lease expired is refused by the same check, so a late retry never
 * renews a lost lease.
 *
 * @module
 */
import type { ClusterBucket } from "../leases.ts";

/**
 * What a {@link LeaseRenewal} needs from its keeper.
 *
 * @example The keeper's context
 * ```ts ignore
 * const ctx: RenewalContext = {
 *   bucket, owner: "c1", url: () => "", ttlMs: 3000, retryMs: 750, now: Date.now,
 *   writing: () => true, renewed: () => {}, retried: () => {}, lost: () => {},
 *   uncertain: () => {}, certain: () => {},
 * };
 * ```
 */
export interface RenewalContext {
  readonly bucket: ClusterBucket;
  /** The member id (the lease owner). */
  readonly owner: string;
  /** The member's URL, written into the lease. */
  url(): string;
  /** The lease time-to-live, ms. */
  readonly ttlMs: number;
  /** A renewal not succeeded within this long gets a second write in flight, ms. */
  readonly retryMs: number;
  /** The clock, ms. */
  now(): number;
  /** False while renewals must not be sent (keeper stopped, member's thread not answering). */
  writing(): boolean;
  /** A renewal succeeded, `ms` after its first write was sent, after `writes` writes. */
  renewed(renewal: LeaseRenewal, ms: number, writes: number): void;
  /** A second write was sent, `waitedMs` after the first. */
  retried(renewal: LeaseRenewal, waitedMs: number): void;
  /** The lease is lost (the renewal has ended itself). */
  lost(renewal: LeaseRenewal, why: string): void;
  /**
   * The lease's time-to-live since its last successful write's send ran out with writes still in
   * flight: it may have expired. Their answers decide ({@link certain} or {@link lost}).
   */
  uncertain(renewal: LeaseRenewal, why: string): void;
  /** A write in flight succeeded while uncertain: held throughout, uncertain for `ms`. */
  certain(renewal: LeaseRenewal, ms: number): void;
  /**
   * The lease is held until at least `validFrom + TTL`: a write sent at `validFrom` succeeded
   * (called each time that bound moves on).
   */
  valid?(renewal: LeaseRenewal, validFrom: number): void;
}

/**
 * The renewals of one held lease.
 *
 * @example Hold partition 3 from revision 7, written at `sentAt`
 * ```ts ignore
 * const r = new LeaseRenewal(ctx, { partition: 3, revision: 7, sentAt });
 * r.renew(); // each renewal period
 * r.end(); // forgotten or released
 * ```
 */
export class LeaseRenewal {
  /** The partition whose lease this is. */
  readonly partition: number;
  readonly #ctx: RenewalContext;
  #revision: number;
  /** When the write of {@link revision} was sent (the servers keep it at least a TTL from then). */
  #validFrom: number;
  /** Writes on the current revision still unanswered. */
  #inFlight = 0;
  /** Writes on any revision still unanswered (a release waits for them: one may still move it). */
  #unanswered = 0;
  /** When the first write on the current revision was sent; null when none was. */
  #roundStart: number | null = null;
  /** Writes sent on the current revision. */
  #writes = 0;
  /** A write on the current revision was refused (someone else wrote, or it expired). */
  #refused: { readonly ms: number } | null = null;
  #checking = false;
  /** Counts the settling reads sent or abandoned: an abandoned read's answer is ignored. */
  #reads = 0;
  /** When the read settling a refused renewal was sent (while {@link #checking}). */
  #checkingSince = 0;
  #lastError: string | null = null;
  #ended = false;
  /** No more writes (a release waits for those in flight). */
  #quiet = false;
  /** Since when the TTL ran out with writes in flight (no more writes meanwhile); null: sure. */
  #uncertainSince: number | null = null;
  /** A write was sent again after a refusal found the key still at its revision, while uncertain. */
  #rewritten = false;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** Gives up on the read settling a refusal (see {@link #settle}). */
  #readTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    ctx: RenewalContext,
    held: { readonly partition: number; readonly revision: number; readonly sentAt: number },
  ) {
    this.#ctx = ctx;
    this.partition = held.partition;
    this.#revision = held.revision;
    this.#validFrom = held.sentAt;
    this.#armDeadline();
  }

  /** The revision last written. */
  get revision(): number {
    return this.#revision;
  }

  /** Writes still unanswered, on any revision (a release waits for them: one may move it). */
  get inFlight(): number {
    return this.#unanswered;
  }

  /** False once lost, forgotten or released. */
  get active(): boolean {
    return !this.#ended;
  }

  /** The period's renewal: one write, unless one on this revision is still unanswered. */
  renew(): void {
    if (this.#ended || this.#quiet || this.#inFlight > 0 || this.#checking) return;
    if (this.#uncertainSince !== null) return;
    this.#send();
  }

  /** Sends no more writes (answers still count): a release waits for {@link inFlight} to end. */
  quiet(): void {
    this.#quiet = true;
  }

  /** Stops renewing (timers cleared; answers still coming are ignored). */
  end(): void {
    this.#ended = true;
    clearTimeout(this.#deadline);
    clearTimeout(this.#retry);
    clearTimeout(this.#readTimer);
  }

  #send(): void {
    const ctx = this.#ctx;
    const base = this.#revision;
    const sentAt = ctx.now();
    if (this.#roundStart === null) {
      this.#roundStart = sentAt;
      this.#writes = 0;
    }
    this.#writes++;
    this.#inFlight++;
    this.#unanswered++;
    if (this.#writes > 1) ctx.retried(this, sentAt - this.#roundStart);
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.#maybeRetry(base), ctx.retryMs);
    // An answer later than the TTL is of no use: the lease is judged lost by then.
    ctx.bucket.renew(this.partition, ctx.owner, ctx.url(), base, { timeoutMs: ctx.ttlMs }).then(
      (rev) => this.#answered(base, sentAt, rev),
      (e) => this.#failed(base, e),
    );
  }

  #maybeRetry(base: number): void {
    if (this.#ended || this.#quiet || this.#revision !== base || this.#checking) return;
    if (this.#uncertainSince !== null) return;
    if (this.#inFlight >= 2 || this.#refused !== null || !this.#ctx.writing()) return;
    this.#send();
  }

  #answered(base: number, sentAt: number, rev: number | null): void {
    // Counted down even once ended: a release waits for the writes in flight to end.
    this.#unanswered--;
    if (base !== this.#revision) {
      // A write on a superseded revision: its sibling renewed the lease. Refused: neither a
      // renewal nor a loss. Succeeded too, further on than the revision held (both writes of a
      // pair pass a clustered leader's check when the second arrives before the first is
      // applied): the key is at `rev` by this write, stored after its send.
      if (rev !== null && rev > this.#revision && !this.#ended) this.#adoptSibling(rev, sentAt);
      return;
    }
    this.#inFlight--;
    if (this.#ended) return;
    const ctx = this.#ctx;
    if (rev !== null) {
      this.#advance(rev, sentAt, ctx.now());
      return;
    }
    this.#refused ??= { ms: ctx.now() - sentAt };
    this.#settle(base);
  }

  #failed(base: number, e: unknown): void {
    this.#unanswered--;
    if (base !== this.#revision) return;
    this.#inFlight--;
    if (this.#ended) return;
    this.#lastError = String((e as Error)?.message ?? e);
    this.#settle(base);
  }

  /** Renewed at `rev` by a write sent at `sentAt`. */
  #advance(rev: number, sentAt: number, now: number): void {
    const ms = now - (this.#roundStart ?? sentAt);
    const writes = this.#writes;
    this.#moveTo(rev);
    this.#validFrom = sentAt;
    this.#armDeadline();
    this.#ctx.valid?.(this, sentAt);
    this.#ctx.renewed(this, ms, writes);
    this.#sure(now);
    // A slow round: the next write goes now rather than at the next period, since it can only
    // be sent once this one's revision is known, and must succeed within a TTL of this one's send.
    if (ms > this.#ctx.retryMs) this.#sendNow();
  }

  /**
   * A write on a superseded revision stored `rev`, later than the one held: the lease is at `rev`,
   * renewed no earlier than that write's send (`sentAt`; its sibling's success already counted as
   * the round's renewal). The writes in flight on the earlier revision will be refused.
   */
  #adoptSibling(rev: number, sentAt: number): void {
    const now = this.#ctx.now();
    this.#moveTo(rev);
    this.#validFrom = Math.max(this.#validFrom, sentAt);
    this.#armDeadline();
    this.#ctx.valid?.(this, this.#validFrom);
    this.#sure(now);
    // Written at once when this write is older than the retry timeout, as after a slow round.
    if (now - this.#validFrom > this.#ctx.retryMs) this.#sendNow();
  }

  /** The key is at `rev` through this member's writes: a new round on it (a settling read is moot). */
  #moveTo(rev: number): void {
    if (this.#checking) this.#abandonRead();
    this.#revision = rev;
    this.#inFlight = 0;
    this.#roundStart = null;
    this.#writes = 0;
    this.#refused = null;
    this.#lastError = null;
    this.#rewritten = false;
    clearTimeout(this.#retry);
  }

  /** The settling read in flight is moot: its answer will be ignored, and renewals not wait for it. */
  #abandonRead(): void {
    this.#checking = false;
    this.#reads++;
    clearTimeout(this.#readTimer);
  }

  /** A write succeeded: certain again if it was uncertain. */
  #sure(now: number): void {
    if (this.#uncertainSince === null) return;
    const uncertainMs = now - this.#uncertainSince;
    this.#uncertainSince = null;
    this.#ctx.certain(this, uncertainMs);
  }

  /** The next write now, unless ended, quiet or not writing. True when sent. */
  #sendNow(): boolean {
    if (this.#ended || this.#quiet || !this.#ctx.writing()) return false;
    this.#send();
    return true;
  }

  /** Every write on `base` answered, one refused, none succeeded: read whose the key is. */
  #settle(base: number): void {
    if (this.#inFlight === 0 && this.#refused === null && this.#uncertainSince !== null) {
      // Past the TTL and every write in flight failed: nothing can show it is still held.
      this.#lose(this.#expiredWhy(`the writes in flight failed: ${this.#lastError}`));
      return;
    }
    if (this.#inFlight > 0 || this.#refused === null || this.#checking) return;
    this.#checking = true;
    const read = ++this.#reads;
    const ctx = this.#ctx;
    this.#checkingSince = ctx.now();
    const refusedMs = this.#refused.ms;
    // The read gives up after a TTL, as writes do, so an uncertain lease waits at most that long.
    let done = false;
    const answered = (): boolean => {
      if (done || read !== this.#reads) return false;
      done = true;
      clearTimeout(this.#readTimer);
      this.#checking = false;
      return !this.#ended && this.#revision === base;
    };
    const failed = (e: unknown) => {
      if (!answered()) return;
      const why = `reading the lease to settle a refused renewal failed: ${
        String((e as Error)?.message ?? e)
      }`;
      if (this.#uncertainSince !== null) {
        // Past the TTL with nothing in flight (no write is sent while uncertain): nothing can
        // show it is still held.
        this.#lose(this.#expiredWhy(`its writes in flight were refused and ${why}`));
        return;
      }
      // The deadline still decides; the next period's write settles the round again (a round of
      // its own, not a retry of this one).
      this.#lastError = why;
      this.#refused = null;
      this.#roundStart = null;
    };
    this.#readTimer = setTimeout(
      () => failed(new Error(`no answer in ${ctx.ttlMs} ms`)),
      ctx.ttlMs,
    );
    ctx.bucket.lease(this.partition).then((l) => {
      if (!answered()) return;
      if (l.owner === ctx.owner && l.revision > base) {
        // A write of ours landed and its answer was lost (timed out here) or is still coming: the
        // key moved on only through this member's compare-and-set chain. Which write it was, and
        // so when it was sent, is unknown (a write of an earlier round can land after a later
        // one's): the lease is still judged from the last write whose success was seen, and a
        // write on the key's revision goes at once; its success renews (or makes certain).
        this.#moveTo(l.revision);
        if (this.#sendNow()) return;
        if (this.#uncertainSince !== null) {
          // Past the TTL and nothing sent (stopped or quiet): nothing can show it is still held.
          this.#lose(this.#expiredWhy(`found at revision ${l.revision} and renewals are stopped`));
        }
        return;
      }
      // Not settled by this read: the key still ours at `base` (the servers refused without
      // comparing, as a clustered stream's leader does while another write to the key is in
      // process: a sibling of ours, or the write that made `base`, whose mark is cleared only a
      // moment after its answer); or older than `base`, which the servers said they stored: the
      // server that answered is behind them (a stream leader just elected, still applying), since
      // no lease expires within a TTL of its write's send, and only a write deletes one (at a
      // later revision). A write on `base` can still succeed, and only if the key is ours there.
      const behind = l.revision < base &&
        (l.owner !== null || ctx.now() - this.#validFrom < ctx.ttlMs);
      if ((l.owner === ctx.owner && l.revision === base) || behind) {
        this.#refused = null;
        // Once per revision at once; then at the period (the deadline decides), none while
        // uncertain (the servers expire the key a TTL after its store anyway).
        if (!this.#rewritten && !this.#quiet && ctx.writing()) {
          this.#rewritten = true;
          this.#send();
          return;
        }
        if (this.#uncertainSince === null) return;
      }
      this.#lose(
        `lease expired or taken (renewal refused after ${Math.round(refusedMs)} ms; ` +
          `now ${l.owner === null ? "free" : `held by '${l.owner}'`}` +
          `${l.revision <= base ? ` at revision ${l.revision}, this renewal's ${base}` : ""}; ` +
          `last renewed by a write sent ${Math.round(ctx.now() - this.#validFrom)} ms ago)`,
      );
    }, failed);
  }

  #armDeadline(): void {
    clearTimeout(this.#deadline);
    const left = this.#validFrom + this.#ctx.ttlMs - this.#ctx.now();
    this.#deadline = setTimeout(() => this.#expire(), Math.max(0, left));
  }

  #expire(): void {
    if (this.#ended || this.#uncertainSince !== null) return;
    const now = this.#ctx.now();
    if (now - this.#validFrom < this.#ctx.ttlMs) {
      this.#armDeadline();
      return;
    }
    if (this.#inFlight > 0 && this.#roundStart !== null) {
      // Maybe expired, maybe not: a write in flight may still succeed (its compare-and-set would
      // prove the lease held throughout); each gives up a TTL after its send.
      this.#uncertainSince = now;
      clearTimeout(this.#retry);
      const first = `the first sent ${Math.round(now - this.#roundStart)} ms ago`;
      this.#ctx.uncertain(
        this,
        this.#expiredWhy(
          this.#inFlight === this.#writes
            ? `${this.#writes === 1 ? "its renewal" : `its ${this.#writes} renewal writes`}, ` +
              `${first}, ${this.#inFlight === 1 ? "is" : "are"} still unanswered`
            // Others answered (failed: each next period wrote again; or refused): say how.
            : `its ${this.#writes} renewal writes, ${first}: ${this.#inFlight} still unanswered, ` +
              (this.#lastError !== null
                ? `the last answered failed: ${this.#lastError}`
                : `one refused after ${Math.round(this.#refused?.ms ?? 0)} ms`),
        ),
      );
      return;
    }
    if (this.#checking) {
      // The read may still find the key ours (at a later revision: adopted; at this one: written
      // again, and a success proves it held throughout): uncertain until it answers.
      this.#uncertainSince = now;
      clearTimeout(this.#retry);
      this.#ctx.uncertain(
        this,
        this.#expiredWhy(
          `a renewal was refused after ${Math.round(this.#refused?.ms ?? 0)} ms and ` +
            `reading the lease to settle it has not answered in ${
              Math.round(now - this.#checkingSince)
            } ms`,
        ),
      );
      return;
    }
    let what: string;
    if (this.#lastError !== null) {
      what = `the last renewal failed: ${this.#lastError}`;
    } else if (!this.#ctx.writing()) {
      what = "renewals are stopped";
    } else {
      what = "no renewal was sent in time (the keeper's timers ran late)";
    }
    this.#lose(this.#expiredWhy(what));
  }

  #expiredWhy(what: string): string {
    const since = Math.round(this.#ctx.now() - this.#validFrom);
    return `not renewed within the ${this.#ctx.ttlMs} ms TTL (last renewal sent ${since} ms ago): ${what}`;
  }

  #lose(why: string): void {
    if (this.#ended) return;
    this.end();
    this.#ctx.lost(this, why);
  }
}
