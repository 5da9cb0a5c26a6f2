/**
 * Admission of a batch against the collector's growth limits (`limits.ts`),
 * and the counts it keeps.
 *
 * Admission is all or nothing per batch and decided before anything of the
 * batch is applied: a pre-pass counts what the batch would create (a node,
 * a stream and boot id, partitions, participants) and, if that passes a
 * limit, throws {@link LimitError} (counted per limit) and changes nothing.
 * Limits are checked in the order above; the error names the first one
 * passed. What is already admitted keeps being served: a batch creating
 * nothing new is always admitted, so existing partitions keep receiving
 * events at every limit. The key pre-pass runs only when a limit is near (a
 * batch could pass `maxPartitions` if all its keys were new, or some
 * partition is at `maxParticipants`); otherwise admission costs a few map
 * lookups per batch. The length limits cost nothing per event: the
 * decoder notes a batch's longest key past 31 bytes and its longest
 * dependency node id (`WireColumns.longestKey`, `longestDepNode`), compared
 * once per batch (only a `maxKeyBytes` under 31 measures every key), and
 * the header's ids are measured only when they open a new stream (a known
 * stream's ids were measured when it opened, or restored).
 *
 * A collector restored from a snapshot counts what it restores (streams
 * with their first-seen times, nodes, partitions, participants), so it
 * enforces the same limits; a snapshot beyond smaller limits is restored
 * whole and then grows no further.
 *
 * @module
 */
import { type BatchHeader, type StreamId, utf8Length } from "../../lib/wire/event.ts";
import { SHORT_KEY_BYTES, type WireColumns } from "../../lib/wire/columns.ts";
import type { Counters } from "./counters.ts";
import { LimitError } from "./errors.ts";
import type { LimitName, Limits } from "./limits.ts";
import type { Partition } from "./partition.ts";
import type { PartitionTable } from "./partition_table.ts";
import { streamKey } from "./stream_state.ts";

/** Characters of an overlong id or key that an error message shows. */
const SHOWN = 40;

/** `s` quoted for a message, its first {@link SHOWN} characters only when longer. */
function shown(s: string): string {
  return s.length <= SHOWN ? `'${s}'` : `'${s.slice(0, SHOWN)}…'`;
}

/** The window of `maxNewBootsPerMinute`, in ms of the collector clock. */
export const BOOT_WINDOW_MS = 60_000;

/** What admission reads of the engine. */
export interface AdmissionHost {
  readonly nodes: ReadonlyMap<string, unknown>;
  readonly streams: ReadonlyMap<string, unknown>;
  readonly partitions: { readonly size: number };
  /** Per served spec (by hash): its partitions. */
  readonly tables: ReadonlyMap<string, PartitionTable>;
  readonly counters: Counters;
}

/** What admission counts per node. */
interface NodeCounts {
  /** Streams kept, by the spec's position in the served specs. */
  readonly streams: number[];
  /** First-seen times of the node's newest boot ids, ascending, at most `maxNewBootsPerMinute`. */
  boots: number[];
}

/** Admits batches against the limits and keeps the counts they need. */
export class Admission {
  readonly limits: Limits;
  readonly #host: AdmissionHost;
  readonly #nodes = new Map<string, NodeCounts>();
  /** Position of each served spec (by hash), made on first use. */
  #specs: Map<string, number> | null = null;
  /** The most members of any partition. */
  #largest = 0;
  /**
   * True when `maxKeyBytes` is under `SHORT_KEY_BYTES`, which a decoded
   * batch's `longestKey` may leave out: every key is measured then.
   */
  readonly #keyScan: boolean;

  /**
   * Creates the admission of an engine.
   *
   * @example Refuse a second node
   * ```ts
   * import assert from "node:assert/strict";
   * import { Admission } from "./admission.ts";
   * import { DEFAULT_LIMITS } from "./limits.ts";
   * import { Counters } from "./counters.ts";
   * import { LimitError } from "./errors.ts";
   * const host = {
   *   nodes: new Map([["n1", {}]]),
   *   streams: new Map(),
   *   partitions: { size: 0 },
   *   tables: new Map(),
   *   counters: new Counters(),
   * };
   * const a = new Admission(host, { ...DEFAULT_LIMITS, maxNodes: 1 });
   * const batch = { spec: "ab", specName: "A", node: "n2", boot: "b", firstSeq: 0, dropped: [] };
   * assert.throws(() => a.admitHeader(batch, 0, 0), LimitError);
   * assert.equal(host.counters.refusedByLimit.maxNodes, 1);
   * ```
   */
  constructor(host: AdmissionHost, limits: Limits) {
    this.#host = host;
    this.limits = limits;
    this.#keyScan = limits.maxKeyBytes < SHORT_KEY_BYTES;
  }

