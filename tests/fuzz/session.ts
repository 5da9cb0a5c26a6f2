/**
 * Fuzz sessions: a session is a sequence of steps against one fresh
 * collector, built from a seed. Steps are concrete (the bytes to send, the
 * milliseconds to advance), so a session is replayed, minimised and kept in
 * the corpus without the generator.
 *
 * A session's nodes send valid batches made by the SDK's real encoder
 * (`encodeBatch`) from pooled Lease events (sizes 0 to 2,048, boundary
 * sizes favoured, declared drop ranges), interleaved with exact re-sends,
 * held-back batches delivered later (reordering), lost batches, mutated
 * batches (structural and byte-level), reboots (a new boot id), and time
 * advances: small ones inside the gap timeout, and large ones past the
 * reorder window and the gap timeout. Over HTTP some valid batches carry
 * another node's token, none, a wrong one, or another media type.
 *
 * @module
 */
import { encodeBatch } from "../../lib/wire/encode.ts";
import { type BatchHeader, type EventBody, MAX_DROP_RANGES } from "../../lib/wire/event.ts";
import type { SeqRange } from "../../lib/wire/seq_ranges.ts";
import { type LeaseKit, POOL_KEYS, POOL_LANES } from "./lease_events.ts";
import { batchTree, encodeTree } from "./msgpack_tree.ts";
import { mutateBytes, mutateTree } from "./mutators.ts";
import { Rand } from "./rand.ts";

/** Sends one body to `POST /ingest` (in process: to `ingestBytes`). */
export interface SendStep {
  readonly kind: "send";
  readonly bytes: Uint8Array;
  /** Bearer token over HTTP (`null`: no `Authorization` header). */
  readonly token: string | null;
  /** `Content-Type` over HTTP (`null`: none). */
  readonly contentType: string | null;
  /** An unmodified SDK batch with its node's token: it must be accepted. */
  readonly valid: boolean;
  /** What the input is, e.g. `valid 129 events` or `mutant lie:$.ev=16777216`. */
  readonly note: string;
  /** What a generated valid batch holds (the model then needs no decoder); not kept in the corpus. */
  readonly content?: BatchContent;
}

/** The accounting-relevant content of a batch. */
export interface BatchContent extends BatchHeader {
  /** Each event's instance key, in order. */
  readonly keys: readonly string[];
}

/** Moves the collector's clock forward and calls `advance(now)`. */
export interface AdvanceStep {
  readonly kind: "advance";
  readonly ms: number;
}

/** One step of a session. */
export type Step = SendStep | AdvanceStep;

/** The collector a session runs against. */
export interface SessionConfig {
  readonly windowMs: number;
  readonly gapTimeoutMs: number;
  /** The collector clock at the start, ms. */
  readonly startMs: number;
}

/** A reproducible session. */
export interface Session {
  /** The seed it was generated from (0 for hand-made or minimised sessions). */
  readonly seed: number;
  readonly config: SessionConfig;
  readonly steps: readonly Step[];
}

/** Options of {@link generateSession}. */
export interface GenerateOptions {
  /** Most steps in a session. Default 400. */
  readonly maxSteps?: number;
  /** Allow inputs costing megabytes or deep recursion. Default false. */
  readonly heavy?: boolean;
}

/** The node tokens every target is configured with. */
export const NODE_TOKENS: Readonly<Record<string, string>> = Object.fromEntries(
  Array.from({ length: 6 }, (_, i) => [`node-${i}`, `tok-${i}`]),
);

/** The media type of valid batches. */
export const MSGPACK = "application/x-msgpack";

const ACCEPTED_TYPES = [
  MSGPACK,
  MSGPACK,
  MSGPACK,
  "application/msgpack",
  null,
  "Application/Vnd.Msgpack; v=1",
];
const REFUSED_TYPES = ["text/plain", "application/json", "application/x-msgpackx", "msgpack"];

const KEY_NAMES = [
  "lock:0",
  "lock:1",
  "lock:2",
  "lock:3",
  "orders",
  "lock:é",
  "🔒:1",
  "lock:a",
  "lock:b",
  "l",
  "lock:" + "x".repeat(40),
  "lock:10",
  "lock:11",
  "lock:12",
  "lock:13",
  "lock:14",
];

/** Sizes around the decoder's initial capacity (64) and the SDK's default batch (256). */
const BOUNDARY_SIZES = [0, 1, 63, 64, 65, 100, 127, 128, 129, 130, 131, 200, 255, 256, 257];
/** Large sizes up to the most a batch holds here (2,048). */
const LARGE_SIZES = [511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048];

/** A batch the session made, with what it was made from (for mutants and re-sends). */
interface Made {
  readonly header: BatchHeader;
  readonly events: readonly EventBody[];
  readonly bytes: Uint8Array;
  readonly token: string | null;
}

