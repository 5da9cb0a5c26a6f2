/**
 * The collector's limits on growth: their names and defaults. Admission of
 * a batch against them is `admission.ts`.
 *
 * Without limits one token holder can make the collector hold anything:
 * every new partition key, node id and boot id costs memory for as long as
 * the collector's state lives, and every participant of a partition enters
 * each global check. The limits (options of `createCollector`, defaults in
 * {@link DEFAULT_LIMITS}):
 * - `maxPartitions`: partitions in total (all specs);
 * - `maxNodes`: node ids;
 * - `maxBootsPerNode`: streams (boot ids) kept per node and spec. Streams
 *   carry de-duplication and are kept for the life of the collector's
 *   state, so this caps a node's boots over that life, not at one time;
 * - `maxParticipants`: nodes per partition (participants, plus nodes whose
 *   first event there is admitted and waits in the reorder window);
 * - `maxNewBootsPerMinute`: new boot ids admitted per node in any 60 s of
 *   the collector clock (the HTTP ingest authenticates node = token, so
 *   this is per token there);
 * - `maxIdBytes`: UTF-8 bytes of a node id, a boot id and a node id a
 *   dependency names;
 * - `maxKeyBytes`: UTF-8 bytes of a partition (instance) key.
 *
 * @module
 */
import { DEFAULT_MAX_ID_BYTES, DEFAULT_MAX_KEY_BYTES } from "../../lib/wire/event.ts";

/**
 * The limit option names, in the order admission checks them.
 *
 * @example Every limit has a default
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_LIMITS, LIMIT_NAMES } from "./limits.ts";
 * assert.ok(LIMIT_NAMES.every((name) => DEFAULT_LIMITS[name] > 0));
 * ```
 */
export const LIMIT_NAMES = [
  "maxIdBytes",
  "maxNodes",
  "maxBootsPerNode",
  "maxNewBootsPerMinute",
  "maxKeyBytes",
  "maxPartitions",
  "maxParticipants",
] as const;

/**
 * One limit option name.
 *
 * @example A limit option by name
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LimitName } from "./limits.ts";
 * const name: LimitName = "maxPartitions";
 * assert.equal(name, "maxPartitions");
 * ```
 */
export type LimitName = typeof LIMIT_NAMES[number];

/**
 * Validated limits.
 *
 * @example The defaults are limits
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
 * const limits: Limits = DEFAULT_LIMITS;
 * assert.equal(limits.maxPartitions, 100_000);
 * ```
 */
export type Limits = Readonly<Record<LimitName, number>>;

/**
 * The default limits, chosen for a deployment of up to thousands of
 * service instances; `bench/limits_bench.ts` measures the cost behind each
 * figure (RSS after a forced GC, lease spec):
 * - `maxPartitions` 100 000: about 2 KB per partition that saw one
 *   handoff and 5 KB per partition in full use (history and cut rings
 *   full), so 200 to 500 MB at the limit;
 * - `maxNodes` 10 000 node ids (a large fleet; a node is a process sending
 *   events, not a machine): about 21 KB per node with one stream, 16 KB of
 *   it the stream's queue of buffered events, so about 210 MB at the limit;
 * - `maxBootsPerNode` 1 000 streams per node and spec: a node restarted
 *   five times a day reaches it after more than six months of collector
 *   state. Each stream costs about what a node does, and with
 *   `maxNewBootsPerMinute` one node needs over an hour and a half to
 *   reach it;
 * - `maxParticipants` 1 000 nodes in one partition: a pairwise global
 *   invariant (`forall a, b in nodes`) then costs about a million pair
 *   evaluations, 1 to 3 ms, per applied event of that partition;
 * - `maxNewBootsPerMinute` 10: a crash-looping process restarts at most
 *   about six times a minute under a usual back-off, a rolling deploy once;
 * - `maxIdBytes` 256 (`DEFAULT_MAX_ID_BYTES`, shared with the SDK, which
 *   refuses a longer id where a node is made): a DNS name (a host or pod
 *   name) is at most 253 bytes, a boot id a UUID of 36;
 * - `maxKeyBytes` 4 096 (`DEFAULT_MAX_KEY_BYTES`, shared with the SDK,
 *   which refuses a longer key where a monitor is given it): keys are
 *   URLs and composite ids, and HTTP servers refuse request lines past
 *   8 KiB. Measured (heap and external after a forced GC, one handoff
 *   per partition): 1.6 KB per partition with a 16-byte key, 6.3 KB at
 *   4 096 bytes (the key is held about once), so about 630 MB at
 *   `maxPartitions`; before this bound only the batch bounded a key
 *   (1 MiB over HTTP and NATS by default): 1.1 MB per partition with a
 *   1 MB key, over 100 GB at `maxPartitions`. Snapshots hold each key
 *   once (0.9 KB per partition, 4.9 KB at the bound).
 *
 * @example Read a default
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_LIMITS } from "./limits.ts";
 * assert.equal(DEFAULT_LIMITS.maxPartitions, 100_000);
 * ```
 */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxIdBytes: DEFAULT_MAX_ID_BYTES,
  maxNodes: 10_000,
  maxBootsPerNode: 1_000,
  maxNewBootsPerMinute: 10,
  maxKeyBytes: DEFAULT_MAX_KEY_BYTES,
  maxPartitions: 100_000,
  maxParticipants: 1_000,
});