  /** The most members (participants and admitted joiners) of any partition. */
  get largestPartition(): number {
    return this.#largest;
  }

  /** Notes a partition's member count (after a node was admitted to it, or restored). */
  noteMembers(members: number): void {
    if (members > this.#largest) this.#largest = members;
  }

  /**
   * Registers a new or restored stream: its spec and node's stream count
   * and, when its boot id is new for the node, its first-seen time. Call
   * before the stream is in the host's map.
   */
  addStream(id: StreamId, firstSeenAt: number): void {
    let counts = this.#nodes.get(id.node);
    if (counts === undefined) {
      counts = { streams: new Array<number>(this.#host.tables.size).fill(0), boots: [] };
      this.#nodes.set(id.node, counts);
    }
    const at = this.#spec(id.spec);
    counts.streams[at] = counts.streams[at]! + 1;
    if (this.#bootKnown(id)) return;
    const times = counts.boots;
    if (times.length === 0) counts.boots = [firstSeenAt];
    else {
      let i = times.length;
      while (i > 0 && times[i - 1]! > firstSeenAt) i--;
      times.splice(i, 0, firstSeenAt);
      if (times.length > this.limits.maxNewBootsPerMinute) times.shift();
    }
  }

  /** Forgets a retired node's stream counts and boot times (`retirement.ts`). */
  removeNode(node: string): void {
    this.#nodes.delete(node);
  }

  /** The position of a served spec. */
  #spec(hash: string): number {
    this.#specs ??= new Map([...this.#host.tables.keys()].map((h, i) => [h, i]));
    const i = this.#specs.get(hash);
    if (i === undefined) throw new TypeError(`Spec hash '${hash}' is not served`);
    return i;
  }

  /** True when another served spec already has a stream of this node and boot id. */
  #bootKnown(id: StreamId): boolean {
    for (const hash of this.#host.tables.keys()) {
      if (hash === id.spec) continue;
      if (this.#host.streams.has(streamKey({ ...id, spec: hash }))) return true;
    }
    return false;
  }

  /**
   * Checks what a batch header of `count` events creates (node, stream,
   * boot id) at collector time `now`; throws {@link LimitError}. Returns
   * true when the batch's keys must be checked too (a partition limit is
   * near): then call {@link admitColumns} instead.
   */
  admitHeader(h: BatchHeader, count: number, now: number): boolean {
    const host = this.#host;
    const l = this.limits;
    const newNode = !host.nodes.has(h.node);
    const newStream = newNode || !host.streams.has(streamKey(h));
    if (newStream) this.#admitIds(h);
    if (newNode && host.nodes.size >= l.maxNodes) {
      this.#refuse(
        "maxNodes",
        `batch from new node '${h.node}' with ${host.nodes.size} nodes known`,
      );
    }
    if (newStream) {
      const streams = this.#nodes.get(h.node)?.streams[this.#spec(h.spec)] ?? 0;
      if (streams >= l.maxBootsPerNode) {
        this.#refuse(
          "maxBootsPerNode",
          `new boot '${h.boot}' of node '${h.node}' with ${streams} streams of spec '${h.specName}' kept`,
        );
      }
      if (!this.#bootKnown(h)) {
        const recent = this.#bootsSince(h.node, now - BOOT_WINDOW_MS);
        if (recent >= l.maxNewBootsPerMinute) {
          this.#refuse(
            "maxNewBootsPerMinute",
            `new boot '${h.boot}' of node '${h.node}' after ${recent} new boots in the last minute`,
          );
        }
      }
    }
    return host.partitions.size + count > l.maxPartitions || this.#largest >= l.maxParticipants;
  }

