/**
 * The flags of `vigil collector` (its `--help`, and the older `*-ms`
 * spellings of the durations) and the configuration they make, every flag
 * checked before a spec is loaded, a store opened or anything started.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/mod.ts";
import { EVENT_STREAM } from "../../lib/wire/subjects.ts";
import { DEFAULT_BODY_TIMEOUT_MS } from "../../edge/ingest/http.ts";
import { DEFAULT_HEADER_TIMEOUT_MS } from "../../edge/server/http_server.ts";
import type { CollectorOptions } from "../../edge/engine/types.ts";
import { DEFAULT_LIMITS, type LimitName } from "../../edge/engine/limits.ts";
import { DEFAULT_RETIRE_IDLE_MS } from "../../edge/engine/retirement.ts";
import { type Flags, type FlagSpec, intFlag, parseFlags, UsageError } from "../flags.ts";
import { durationFlag } from "../duration.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "../help.ts";
import { LOG_FORMATS, type LogFormat } from "./log.ts";
import { planStore, type StorePlan } from "./store.ts";
import { didYouMean } from "../suggest.ts";
import { loadSpecFiles } from "../spec_files.ts";
import { accessOf, type CollectorAccess } from "./access.ts";
import { checkHandoverWait, type ClusterFlags, clusterFlagsOf } from "./cluster.ts";

const HELP_SPEC: CommandHelp = {
  usage: ["vigil collector --spec <spec> [--spec ...] [options]"],
  summary: `Merges the event streams of many nodes, checks global invariants and
liveness, serves a live dashboard at / and raises alerts. Prints one line per
violation on standard output.`,
  options: [
    {
      flag: "--spec file",
      help:
        "compiled bindings (dist/<name>.js) or a spec source (<name>.vigil, compiled in memory); repeat for several specs",
    },
    { flag: "--port n", help: "HTTP port (default 8080; 0 picks a free one)" },
    { flag: "--hostname h", help: "HTTP address (default 127.0.0.1)" },
    {
      flag: "--log format",
      help: "violation and start lines: human (default) or json (one JSON object per line)",
    },
    { flag: "--nats url", help: "consume from NATS (default: HTTP ingest only)" },
    { flag: "--nats-mode m", help: "jetstream (durable, default) or core (at most once)" },
    { flag: "--stream name", help: "JetStream stream (default VIGIL_EVENTS, created if absent)" },
    { flag: "--subject s", help: "consumer filter / subscription (default vigil.events.>)" },
    { flag: "--durable name", help: "durable consumer name (default vigil-collector)" },
    {
      flag: "--kv path",
      help:
        "Deno KV file for the state (Deno only); 'none' saves nothing (the default on Node and Bun); ':memory:' keeps it for the process only",
    },
    {
      flag: "--data-dir dir",
      help:
        "keep the state in <dir>/collector.kv (Deno only; default $XDG_STATE_HOME/vigil, else ~/.local/state/vigil)",
    },
    {
      flag: "--reset-state",
      help:
        "a stored state of another stream or other specs is moved aside (<file>.stale-<time>) and the collector starts fresh",
    },
    {
      flag: "--adopt-state",
      help: "keep a stored state of another (or unrecorded) origin and record it as this stream's",
    },
    { flag: "--tokens file", help: "node=token lines for POST /ingest" },
    { flag: "--token node=secret", help: "one node token (repeatable)" },
    { flag: "--allow-anonymous", help: "accept POST /ingest without a token (development only)" },
    {
      flag: "--read-tokens file",
      help: "read tokens (one a line) for the dashboard, /api/*, the streams and /metrics",
    },
    {
      flag: "--read-token s",
      help:
        "one read token (repeatable); with ingest tokens and no read token, one is generated and printed at start",
    },
    { flag: "--public-read", help: "serve the read side to anyone even with ingest tokens" },
    { flag: "--max-body-bytes n", help: "POST /ingest body limit (default 1048576)" },
    { flag: "--header-timeout d", help: "request line and headers deadline (default 10s)" },
    { flag: "--body-timeout d", help: "POST /ingest body deadline (default 30s)" },
    { flag: "--webhook url", help: "POST each alert as JSON (repeatable)" },
    {
      flag: "--webhook-secret s",
      help: "signing secret (whsec_<base64> or text): Standard Webhooks headers",
    },
    { flag: "--no-nats-alerts", help: "do not publish alerts on vigil.alerts.<spec>" },
    {
      flag: "--warm-up n",
      help:
        "made-up events run through a scratch collector before consuming from NATS (default 40000; 0: none)",
    },
    { flag: "--window d", help: "reorder window (default 250ms)" },
    {
      flag: "--causal",
      help:
        "judge global invariants over what causality allows (services pass stamps on their messages)",
    },
    {
      flag: "--max-skew d",
      help: "clock error bound S of --causal (default 500ms; implies --causal)",
    },
    {
      flag: "--gap-timeout d",
      help: "how long a sequence hole keeps partitions unknown (default 30s)",
    },
    {
      flag: "--retire-idle d",
      help:
        "retire a node's participants at rest once it sent nothing this long, then the node (default 10m; 0 or off: never)",
    },
    { flag: "--tick d", help: "advance period (default 10ms)" },
    { flag: "--persist d", help: "snapshot period (default 250ms)" },
    {
      flag: "--max-partitions n",
      help: "partitions in total; a batch creating more is refused with 429 (default 100000)",
    },
    { flag: "--max-nodes n", help: "node ids (default 10000)" },
    {
      flag: "--max-boots-per-node n",
      help: "streams (boot ids) kept per node and spec (default 1000)",
    },
    { flag: "--max-participants n", help: "nodes per partition (default 1000)" },
    {
      flag: "--max-new-boots-per-minute n",
      help: "new boot ids per node in any 60 s (default 10)",
    },
    {
      flag: "--max-key-bytes n",
      help: "UTF-8 bytes of a partition key; a batch with a longer one is refused (default 4096)",
    },
    {
      flag: "--max-id-bytes n",
      help: "UTF-8 bytes of a node or boot id; a batch with a longer one is refused (default 256)",
    },
    {
      flag: "--partitions n",
      help:
        "run as one member of a partitioned deployment (needs --nats, JetStream): n partitions shared by every collector of --cluster-id, each owned under a KV lease, its state in KV (docs/operations.md)",
    },
    { flag: "--cluster-id id", help: "the deployment's id (default vigil)" },
    {
      flag: "--instance id",
      help: "this collector's member id, unique in the deployment (default c-<random>)",
    },
    {
      flag: "--lease-ttl d",
      help: "partition lease time-to-live when the bucket is created (default 3s)",
    },
    {
      flag: "--replicas n",
      help: "replicas of the stream and KV buckets when created (default 3)",
    },
    {
      flag: "--handover-wait d",
      help:
        "how long an alert held by a member that lost a partition's lease waits at most for this member to raise it again before it routes the handed-over copy (default 60s; at least 4 x --max-skew + 2 x --window + 1s)",
    },
  ],
  examples: [
    "vigil collector --spec dist/lease.js --allow-anonymous",
    "vigil collector --spec specs/lease.vigil --nats nats://127.0.0.1:4222",
    "vigil collector --spec dist/lease.js --nats nats://nats:4222 --log json \\",
    "    --kv /var/lib/vigil/collector.kv --tokens tokens.txt --read-tokens reads.txt",
  ],
  exitCodes: [
    [0, "stopped by SIGINT or SIGTERM"],
    [
      1,
      "cannot run as configured (a port in use, NATS out of reach, a stored state of another stream, a spec with errors)",
    ],
    [2, "usage error"],
  ],
  notes: `Durations take a unit (250ms, 30s, 2m, 1h); a bare number is seconds. The
older --window-ms, --gap-timeout-ms, --tick-ms, --persist-ms,
--header-timeout-ms and --body-timeout-ms take milliseconds. See docs/cli.md.`,
};

/** The text of `vigil collector --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

/** Durations: the flag, its older `*-ms` twin, its default (ms), whether 0 is allowed. */
const DURATIONS = {
  window: ["window-ms", 250, true],
  "gap-timeout": ["gap-timeout-ms", 30_000, true],
  tick: ["tick-ms", 10, false],
  persist: ["persist-ms", 250, false],
  "header-timeout": ["header-timeout-ms", DEFAULT_HEADER_TIMEOUT_MS, false],
  "body-timeout": ["body-timeout-ms", DEFAULT_BODY_TIMEOUT_MS, false],
} as const;