class SimNode {
  readonly id: string;
  readonly token: string;
  readonly lane: number;
  readonly skew: number;
  boot: string;
  boots = 0;
  next = 0;
  drops: SeqRange[] = [];
  wall = 0;
  logical = 0;
  readonly cursor = new Array<number>(POOL_KEYS).fill(0);

  constructor(index: number, r: Rand) {
    this.id = `node-${index}`;
    this.token = NODE_TOKENS[this.id]!;
    this.lane = index % POOL_LANES;
    this.skew = r.range(-300, 300);
    this.boot = `${this.id}-boot-0`;
  }
}

function drawSize(r: Rand): number {
  return r.weighted<() => number>([
    [34, () => r.range(1, 8)],
    [24, () => r.range(9, 64)],
    [6, () => r.pick(BOUNDARY_SIZES)],
    [6, () => r.range(65, 300)],
    [0.6, () => r.pick(LARGE_SIZES)],
    [0.6, () => r.range(301, 2048)],
    [5, () => 0],
  ])();
}

/**
 * Builds a session from a seed (deterministic for a given kit and options).
 *
 * @example A session from a seed
 * ```ts ignore
 * const kit = await leaseKit();
 * const s = generateSession(42, kit);
 * assert.deepEqual(s, generateSession(42, kit));
 * ```
 */
