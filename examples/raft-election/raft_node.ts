/**
 * One Raft node's leader election over NATS: randomized election timeouts,
 * RequestVote and AppendEntries heartbeats (no log), every message carrying
 * the sender's HLC stamp, and delivered after a simulated network delay
 * (30 to 80 ms in `main.ts`, reordering included). Each node publishes to `<prefix>.<peer id>` and
 * listens on `<prefix>.<own id>`.
 *
 * The node keeps its own state and steps its monitor (spec `RaftFive`, key
 * `raft:cluster`, node `raft-<id>`) with every transition it makes. In
 * observe mode (default) the step reports the node's actual next state, so
 * anything the spec forbids is recorded and shipped as a local verdict
 * while the node goes on; in enforce mode the monitor refuses a forbidden
 * transition before the node makes it.
 *
 * The bug (`--bug`): a follower grants its vote for the current term
 * without checking that it has not voted for someone else in that term, so
 * two simultaneous candidates can both collect a majority. With the bug,
 * the run is made to show it whatever the machine's load, by counting
 * messages rather than waiting: the two forced candidates hold what they
 * receive until they stand, then hold heartbeats until every peer has
 * answered their vote request (a heartbeat of the first leader would
 * otherwise turn the second candidate into its follower), and the voters
 * ({@link RaftNodeOptions.awaitCandidates}) arm no election timeout until
 * both candidates' requests have reached them (a voter timing out first
 * would stand itself and refuse both).
 *
 * @module
 */
import { GuardError, type Monitor, type MonitorMode } from "@vigil/vigil";
import type { ExampleNode } from "../support/node.ts";

/** Options of {@link RaftNode}. */
export interface RaftNodeOptions {
  readonly id: number;
  readonly peers: readonly number[];
  readonly prefix: string;
  readonly bug: boolean;
  readonly mode: MonitorMode;
  /** Election timeout range, ms. */
  readonly timeoutMs: readonly [number, number];
  readonly heartbeatMs: number;
  /** Simulated network delay of each received message, ms (min, max). */
  readonly latencyMs: readonly [number, number];
  /** First election timeout, ms (default: random in the range). */
  readonly firstTimeoutMs?: number;
  /**
   * Arm no election timeout until vote requests from this many candidates
   * have been received (default 0: from the start): the voters of a run
   * with the bug, which must not stand before both forced candidates ask.
   */
  readonly awaitCandidates?: number;
}

type Role = "follower" | "candidate" | "leader";

interface State {
  readonly role: Role;
  readonly term: number;
  readonly votedFor: number;
  readonly votes: ReadonlySet<number>;
}

interface Message {
  readonly type: "requestVote" | "vote" | "append" | "appendReply";
  readonly term: number;
  readonly from: number;
  readonly granted?: boolean;
  readonly stamp: string;
}

/** The monitor's instance key: one partition for the whole cluster. */
export const CLUSTER_KEY = "raft:cluster";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A Raft node (election only). */
export class RaftNode {
  readonly #node: ExampleNode;
  readonly #o: RaftNodeOptions;
  readonly #m: Monitor;
  #s: State = { role: "follower", term: 0, votedFor: 0, votes: new Set() };
  #election: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #sub: { unsubscribe(): void } | null = null;
  /** Terms in which this node was leader. */
  readonly leaderTerms: number[] = [];