  /** Refuses a new stream whose node or boot id is longer than `maxIdBytes`. */
  #admitIds(h: BatchHeader): void {
    const max = this.limits.maxIdBytes;
    for (const [what, id] of [["node", h.node], ["boot", h.boot]] as const) {
      // A string of n UTF-16 units takes at most 3n UTF-8 bytes: most ids are measured by `length` alone.
      if (id.length * 3 <= max) continue;
      const bytes = utf8Length(id);
      if (bytes > max) {
        this.#refuse("maxIdBytes", `${what} id of a new stream is ${bytes} bytes: ${shown(id)}`);
      }
    }
  }

  /**
   * Refuses a batch with a new key longer than `maxKeyBytes` or a
   * dependency naming a new node id longer than `maxIdBytes` (called only
   * when the batch has a key or such id that long). A longer key of a
   * partition already held, or id of a node already known (restored from
   * a snapshot taken under larger limits), is admitted: it costs nothing
   * more.
   */
  #admitLengths(c: WireColumns, table: PartitionTable): void {
    const l = this.limits;
    const long = this.#keyScan || c.longestKey > l.maxKeyBytes;
    for (let i = 0; long && i < c.count; i++) {
      const len = c.keyLen[i]!;
      if (len <= l.maxKeyBytes) continue;
      const key = c.key(i);
      if (table.get(key) !== undefined) continue;
      this.#refuse(
        "maxKeyBytes",
        `key of event ${i} (of ${c.count}) from node '${c.node}' is ${len} bytes: ${shown(key)}`,
      );
    }
    for (let d = 0; c.longestDepNode > l.maxIdBytes && d < c.depCount; d++) {
      const node = c.depNode[d]!;
      const len = utf8Length(node);
      if (len <= l.maxIdBytes || this.#host.nodes.has(node)) continue;
      this.#refuse(
        "maxIdBytes",
        `a dependency of event ${c.depEvent[d]} from node '${c.node}' names node id ${
          shown(node)
        } of ${len} bytes`,
      );
    }
  }

  /** Number of the node's boot ids first seen after `since`. */
  #bootsSince(node: string, since: number): number {
    const times = this.#nodes.get(node)?.boots;
    if (times === undefined) return 0;
    let n = 0;
    for (let i = times.length - 1; i >= 0 && times[i]! > since; i--) n++;
    return n;
  }

  /** Admits a batch decoded as columns for the partitions of `table` at collector time `now`, or throws {@link LimitError}. */
  admitColumns(c: WireColumns, table: PartitionTable, now: number): void {
    const near = this.admitHeader(c, c.count, now);
    if (
      this.#keyScan || c.longestKey > this.limits.maxKeyBytes ||
      c.longestDepNode > this.limits.maxIdBytes
    ) {
      this.#admitLengths(c, table);
    }
    if (!near) return;
    let fresh: Set<string> | null = null;
    let full: Partition | null = null;
    let prev: Partition | null = null;
    for (let i = 0; i < c.count; i++) {
      let p = table.cached(c.bytes, c.keyOff[i]!, c.keyLen[i]!);
      if (p !== undefined && p === prev) continue;
      if (p === undefined) {
        const key = c.key(i);
        p = table.get(key);
        if (p === undefined) {
          (fresh ??= new Set()).add(key);
          continue;
        }
      }
      prev = p;
      if (full === null && this.#wouldPassMembers(p, c.node)) full = p;
    }
    this.#admitKeys(c, fresh, full);
  }

  #wouldPassMembers(p: Partition, node: string): boolean {
    return p.members >= this.limits.maxParticipants && !p.isMember(node);
  }

  #admitKeys(h: BatchHeader, fresh: Set<string> | null, full: Partition | null): void {
    const have = this.#host.partitions.size;
    const add = fresh === null ? 0 : fresh.size;
    if (add > 0 && have + add > this.limits.maxPartitions) {
      this.#refuse(
        "maxPartitions",
        `batch from node '${h.node}' would add ${add} partitions to ${have}`,
      );
    }
    if (full !== null) {
      this.#refuse(
        "maxParticipants",
        `node '${h.node}' would join partition '${full.id}' of ${full.members} participants`,
      );
    }
  }

  #refuse(limit: LimitName, detail: string): never {
    const c = this.#host.counters;
    c.refusedByLimit[limit]++;
    c.batchesRejected++;
    throw new LimitError(limit, this.limits[limit], detail);
  }
}
