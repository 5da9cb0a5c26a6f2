/**
 * `vigil collector`: serves the collector app (`edge/server/http_server.ts`,
 * with header and body read deadlines) and, with `--nats`, consumes the
 * JetStream durable consumer (or a core NATS subscription). Specs are
 * compiled bindings or `.vigil` sources compiled in memory
 * (`cli/spec_files.ts`). Restores from and persists to a Deno KV file on
 * Deno, `--kv <path>` or `collector.kv` in the data directory, after
 * checking that the stored state belongs to the stream it reads
 * (`cli/collector_store.ts`); on Node and Bun it keeps state in memory
 * (`--kv none`) and says so at start. Prints one line per violation
 * (`cli/collector_log.ts`; `--log json` for machines). Stops cleanly on
 * SIGINT/SIGTERM (applies what is buffered, saves, acks, drains). Runs on
 * Deno, Node and Bun: only `node:` builtins, and NATS is loaded only with
 * `--nats`. A configuration that cannot run (a port in use, NATS out of
 * reach, a stored state of another stream) exits 1 with one line.
 *
 * The read side (dashboard, `/api/*`, streams, `/metrics`) needs a read
 * token whenever there are ingest tokens: `--read-token`/`--read-tokens`,
 * or one generated at start and printed once in the dashboard's URL;
 * `--public-read` opts out (with a warning). Without ingest tokens
 * (development) reads are open, and the start line says so.
 *
 * @module
 */
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { EVENT_STREAM } from "../lib/wire/subjects.ts";
import { createCollectorApp } from "../edge/server/app.ts";
import {
  parseReadTokens,
  parseTokens,
  randomToken,
  type ReadAuth,
  readAuth,
  tokenAuth,
} from "../edge/server/auth.ts";
import { DEFAULT_BODY_TIMEOUT_MS } from "../edge/ingest/http.ts";
import {
  type CollectorServer,
  DEFAULT_HEADER_TIMEOUT_MS,
  serveCollector,
} from "../edge/server/http_server.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { NatsConnection, NatsIngest } from "../edge/ingest/nats.ts";
import { createCollectorService } from "../edge/server/service.ts";
import type { Collector, CollectorOptions, CollectorSnapshot } from "../edge/engine/types.ts";
import { DEFAULT_LIMITS, type LimitName } from "../edge/engine/limits.ts";
import { type Flags, intFlag, parseFlags, UsageError } from "./flags.ts";
import { CommandError } from "./command_error.ts";
import { durationFlag } from "./duration.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "./help.ts";
import { eventLine, LOG_FORMATS, type LogFormat, violationLine } from "./collector_log.ts";
import { type OpenedStore, openStore, planStore, type StorePlan } from "./collector_store.ts";
import { jetStreamOrigin, specsOrigin, type StoreOrigin } from "./store_origin.ts";
import { didYouMean } from "./suggest.ts";
import { runtime } from "./runtime.ts";
import { loadSpecFiles } from "./spec_files.ts";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import process from "node:process";

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

/** `vigil collector --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

/** The store file older versions kept in the working directory by default. */
const LEGACY_STORE = "vigil-collector.kv";

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