/** The collector's durations, ms, by flag. */
export type CollectorDurations = Readonly<Record<keyof typeof DURATIONS, number>>;

function durationsOf(flags: Flags): CollectorDurations {
  const out: Partial<Record<keyof typeof DURATIONS, number>> = {};
  for (const [name, [legacyMs, dflt, allowZero]] of Object.entries(DURATIONS)) {
    out[name as keyof typeof DURATIONS] = durationFlag(flags, name, {
      default: dflt,
      legacyMs,
      allowZero,
    });
  }
  return out as CollectorDurations;
}

/**
 * The flags `vigil collector` parses: its help's, and the older `*-ms` spellings.
 *
 * @example The older spelling of a duration is a flag too
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "../flags.ts";
 * import { FLAG_SPEC } from "./config.ts";
 * const flags = parseFlags(["--window-ms", "20", "--spec", "a.vigil"], FLAG_SPEC);
 * assert.equal(flags.string.get("window-ms"), "20");
 * assert.deepEqual(flags.all.get("spec"), ["a.vigil"]);
 * ```
 */
export const FLAG_SPEC: FlagSpec = flagSpecOf(HELP_SPEC, {
  string: Object.values(DURATIONS).map(([legacy]) => legacy),
});

/**
 * The durations of `vigil collector ...args`, ms: a bare number is seconds,
 * except in the older `*-ms` flags, whose name gives the unit.
 *
 * @throws {UsageError} When a value is not a duration, or both spellings of one are given.
 *
 * @example Seconds by default, milliseconds in the older flags
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectorDurations } from "./config.ts";
 * const d = collectorDurations(["--window", "2", "--tick-ms", "20", "--body-timeout", "1m"]);
 * assert.deepEqual([d.window, d.tick, d["body-timeout"], d.persist], [2_000, 20, 60_000, 250]);
 * ```
 */