  /** Creates the node and its monitor (steps `join`). */
  constructor(node: ExampleNode, options: RaftNodeOptions) {
    this.#node = node;
    this.#o = options;
    this.#m = node.spec.monitor({
      node: `raft-${options.id}`,
      key: CLUSTER_KEY,
      mode: options.mode,
      sink: node.batcher,
      onViolation: (v) => {
        console.log(
          `monitor: ${v.action} ${v.verdict.kind}: ${v.verdict.detail} (spec line ${v.verdict.line})`,
        );
      },
    });
    this.#m.step("join", { id: options.id });
  }

  /** Subscribes to its subject (call before any peer starts). */
  listen(): Promise<void> {
    this.#sub = this.#node.nc.subscribe(`${this.#o.prefix}.${this.#o.id}`, {
      callback: (err, msg) => {
        if (err !== null) return;
        const m = JSON.parse(decoder.decode(msg.data)) as Message;
        const [lo, hi] = this.#o.latencyMs;
        if (hi <= 0) this.#receive(m);
        else setTimeout(() => this.#receive(m), lo + Math.random() * (hi - lo));
      },
    });
    return this.#node.nc.flush();
  }

  /**
   * Messages held until this node's forced first candidacy (bug mode only):
   * the two forced candidates then both stand in term 1 however the machine
   * schedules their timers, so the bug shows on every run.
   */
  #held: Message[] | null = null;

  /**
   * A forced candidate with the bug, from its first candidacy: the number of
   * peers that have not answered its vote request yet (null: none pending).
   * While any has not, heartbeats wait in {@link RaftNode.#deferred}.
   */
  #unanswered: number | null = null;
  readonly #deferred: Message[] = [];
  /** The candidates whose vote requests were received (see {@link RaftNodeOptions.awaitCandidates}). */
  readonly #askedBy = new Set<number>();

  /** Arms the first election timeout. */
  start(): void {
    if (this.#o.bug && this.#o.firstTimeoutMs !== undefined) this.#held = [];
    this.#arm(this.#o.firstTimeoutMs);
  }

  /** Set by {@link stop}: messages still in their simulated delay are then dropped. */
  #stopped = false;

  /**
   * Stops timers and the subscription; a message received before and still
   * in its simulated delay is dropped when it comes due (the caller closes
   * the batcher next: a step after that would throw).
   */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#election);
    clearInterval(this.#heartbeat);
    this.#sub?.unsubscribe();
  }

  /** Steps the monitor with the node's next state; false when an enforcing monitor refused. */
  #record(action: string, args: Record<string, number>, next: State): boolean {
    const observed = {
      role: next.role,
      term: next.term,
      votedFor: next.votedFor,
      votes: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [n, next.votes.has(n)])),
    };
    try {
      this.#m.step(action, args, this.#o.mode === "observe" ? { observed } : {});
    } catch (e) {
      if (e instanceof GuardError) return false;
      throw e;
    }
    this.#s = next;
    return true;
  }

  #send(to: number, msg: Omit<Message, "stamp" | "from">): void {
    const body = { ...msg, from: this.#o.id, stamp: this.#m.stamp() };
    this.#node.nc.publish(`${this.#o.prefix}.${to}`, encoder.encode(JSON.stringify(body)));
  }

  #arm(ms?: number): void {
    clearTimeout(this.#election);
    // Waiting for candidates' requests, or for the answers to its own: no timeout can cut that short.
    if (this.#askedBy.size < (this.#o.awaitCandidates ?? 0)) return;
    if (this.#unanswered !== null) return;
    const [lo, hi] = this.#o.timeoutMs;
    this.#election = setTimeout(() => this.#timeout(), ms ?? lo + Math.random() * (hi - lo));
  }

  #timeout(): void {
    const s = this.#s;
    if (s.role === "leader") return;
    const next: State = {
      role: "candidate",
      term: s.term + 1,
      votedFor: this.#o.id,
      votes: new Set([this.#o.id]),
    };
    if (!this.#record("timeout", {}, next)) return;
    console.log(`term ${next.term}: candidate`);
    const held = this.#held;
    this.#held = null;
    if (held !== null) this.#unanswered = this.#o.peers.length;
    for (const p of this.#o.peers) this.#send(p, { type: "requestVote", term: next.term });
    this.#arm();
    for (const m of held ?? []) this.#receive(m);
  }

  #receive(msg: Message): void {
    if (this.#stopped) return;
    if (this.#held !== null) {
      this.#held.push(msg);
      return;
    }
    if (this.#unanswered !== null && (msg.type === "append" || msg.type === "appendReply")) {
      this.#deferred.push(msg);
      return;
    }
    this.#m.observe(msg.stamp);
    if (msg.term > this.#s.term && msg.type !== "requestVote") this.#stepDown(msg.term);
    if (msg.type === "requestVote") {
      const asked = this.#askedBy.size;
      this.#askedBy.add(msg.from);
      this.#requestVote(msg);
      if (this.#askedBy.size > asked && this.#askedBy.size === this.#o.awaitCandidates) this.#arm();
    } else if (msg.type === "vote") {
      this.#vote(msg);
      if (this.#unanswered !== null && --this.#unanswered === 0) this.#answered();
    } else if (msg.type === "append") this.#append(msg);
  }

  /** Every peer answered the forced candidacy: its timeout is armed (unless it leads) and the heartbeats held are read. */
  #answered(): void {
    this.#unanswered = null;
    if (this.#s.role !== "leader") this.#arm();
    for (const m of this.#deferred.splice(0)) this.#receive(m);
  }

  #stepDown(t: number): void {
    const next: State = { role: "follower", term: t, votedFor: 0, votes: this.#s.votes };
    if (!this.#record("stepDown", { t }, next)) return;
    clearInterval(this.#heartbeat);
    this.#arm();
  }

  #requestVote(msg: Message): void {
    const s = this.#s;
    const c = msg.from;
    const t = msg.term;
    const sameTermOk = t === s.term && s.role === "follower" &&
      (this.#o.bug || s.votedFor === 0 || s.votedFor === c); // BUG: forgets the earlier vote
    let granted = false;
    if (t > s.term || sameTermOk) {
      const next: State = { role: "follower", term: t, votedFor: c, votes: s.votes };
      granted = this.#record("grantVote", { c, t }, next);
      if (granted) {
        clearInterval(this.#heartbeat);
        this.#arm();
      }
    }
    this.#send(c, { type: "vote", term: granted ? t : this.#s.term, granted });
  }

  #vote(msg: Message): void {
    const s = this.#s;
    if (!msg.granted || s.role !== "candidate" || msg.term !== s.term) return;
    if (s.votes.has(msg.from)) return;
    const votes = new Set(s.votes).add(msg.from);
    if (!this.#record("receiveVote", { from: msg.from, t: msg.term }, { ...s, votes })) return;
    if (votes.size * 2 <= this.#o.peers.length + 1) return;
    if (!this.#record("becomeLeader", {}, { ...this.#s, role: "leader" })) return;
    this.leaderTerms.push(s.term);
    console.log(`term ${s.term}: LEADER with votes from ${[...votes].sort().join(", ")}`);
    clearTimeout(this.#election);
    const beat = () => {
      for (const p of this.#o.peers) this.#send(p, { type: "append", term: this.#s.term });
    };
    beat();
    this.#heartbeat = setInterval(beat, this.#o.heartbeatMs);
  }

  #append(msg: Message): void {
    const s = this.#s;
    if (msg.term < s.term) {
      this.#send(msg.from, { type: "appendReply", term: s.term });
      return;
    }
    if (s.role === "candidate") {
      if (this.#record("follow", { t: msg.term }, { ...s, role: "follower" })) {
        console.log(`term ${msg.term}: follower of raft-${msg.from}`);
      }
    }
    if (this.#s.role !== "leader") this.#arm();
  }
}