/** The flags `vigil collector` parses: its help's, and the older `*-ms` spellings. */
const FLAG_SPEC = flagSpecOf(HELP_SPEC, {
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
 * import { collectorDurations } from "./collector_command.ts";
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
 * import { collectorMaxSkew } from "./collector_command.ts";
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

/** The growth limit flags and their options (see `edge/engine/limits.ts`). */
const LIMIT_FLAGS: readonly (readonly [string, LimitName])[] = [
  ["max-partitions", "maxPartitions"],
  ["max-nodes", "maxNodes"],
  ["max-boots-per-node", "maxBootsPerNode"],
  ["max-participants", "maxParticipants"],
  ["max-new-boots-per-minute", "maxNewBootsPerMinute"],
];

/** The limits given as flags, each an integer >= 1. */
function limitOptions(flags: Flags): Partial<Record<LimitName, number>> {
  const out: Partial<Record<LimitName, number>> = {};
  for (const [flag, option] of LIMIT_FLAGS) {
    out[option] = intFlag(flags, flag, { default: DEFAULT_LIMITS[option], min: 1 });
  }
  return out;
}

async function readTokens(flags: Flags): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  const file = flags.string.get("tokens");
  if (file !== undefined) {
    try {
      Object.assign(tokens, parseTokens(await readFile(file, "utf8")));
    } catch (e) {
      throw new UsageError(`Cannot read tokens file '${file}': ${(e as Error).message}`);
    }
  }
  for (const pair of flags.all.get("token") ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`Flag '--token' must be 'node=secret', got '${pair}'`);
    tokens[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return tokens;
}

/** The read tokens given (`--read-tokens` file, then each `--read-token`). */
async function readTokensOf(flags: Flags): Promise<string[]> {
  const tokens: string[] = [];
  const file = flags.string.get("read-tokens");
  if (file !== undefined) {
    try {
      tokens.push(...parseReadTokens(await readFile(file, "utf8")));
    } catch (e) {
      throw new UsageError(`Cannot read read tokens file '${file}': ${(e as Error).message}`);
    }
    if (tokens.length === 0) throw new UsageError(`Read tokens file '${file}' holds no token`);
  }
  tokens.push(...(flags.all.get("read-token") ?? []));
  return tokens;
}

/** Who may read, and the line saying so at start. */
interface ReadAccess {
  readonly auth?: ReadAuth;
  readonly publicRead: boolean;
  /** A token generated at start (printed once with the dashboard URL). */
  readonly generated?: string;
  /** For the start line. */
  readonly summary: string;
}

function readAccessOf(
  flags: Flags,
  ingest: ReturnType<typeof tokenAuth>,
  given: readonly string[],
): ReadAccess {
  const publicRead = flags.boolean.has("public-read");
  if (publicRead && given.length > 0) {
    throw new UsageError("Give either '--public-read' or read tokens, not both");
  }
  let auth: ReadAuth;
  try {
    auth = readAuth(given, { ingest });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (given.length > 0) {
    return { auth, publicRead, summary: `reads need one of ${given.length} read token(s)` };
  }
  if (publicRead) return { publicRead, summary: "reads open to anyone (--public-read)" };
  if (ingest.size === 0) return { publicRead, summary: "reads open: no ingest tokens" };
  const generated = randomToken();
  return {
    auth: readAuth([generated], { ingest }),
    publicRead,
    generated,
    summary: "reads need the read token generated at start",
  };
}

/** SIGINT or SIGTERM, listened for until it comes or `dispose` is called. */
function waitForSignal(): { readonly signal: Promise<string>; dispose(): void } {
  const signals = ["SIGINT", "SIGTERM"] as const;
  let handlers: (() => void)[] = [];
  const dispose = () => {
    handlers.forEach((h, i) => process.off(signals[i]!, h));
    handlers = [];
  };
  const signal = new Promise<string>((resolve) => {
    handlers = signals.map((sig) => {
      const handler = () => {
        dispose();
        resolve(sig);
      };
      process.on(sig, handler);
      return handler;
    });
  });
  return { signal, dispose };
}

/** Everything the flags say, checked before anything is opened or started. */
interface CollectorConfig {
  readonly specs: readonly CompiledSpec[];
  readonly log: LogFormat;
  readonly store: StorePlan;
  readonly tokens: Record<string, string>;
  readonly read: ReadAccess;
  readonly ingestAuth: ReturnType<typeof tokenAuth>;
  readonly natsUrl: string | undefined;
  readonly mode: "jetstream" | "core";
  readonly stream: string;
  readonly port: number;
  readonly hostname: string;
  readonly durations: CollectorDurations;
  readonly core: CollectorOptions;
  /** `--partitions` and what goes with it, or null for a single collector. */
  readonly cluster: ClusterFlags | null;
}

/** The flags of a partitioned collector. */
interface ClusterFlags {
  readonly partitions: number;
  readonly cluster: string;
  readonly instance: string;
  readonly ttlMs: number;
  readonly replicas: number;
}

/** `--partitions` and its companions, checked; null without `--partitions`. */
function clusterFlagsOf(
  flags: Flags,
  natsUrl: string | undefined,
  mode: string,
): ClusterFlags | null {
  const companions = ["cluster-id", "instance", "lease-ttl", "replicas"];
  if (!flags.string.has("partitions")) {
    const given = companions.find((f) => flags.string.has(f));
    if (given !== undefined) throw new UsageError(`Flag '--${given}' needs '--partitions'`);
    return null;
  }
  if (natsUrl === undefined || mode !== "jetstream") {
    throw new UsageError(
      "Flag '--partitions' needs '--nats' with JetStream (the default '--nats-mode')",
    );
  }
  for (const f of ["kv", "data-dir", "subject", "durable"]) {
    if (flags.string.has(f)) {
      throw new UsageError(
        `Flag '--${f}' does not apply with '--partitions' (each partition's state is in the KV bucket VIGIL_STATE, its consumer 'vigil-<cluster id>-p<n>')`,
      );
    }
  }
  const id = (name: string, value: string) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
      throw new UsageError(`Flag '--${name}' must be 1 to 64 of [A-Za-z0-9_-], got '${value}'`);
    }
    return value;
  };
  const random = crypto.getRandomValues(new Uint8Array(4));
  return {
    partitions: intFlag(flags, "partitions", { default: 16, min: 1, max: 4096 }),
    cluster: id("cluster-id", flags.string.get("cluster-id") ?? "vigil"),
    instance: id(
      "instance",
      flags.string.get("instance") ??
        `c-${[...random].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
    ),
    ttlMs: durationFlag(flags, "lease-ttl", { default: 3_000, allowZero: false }),
    replicas: intFlag(flags, "replicas", { default: 3, min: 1, max: 5 }),
  };
}

async function configOf(flags: Flags): Promise<CollectorConfig> {
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
  const tokens = await readTokens(flags);
  const ingestAuth = tokenAuth(tokens);
  const read = readAccessOf(flags, ingestAuth, await readTokensOf(flags));
  // Every flag is checked before any spec is loaded.
  const cluster = clusterFlagsOf(flags, flags.string.get("nats"), mode);
  const skew = maxSkewOf(flags);
  const specs = await loadSpecFiles(specPaths, { command: "vigil collector" });
  return {
    specs,
    log: log as LogFormat,
    store,
    tokens,
    read,
    ingestAuth,
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
      ...skew,
      ...limits,
    },
  };
}

/** Connects to NATS, or says why it cannot as one line. */
async function connect(
  nats: typeof import("../edge/ingest/nats.ts"),
  url: string,
): Promise<NatsConnection> {
  try {
    return await nats.connectNats(url);
  } catch (e) {
    throw new CommandError(`Cannot connect to NATS at '${url}': ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** What this collector reads, for the store check (`null`: its stream does not exist yet). */
async function currentOrigin(
  config: CollectorConfig,
  nc: NatsConnection | null,
): Promise<StoreOrigin | null> {
  if (nc === null || config.mode === "core") {
    return specsOrigin(config.specs.map((s) => s.meta.name));
  }
  try {
    return await jetStreamOrigin(nc, config.stream);
  } catch (e) {
    throw new CommandError((e as Error).message, { cause: e });
  }
}

/** Runs `vigil collector`; returns the exit code after SIGINT/SIGTERM. */
export async function collectorCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, FLAG_SPEC);
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  const config = await configOf(flags);
  // Listened for from here on: a signal during start-up stops the collector cleanly once started.
  const stopSignal = waitForSignal();
  try {
    return await runCollector(config, { flags, signal: stopSignal.signal });
  } finally {
    stopSignal.dispose();
  }
}

/** Starts the collector of `config`; returns 0 once `signal` came and everything stopped. */
async function runCollector(
  config: CollectorConfig,
  { flags, signal }: { readonly flags: Flags; readonly signal: Promise<string> },
): Promise<number> {
  const out = (line: string) => console.log(line);
  // NATS is loaded only when asked for: an HTTP-only collector needs none of @nats-io/*.
  const nats = config.natsUrl === undefined ? null : await import("../edge/ingest/nats.ts");
  const nc = nats === null ? null : await connect(nats, config.natsUrl!);
  if (config.cluster !== null && nc !== null) {
    return await runPartitioned(config, config.cluster, { flags, signal, nc });
  }
  const via = nc === null ? "HTTP" : config.natsUrl!;
  let opened: OpenedStore;
  try {
    opened = await openStore(config.store, {
      current: await currentOrigin(config, nc),
      via,
      reset: flags.boolean.has("reset-state"),
      adopt: flags.boolean.has("adopt-state"),
    });
  } catch (e) {
    await nc?.close();
    throw e;
  }
  if (config.store.kind === "memory" && config.store.why === "runtime") {
    console.error(
      `vigil collector: state is kept in memory only (Deno KV files are Deno-only and this is ` +
        `${runtime().label}); give '--kv none' to say so and silence this line`,
    );
  } else if (opened.path !== null) {
    console.error(`vigil collector: state in '${opened.path}'`);
  }
  if (config.store.kind === "kv" && config.store.from === "default" && existsSync(LEGACY_STORE)) {
    console.error(
      `vigil collector: note: '${LEGACY_STORE}' in the working directory (the store of older ` +
        `versions) is not used; give '--kv ${LEGACY_STORE}' to use it`,
    );
  }
  const { store, saved } = opened;
  let collector: Collector;
  try {
    collector = saved === null
      ? createCollector(config.core)
      : restoreCollector(saved, config.core);
  } catch (e) {
    opened.close();
    await nc?.close();
    throw new CommandError(
      `The state in '${opened.path}' cannot be restored: ${(e as Error).message}; give ` +
        `'--reset-state' to move it aside and start fresh, or another '--kv' path`,
      { cause: e },
    );
  }
  const secret = flags.string.get("webhook-secret");
  const service = createCollectorService(collector, {
    store,
    tickMs: config.durations.tick,
    persistMs: config.durations.persist,
    alerts: {
      webhooks: (flags.all.get("webhook") ?? []).map((url) =>
        secret === undefined ? { url } : { url, secret }
      ),
      ...(nats !== null && nc !== null && !flags.boolean.has("no-nats-alerts")
        ? { publish: nats.natsPublisher(nc) }
        : {}),
    },
  });
  const stopViolations = service.collector.on((ev) => {
    if (ev.type === "violation") out(violationLine(ev.violation, config.log));
  });
  const app = createCollectorApp(service, {
    auth: config.ingestAuth,
    allowAnonymous: flags.boolean.has("allow-anonymous"),
    maxBodyBytes: intFlag(flags, "max-body-bytes", { default: 1024 * 1024, min: 1 }),
    bodyTimeoutMs: config.durations["body-timeout"],
    ...(config.read.auth === undefined ? {} : { readAuth: config.read.auth }),
    publicRead: config.read.publicRead,
  });
  service.start();
  let ingest: NatsIngest | null = null;
  let server: CollectorServer | null = null;
  const stopAll = async () => {
    stopViolations();
    await ingest?.stop();
    service.alertHub.close();
    service.eventHub.close();
    await server?.shutdown();
    await service.stop();
    await service.alerts.drain();
    await nc?.drain();
    opened.close();
  };
  try {
    if (nats !== null && nc !== null) {
      const opt = (name: string) => flags.string.get(name);
      ingest = await nats.startNatsIngest(nc, service, {
        mode: config.mode,
        stream: config.stream,
        ...(opt("subject") === undefined ? {} : { subject: opt("subject")! }),
        ...(opt("durable") === undefined ? {} : { durable: opt("durable")! }),
      }).catch((e) => {
        throw new CommandError(
          `Cannot consume from NATS at '${config.natsUrl}': ${(e as Error).message}`,
          { cause: e },
        );
      });
    }
    if (opened.unrecorded) {
      // The stream exists now (the ingest made sure of it): this store belongs to it from here on.
      const origin = await currentOrigin(config, nc);
      if (origin !== null) await opened.record(origin);
    }
    server = await serveCollector(app.fetch, {
      port: config.port,
      hostname: config.hostname,
      headerTimeoutMs: config.durations["header-timeout"],
      // The server's whole-request backstop must not cut a body the ingest deadline still allows.
      requestTimeoutMs: config.durations["header-timeout"] + config.durations["body-timeout"] +
        5_000,
      onListen: ({ hostname, port }) => announce(config, { hostname, port, saved, nc }),
    }).catch((e) => {
      const code = (e as { code?: unknown }).code;
      if (code === "EADDRINUSE") {
        throw new CommandError(
          `Port ${config.port} on ${config.hostname} is in use: give '--port' another port ` +
            `('--port 0' picks a free one)`,
        );
      }
      if (code === "EADDRNOTAVAIL" || code === "EACCES") {
        throw new CommandError(
          `Cannot listen on ${config.hostname}:${config.port}: ${(e as Error).message}`,
        );
      }
      throw e;
    });
  } catch (e) {
    await stopAll();
    throw e;
  }
  const sig = await signal;
  out(eventLine(config.log, {
    type: "stopping",
    fields: { signal: sig },
    text: `vigil collector: ${sig}, stopping`,
  }));
  await stopAll();
  return 0;
}

/** The start line (and the lines it announces). */
function announce(
  config: CollectorConfig,
  at: {
    readonly hostname: string;
    readonly port: number;
    readonly saved: CollectorSnapshot | null;
    readonly nc: NatsConnection | null;
  },
): void {
  const restored = config.cluster !== null
    ? `member '${config.cluster.instance}' of '${config.cluster.cluster}', ${config.cluster.partitions} partitions, state in KV`
    : at.saved === null
    ? "fresh state"
    : `restored ${at.saved.counters.applied ?? 0} applied events`;
  const via = at.nc === null ? "HTTP ingest only" : `${config.mode} ingest from ${config.natsUrl}`;
  const base = `http://${at.hostname}:${at.port}/`;
  const names = config.specs.map((s) => s.meta.name);
  console.log(eventLine(config.log, {
    type: "listening",
    fields: {
      url: base,
      specs: names,
      ingest: via,
      state: restored,
      reads: config.read.summary,
    },
    text: `vigil collector listening on ${base} (${
      names.join(", ")
    }; ${via}; ${restored}; ${config.read.summary})`,
  }));
  if (config.read.publicRead) {
    console.error(
      "vigil collector: warning: --public-read: the dashboard, /api/*, the streams and /metrics " +
        "(violations carry node states) answer anyone who can reach this address",
    );
  }
  if (config.read.generated !== undefined) {
    console.log(eventLine(config.log, {
      type: "read-token",
      fields: { url: `${base}?token=${config.read.generated}` },
      text:
        `vigil collector: dashboard (read token generated at start): ${base}?token=${config.read.generated}`,
    }));
  }
}

/** Runs one member of a partitioned deployment (`--partitions`); returns 0 once `signal` came. */
async function runPartitioned(
  config: CollectorConfig,
  cluster: ClusterFlags,
  { flags, signal, nc }: {
    readonly flags: Flags;
    readonly signal: Promise<string>;
    readonly nc: NatsConnection;
  },
): Promise<number> {
  const out = (line: string) => console.log(line);
  const { startPartitionedCollector } = await import("../edge/cluster/deployment.ts");
  const nats = await import("../edge/ingest/nats.ts");
  const secret = flags.string.get("webhook-secret");
  let deployment;
  try {
    deployment = await startPartitionedCollector(nc, {
      cluster: cluster.cluster,
      instance: cluster.instance,
      partitions: cluster.partitions,
      core: config.core,
      stream: config.stream,
      replicas: cluster.replicas,
      ttlMs: cluster.ttlMs,
      service: {
        tickMs: config.durations.tick,
        persistMs: config.durations.persist,
        alerts: {
          webhooks: (flags.all.get("webhook") ?? []).map((url) =>
            secret === undefined ? { url } : { url, secret }
          ),
          ...(flags.boolean.has("no-nats-alerts") ? {} : { publish: nats.natsPublisher(nc) }),
        },
      },
      onService: (_p, service) =>
        void service.collector.on((ev) => {
          if (ev.type === "violation") out(violationLine(ev.violation, config.log));
        }),
    });
  } catch (e) {
    await nc.close();
    throw new CommandError(
      `Cannot join the partitioned deployment '${cluster.cluster}' at '${config.natsUrl}': ${
        (e as Error).message
      }`,
      { cause: e },
    );
  }
  const d = deployment;
  const app = createCollectorApp(d.front, {
    auth: config.ingestAuth,
    allowAnonymous: flags.boolean.has("allow-anonymous"),
    maxBodyBytes: intFlag(flags, "max-body-bytes", { default: 1024 * 1024, min: 1 }),
    bodyTimeoutMs: config.durations["body-timeout"],
    ...(config.read.auth === undefined ? {} : { readAuth: config.read.auth }),
    publicRead: config.read.publicRead,
    cluster: d.routes,
  });
  let server: CollectorServer | null = null;
  const stopAll = async () => {
    await server?.shutdown();
    await d.stop();
    await nc.drain();
  };
  try {
    server = await serveCollector(app.fetch, {
      port: config.port,
      hostname: config.hostname,
      headerTimeoutMs: config.durations["header-timeout"],
      requestTimeoutMs: config.durations["header-timeout"] + config.durations["body-timeout"] +
        5_000,
      onListen: ({ hostname, port }) => {
        d.node.setUrl(`http://${hostname}:${port}`);
        announce(config, { hostname, port, saved: null, nc });
      },
    });
  } catch (e) {
    await stopAll();
    const code = (e as { code?: unknown }).code;
    if (code === "EADDRINUSE") {
      throw new CommandError(
        `Port ${config.port} on ${config.hostname} is in use: give '--port' another port ` +
          `('--port 0' picks a free one)`,
      );
    }
    throw e;
  }
  const sig = await signal;
  out(eventLine(config.log, {
    type: "stopping",
    fields: { signal: sig },
    text: `vigil collector: ${sig}, handing partitions over and stopping`,
  }));
  // Handing over needs NATS: when it cannot be reached, do not hang; the leases then expire and
  // each partition's standby restores the last saved state.
  const STOP_MS = 20_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = await Promise.race([
    stopAll().then(() => true),
    new Promise<false>((r) => (timer = setTimeout(() => r(false), STOP_MS))),
  ]).finally(() => clearTimeout(timer));
  if (!stopped) {
    console.error(
      `vigil collector: handing partitions over did not finish within ${STOP_MS / 1000} s ` +
        `(NATS out of reach?); their leases expire and their standbys take them from the last saved state`,
    );
    return 1;
  }
  return 0;
}