export function generateSession(
  seed: number,
  kit: LeaseKit,
  options: GenerateOptions = {},
): Session {
  const r = new Rand(seed);
  const heavy = options.heavy ?? false;
  const config: SessionConfig = {
    windowMs: r.pick([0, 5, 50, 250]),
    gapTimeoutMs: r.pick([50, 1_000, 30_000]),
    startMs: 1_700_000_000_000 + r.int(1e9),
  };
  const nodes = Array.from({ length: r.range(1, 4) }, (_, i) => new SimNode(i, r));
  const keys = KEY_NAMES.slice(0, r.range(1, KEY_NAMES.length));
  const ctx = {
    stride: kit.stride,
    actions: kit.actions,
    verdicts: kit.verdicts,
    nodes: nodes.map((n) => n.id),
    heavy,
  };
  const steps: Step[] = [];
  const made: Made[] = [];
  const sent: SendStep[] = [];
  const held: SendStep[] = [];
  let clock = config.startMs;
  let small = 0;

  const send = (s: SendStep) => {
    steps.push(s);
    sent.push(s);
  };

  function addDrops(n: SimNode): void {
    const many = r.chance(heavy ? 0.05 : 0.01);
    const episodes = many
      ? r.range(100, 3_000)
      : r.weighted([[70, 1], [25, r.range(2, 5)], [5, 8]]);
    for (let e = 0; e < episodes; e++) {
      const w = many ? r.range(1, 3) : r.range(1, 20);
      n.drops.push([n.next, n.next + w - 1]);
      n.next += w;
      // Numbers between declared ranges are never sent: an undeclared hole.
      if (e < episodes - 1 && r.chance(0.5)) n.next += r.range(1, 5);
    }
  }

  /**
   * Like the SDK's batcher: while a node has more pending drop ranges than a
   * batch may declare, event-less batches declare the oldest ones.
   */
  function carryDrops(n: SimNode): void {
    while (n.drops.length > MAX_DROP_RANGES) {
      const chunk = n.drops.slice(0, MAX_DROP_RANGES);
      n.drops = n.drops.slice(MAX_DROP_RANGES);
      const header: BatchHeader = {
        spec: kit.hash,
        specName: kit.name,
        node: n.id,
        boot: n.boot,
        firstSeq: chunk[chunk.length - 1]![1] + 1,
        dropped: chunk,
      };
      const m = { header, events: [], bytes: encodeBatch(header, []), token: n.token };
      made.push(m);
      send(validStep(m, "carried drops"));
    }
  }

  /** A valid batch of `n`; `commit` consumes its numbers and pending drops. */
  function makeBatch(n: SimNode, commit: boolean): Made {
    if (commit && r.chance(0.08)) addDrops(n), carryDrops(n);
    const size = drawSize(r);
    const batchKeys = r.chance(0.7)
      ? Array.from({ length: r.range(1, 3) }, () => r.int(keys.length))
      : keys.map((_, i) => i);
    let wall = Math.max(n.wall, clock + n.skew);
    let logical = wall === n.wall ? n.logical : 0;
    const events: EventBody[] = new Array(size);
    for (let i = 0; i < size; i++) {
      const k = r.pick(batchKeys);
      const list = kit.pool[n.lane]![k % POOL_KEYS]!;
      const p = list[n.cursor[k]! % list.length]!;
      if (commit) n.cursor[k]!++;
      const dt = r.chance(0.3) ? r.int(3) : 0;
      if (dt > 0) (wall += dt, (logical = 0));
      else logical++;
      events[i] = {
        key: keys[k]!,
        wall,
        logical,
        action: p.action,
        args: p.args,
        state: p.state,
        verdict: p.verdict,
      };
    }
    const header: BatchHeader = {
      spec: kit.hash,
      specName: kit.name,
      node: n.id,
      boot: n.boot,
      firstSeq: n.next,
      dropped: n.drops,
    };
    if (commit) {
      n.next += size;
      n.drops = [];
      n.wall = wall;
      n.logical = logical;
    }
    return { header, events, bytes: encodeBatch(header, events), token: n.token };
  }

  function validStep(m: Made, note: string): SendStep {
    return {
      kind: "send",
      bytes: m.bytes,
      token: m.token,
      contentType: r.pick(ACCEPTED_TYPES),
      valid: true,
      note: `${note} ${m.header.node}/${m.header.boot} seq ${m.header.firstSeq} ` +
        `${m.events.length} events, ${m.header.dropped.length} drop ranges`,
      content: { ...m.header, keys: m.events.map((e) => e.key) },
    };
  }

  function mutant(n: SimNode): SendStep {
    const fresh = made.length === 0 || r.chance(0.5);
    const source = fresh ? makeBatch(n, false) : r.pick(made);
    const labels: string[] = [];
    let bytes = source.bytes;
    const how = r.weighted([[55, "tree"], [30, "bytes"], [15, "both"]] as const);
    if (how !== "bytes") {
      const tree = batchTree(source.header, source.events);
      labels.push(...mutateTree(tree, { ...ctx, rand: r }));
      bytes = encodeTree(tree);
    }
    if (how !== "tree") {
      const other = () =>
        made.length > 0 ? r.pick(made).bytes : makeBatch(r.pick(nodes), false).bytes;
      const [b, l] = mutateBytes(bytes, { rand: r, other });
      bytes = b;
      labels.push(...l);
    }
    return {
      kind: "send",
      bytes,
      token: source.token,
      contentType: MSGPACK,
      valid: false,
      note: `mutant of ${source.header.node} seq ${source.header.firstSeq} ` +
        `(${source.events.length} events): ${labels.join(", ")}`,
    };
  }

  function advance(big: boolean): void {
    let ms: number;
    if (big || small + 2 * config.windowMs + 2 >= config.gapTimeoutMs / 2) {
      ms = config.gapTimeoutMs + config.windowMs + 1 + r.int(1_000);
      small = 0;
    } else {
      ms = r.range(1, 2 * config.windowMs + 2);
      small += ms;
    }
    clock += ms;
    steps.push({ kind: "advance", ms });
  }

  const length = r.range(10, options.maxSteps ?? 400);
  while (steps.length < length) {
    const n = r.pick(nodes);
    const op = r.weighted(
      [
        [40, "valid"],
        [7, "retry"],
        [6, "hold"],
        [6, "release"],
        [1, "lose"],
        [25, "mutant"],
        [3, "reboot"],
        [6, "tick"],
        [1.5, "timeout"],
        [3, "http"],
      ] as const,
    );
    switch (op) {
      case "valid": {
        const m = makeBatch(n, true);
        made.push(m);
        send(validStep(m, "valid"));
        break;
      }
      case "retry": {
        if (sent.length === 0) break;
        const prev = r.chance(0.7) && made.length > 0
          ? validStep(r.pick(made), "retry of")
          : r.pick(sent);
        send({
          ...prev,
          note: prev.note.startsWith("retry") ? prev.note : `retry of ${prev.note}`,
        });
        break;
      }
      case "hold": {
        const m = makeBatch(n, true);
        made.push(m);
        held.push(validStep(m, "held"));
        break;
      }
      case "release":
        if (held.length > 0) send(held.splice(r.int(held.length), 1)[0]!);
        break;
      case "lose":
        made.push(makeBatch(n, true));
        break;
      case "mutant":
        send(mutant(n));
        break;
      case "reboot":
        n.boots++;
        n.boot = r.chance(0.8) ? `${n.id}-boot-${n.boots}` : `${n.id}-${r.int(1e9).toString(36)}`;
        n.next = 0;
        n.drops = [];
        break;
      case "tick":
        advance(false);
        break;
      case "timeout":
        advance(true);
        break;
      case "http": {
        const m = makeBatch(n, true);
        made.push(m);
        const other = nodes.find((x) => x !== n);
        const [token, contentType, note] = r.weighted<[string | null, string | null, string]>([
          [3, [other?.token ?? "tok-5", MSGPACK, "another node's token"]],
          [2, [null, MSGPACK, "no token"]],
          [2, ["not-a-token", MSGPACK, "unknown token"]],
          [2, [n.token, r.pick(REFUSED_TYPES), "wrong media type"]],
        ]);
        send({
          ...validStep(m, "valid"),
          token,
          contentType,
          valid: false,
          note: `${note}: valid batch`,
        });
        break;
      }
    }
  }
  for (const h of held.splice(0)) send(h);
  return { seed, config, steps };
}