export function collectorDurations(args: readonly string[]): CollectorDurations {
  return durationsOf(parseFlags(args, FLAG_SPEC));
}

/**
 * `--causal` and `--max-skew`: the collector's `maxSkewMs` (default 500
 * ms) when either is given, else (or with `--max-skew off`) nothing:
 * verdicts on the merge order.
 */
function maxSkewOf(flags: Flags): { maxSkewMs?: number } {
  const skew = flags.string.get("max-skew");
  if (skew === "off" || (!flags.boolean.has("causal") && skew === undefined)) return {};
  return { maxSkewMs: durationFlag(flags, "max-skew", { default: 500, allowZero: true }) };
}

/**
 * The skew bound of `vigil collector ...args` in ms: with `--causal`,
 * `--max-skew` (default 500 ms); undefined without either (merge-order
 * verdicts).
 *
 * @throws {UsageError} When the `--max-skew` value is not a duration.
 *
 * @example Off by default; the default bound; a given bound
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectorMaxSkew } from "./config.ts";
 * assert.equal(collectorMaxSkew([]), undefined);
 * assert.equal(collectorMaxSkew(["--causal"]), 500);
 * assert.equal(collectorMaxSkew(["--max-skew", "40ms"]), 40);
 * assert.equal(collectorMaxSkew(["--causal", "--max-skew", "off"]), undefined);
 * assert.throws(() => collectorMaxSkew(["--max-skew", "soon"]), /max-skew/);
 * ```
 */
export function collectorMaxSkew(args: readonly string[]): number | undefined {
  return maxSkewOf(parseFlags(args, FLAG_SPEC)).maxSkewMs;
}

/**
 * `--retire-idle`: the collector's `retireIdleMs` (default 10 minutes;
 * `0` or `off`: never).
 *
 * @throws {UsageError} When the value is not a duration.
 */
function retireIdleOf(flags: Flags): number {
  if (flags.string.get("retire-idle") === "off") return 0;
  return durationFlag(flags, "retire-idle", { default: DEFAULT_RETIRE_IDLE_MS, allowZero: true });
}

/**
 * The `retireIdleMs` of `vigil collector ...args`.
 *
 * @throws {UsageError} When the `--retire-idle` value is not a duration.
 *
 * @example Ten minutes by default; off
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectorRetireIdle } from "./config.ts";
 * assert.equal(collectorRetireIdle([]), 600_000);
 * assert.equal(collectorRetireIdle(["--retire-idle", "90s"]), 90_000);
 * assert.equal(collectorRetireIdle(["--retire-idle", "off"]), 0);
 * assert.throws(() => collectorRetireIdle(["--retire-idle", "later"]), /retire-idle/);
 * ```
 */
export function collectorRetireIdle(args: readonly string[]): number {
  return retireIdleOf(parseFlags(args, FLAG_SPEC));
}

/** The growth limit flags and their options (see `edge/engine/limits.ts`). */
const LIMIT_FLAGS: readonly (readonly [string, LimitName])[] = [
  ["max-partitions", "maxPartitions"],
  ["max-nodes", "maxNodes"],
  ["max-boots-per-node", "maxBootsPerNode"],
  ["max-participants", "maxParticipants"],
  ["max-new-boots-per-minute", "maxNewBootsPerMinute"],
  ["max-key-bytes", "maxKeyBytes"],
  ["max-id-bytes", "maxIdBytes"],
];

/** The limits given as flags, each an integer >= 1. */
function limitOptions(flags: Flags): Partial<Record<LimitName, number>> {
  const out: Partial<Record<LimitName, number>> = {};
  for (const [flag, option] of LIMIT_FLAGS) {
    out[option] = intFlag(flags, flag, { default: DEFAULT_LIMITS[option], min: 1 });
  }
  return out;
}

/** Everything the flags say, checked before anything is opened or started. */
export interface CollectorConfig extends CollectorAccess {
  /** The specs served, loaded (or compiled) from `--spec`. */
  readonly specs: readonly CompiledSpec[];
  /** `--log`. */
  readonly log: LogFormat;
  /** Where the state goes (`--kv`, `--data-dir`). */
  readonly store: StorePlan;
  /** `--nats`, or undefined for HTTP ingest only. */
  readonly natsUrl: string | undefined;
  /** `--nats-mode`. */
  readonly mode: "jetstream" | "core";
  /** `--stream`. */
  readonly stream: string;
  /** `--port`. */
  readonly port: number;
  /** `--hostname`. */
  readonly hostname: string;
  /** Every duration, ms. */
  readonly durations: CollectorDurations;
  /** The collector core's options. */
  readonly core: CollectorOptions;
  /** `--partitions` and what goes with it, or null for a single collector. */
  readonly cluster: ClusterFlags | null;
}

/**
 * Checks the flags of `vigil collector` and loads its specs.
 *
 * @throws {UsageError} When a flag is missing, malformed or contradicts another.
 *
 * @example No spec is a usage error
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "../flags.ts";
 * import { configOf, FLAG_SPEC } from "./config.ts";
 * await assert.rejects(configOf(parseFlags(["--kv", "none"], FLAG_SPEC)), /at least one '--spec/);
 * ```
 */
export async function configOf(flags: Flags): Promise<CollectorConfig> {
  if (flags.positional.length > 0) {
    throw new UsageError(
      `Unexpected argument '${flags.positional[0]}'${
        flags.positional[0]!.endsWith(".vigil") || flags.positional[0]!.endsWith(".js")
          ? `; give specs with '--spec ${flags.positional[0]}'`
          : ""
      }`,
    );
  }
  const log = flags.string.get("log") ?? "human";
  if (!(LOG_FORMATS as readonly string[]).includes(log)) {
    throw new UsageError(
      `Flag '--log' must be 'human' or 'json', got '${log}'${didYouMean(log, LOG_FORMATS)}`,
    );
  }
  const mode = flags.string.get("nats-mode") ?? "jetstream";
  if (mode !== "jetstream" && mode !== "core") {
    throw new UsageError(
      `Flag '--nats-mode' must be 'jetstream' or 'core', got '${mode}'${
        didYouMean(mode, ["jetstream", "core"])
      }`,
    );
  }
  if (flags.boolean.has("reset-state") && flags.boolean.has("adopt-state")) {
    throw new UsageError("Give either '--reset-state' or '--adopt-state', not both");
  }
  // Before anything is loaded: a Deno KV file asked for where none can be opened is a usage error.
  const store = planStore({
    ...(flags.string.has("kv") ? { kv: flags.string.get("kv")! } : {}),
    ...(flags.string.has("data-dir") ? { dataDir: flags.string.get("data-dir")! } : {}),
  });
  const specPaths = flags.all.get("spec") ?? [];
  if (specPaths.length === 0) {
    throw new UsageError("Give at least one '--spec dist/<name>.js' (or '--spec <name>.vigil')");
  }
  const durations = durationsOf(flags);
  const limits = limitOptions(flags);
  const port = intFlag(flags, "port", { default: 8080, max: 65535 });
  const access = await accessOf(flags);
  // Every flag is checked before any spec is loaded.
  const cluster = clusterFlagsOf(flags, flags.string.get("nats"), mode);
  const skew = maxSkewOf(flags);
  if (cluster !== null) {
    checkHandoverWait(cluster.handoverWaitMs, flags.string.get("handover-wait") ?? "60s", {
      ...skew,
      windowMs: durations.window,
    });
  }
  const retireIdleMs = retireIdleOf(flags);
  const specs = await loadSpecFiles(specPaths, { command: "vigil collector" });
  return {
    specs,
    log: log as LogFormat,
    store,
    ...access,
    natsUrl: flags.string.get("nats"),
    cluster,
    mode,
    stream: flags.string.get("stream") ?? EVENT_STREAM,
    port,
    hostname: flags.string.get("hostname") ?? "127.0.0.1",
    durations,
    core: {
      specs,
      windowMs: durations.window,
      gapTimeoutMs: durations["gap-timeout"],
      retireIdleMs,
      ...skew,
      ...limits,
    },
  };
}
