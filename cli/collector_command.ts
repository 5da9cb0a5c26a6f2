/**
 * `vigil collector`: serves the collector app (`edge/server/http_server.ts`,
 * with header and body read deadlines) and, with `--nats`, consumes the
 * JetStream durable consumer (or a core NATS subscription). Restores from
 * and persists to Deno KV on Deno (`cli/kv_file.ts`); on Node and Bun it
 * keeps state in memory (`--kv none`) and says so at start. Stops cleanly on
 * SIGINT/SIGTERM (applies what is buffered, saves, acks, drains). Runs on
 * Deno, Node and Bun: only `node:` builtins, and NATS is loaded only with
 * `--nats`.
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
import { DEFAULT_HEADER_TIMEOUT_MS, serveCollector } from "../edge/server/http_server.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { NatsConnection, NatsIngest } from "../edge/ingest/nats.ts";
import { kvCollectorStore } from "../edge/store/kv_store.ts";
import { createCollectorService } from "../edge/server/service.ts";
import { type CollectorStore, memoryStore } from "../edge/store/store.ts";
import type { CollectorOptions } from "../edge/engine/types.ts";
import { DEFAULT_LIMITS, type LimitName } from "../edge/engine/limits.ts";
import { type Flags, parseFlags, UsageError } from "./flags.ts";
import { kvFilesAvailable, kvUnavailableReason, openKvFile } from "./kv_file.ts";
import { runtime } from "./runtime.ts";
import { loadSpecFiles } from "./spec_files.ts";
import { readFile } from "node:fs/promises";
import process from "node:process";

const HELP = `Usage: vigil collector --spec dist/lease.js [--spec ...] [options]

Merges the event streams of many nodes, checks global invariants and
liveness, serves a live dashboard at / and raises alerts.

Options:
  --spec file.js          compiled spec bindings (repeat for several specs)
  --port n                HTTP port (default 8080; 0 picks a free one)
  --hostname h            HTTP address (default 127.0.0.1)
  --nats url              consume from NATS (default: HTTP ingest only)
  --nats-mode m           jetstream (durable, default) or core (at most once)
  --stream name           JetStream stream (default VIGIL_EVENTS, created if absent)
  --subject s             consumer filter / subscription (default vigil.events.>)
  --durable name          durable consumer name (default vigil-collector)
  --kv path               Deno KV file for state, on Deno only (default there
                          vigil-collector.kv; ':memory:' keeps nothing across runs);
                          'none' saves nothing (the default on Node and Bun)
  --tokens file           node=token lines for POST /ingest
  --token node=secret     one node token (repeatable)
  --allow-anonymous       accept POST /ingest without a token (development only)
  --read-tokens file      read tokens (one a line) for the dashboard, /api/*, the
                          streams and /metrics
  --read-token s          one read token (repeatable); with ingest tokens and no
                          read token, one is generated and printed at start
  --public-read           serve the read side to anyone even with ingest tokens
  --max-body-bytes n      POST /ingest body limit (default 1048576)
  --header-timeout-ms n   request line and headers deadline (default 10000)
  --body-timeout-ms n     POST /ingest body deadline (default 30000)
  --webhook url           POST each alert as JSON (repeatable)
  --webhook-secret s      signing secret (whsec_<base64> or text): Standard Webhooks headers
  --no-nats-alerts        do not publish alerts on vigil.alerts.<spec>
  --window-ms n           reorder window (default 250)
  --gap-timeout-ms n      how long a sequence hole keeps partitions unknown (default 30000)
  --tick-ms n             advance period (default 10)
  --persist-ms n          snapshot period (default 250)
  --max-partitions n      partitions in total; a batch creating more is refused
                          with 429 (default 100000)
  --max-nodes n           node ids (default 10000)
  --max-boots-per-node n  streams (boot ids) kept per node and spec (default 1000)
  --max-participants n    nodes per partition (default 1000)
  --max-new-boots-per-minute n
                          new boot ids per node in any 60 s (default 10)`;

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
    const n = int(flags, flag, DEFAULT_LIMITS[option]);
    if (n < 1) throw new UsageError(`Flag '--${flag}' must be an integer >= 1, got '${n}'`);
    out[option] = n;
  }
  return out;
}

const STRINGS = [
  "spec",
  "port",
  "hostname",
  "nats",
  "nats-mode",
  "stream",
  "subject",
  "durable",
  "kv",
  "tokens",
  "token",
  "max-body-bytes",
  "read-token",
  "read-tokens",
  "header-timeout-ms",
  "body-timeout-ms",
  "webhook",
  "webhook-secret",
  "window-ms",
  "gap-timeout-ms",
  "tick-ms",
  "persist-ms",
  ...LIMIT_FLAGS.map(([flag]) => flag),
];

function int(flags: Flags, name: string, dflt: number): number {
  const raw = flags.string.get(name);
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`Flag '--${name}' must be an integer >= 0, got '${raw}'`);
  }
  return n;
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

/** The `--kv` path when none is given: a file on Deno, nothing saved where Deno KV is missing. */
function defaultKvPath(): string {
  return kvFilesAvailable() ? "vigil-collector.kv" : "none";
}

async function openStore(path: string): Promise<{ store: CollectorStore; close(): void }> {
  if (path === "none") return { store: memoryStore(), close() {} };
  const kv = await openKvFile(path);
  return { store: kvCollectorStore(kv), close: () => kv.close() };
}

async function loadSpecs(paths: readonly string[]): Promise<CompiledSpec[]> {
  if (paths.length === 0) throw new UsageError("Give at least one '--spec dist/<name>.js'");
  return await loadSpecFiles(paths);
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const signals = ["SIGINT", "SIGTERM"] as const;
    const handlers = signals.map((sig) => {
      const handler = () => {
        signals.forEach((s, i) => process.off(s, handlers[i]!));
        resolve(sig);
      };
      process.on(sig, handler);
      return handler;
    });
  });
}

/** Runs `vigil collector`; returns the exit code after SIGINT/SIGTERM. */
export async function collectorCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, {
    string: STRINGS,
    boolean: ["help", "allow-anonymous", "no-nats-alerts", "public-read"],
    alias: { h: "help" },
  });
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  const kvPath = flags.string.get("kv");
  // Before anything is loaded: a Deno KV file asked for where none can be opened is a usage error.
  const kvWhy = kvPath === undefined || kvPath === "none" ? null : kvUnavailableReason(kvPath);
  if (kvWhy !== null) throw new UsageError(kvWhy);
  const specs = await loadSpecs(flags.all.get("spec") ?? []);
  const tokens = await readTokens(flags);
  const natsUrl = flags.string.get("nats");
  const mode = flags.string.get("nats-mode") ?? "jetstream";
  if (mode !== "jetstream" && mode !== "core") {
    throw new UsageError(`Flag '--nats-mode' must be 'jetstream' or 'core', got '${mode}'`);
  }
  const coreOptions: CollectorOptions = {
    specs,
    windowMs: int(flags, "window-ms", 250),
    gapTimeoutMs: int(flags, "gap-timeout-ms", 30_000),
    ...limitOptions(flags),
  };
  const { store, close: closeStore } = await openStore(kvPath ?? defaultKvPath());
  if (kvPath === undefined && !kvFilesAvailable()) {
    console.error(
      `vigil collector: state is kept in memory only (Deno KV files are Deno-only and this is ` +
        `${runtime().label}); give '--kv none' to say so and silence this line`,
    );
  }
  const saved = await store.load();
  const collector = saved === null
    ? createCollector(coreOptions)
    : restoreCollector(saved, coreOptions);
  // NATS is loaded only when asked for: an HTTP-only collector needs none of @nats-io/*.
  const nats = natsUrl === undefined ? null : await import("../edge/ingest/nats.ts");
  const nc: NatsConnection | null = nats === null ? null : await nats.connectNats(natsUrl!);
  const secret = flags.string.get("webhook-secret");
  const service = createCollectorService(collector, {
    store,
    tickMs: int(flags, "tick-ms", 10),
    persistMs: int(flags, "persist-ms", 250),
    alerts: {
      webhooks: (flags.all.get("webhook") ?? []).map((url) =>
        secret === undefined ? { url } : { url, secret }
      ),
      ...(nats !== null && nc !== null && !flags.boolean.has("no-nats-alerts")
        ? { publish: nats.natsPublisher(nc) }
        : {}),
    },
  });
  const ingestAuth = tokenAuth(tokens);
  const headerTimeoutMs = int(flags, "header-timeout-ms", DEFAULT_HEADER_TIMEOUT_MS);
  const bodyTimeoutMs = int(flags, "body-timeout-ms", DEFAULT_BODY_TIMEOUT_MS);
  const deadlines: readonly (readonly [string, number])[] = [
    ["header-timeout-ms", headerTimeoutMs],
    ["body-timeout-ms", bodyTimeoutMs],
  ];
  for (const [name, ms] of deadlines) {
    if (ms < 1) {
      throw new UsageError(
        `Flag '--${name}' must be at least 1 (a deadline cannot be off), got '${ms}'`,
      );
    }
  }
  const read = readAccessOf(flags, ingestAuth, await readTokensOf(flags));
  const app = createCollectorApp(service, {
    auth: ingestAuth,
    allowAnonymous: flags.boolean.has("allow-anonymous"),
    maxBodyBytes: int(flags, "max-body-bytes", 1024 * 1024),
    bodyTimeoutMs,
    ...(read.auth === undefined ? {} : { readAuth: read.auth }),
    publicRead: read.publicRead,
  });
  service.start();
  let ingest: NatsIngest | null = null;
  if (nats !== null && nc !== null) {
    const opt = (name: string) => flags.string.get(name);
    ingest = await nats.startNatsIngest(nc, service, {
      mode,
      ...(opt("stream") === undefined ? {} : { stream: opt("stream")! }),
      ...(opt("subject") === undefined ? {} : { subject: opt("subject")! }),
      ...(opt("durable") === undefined ? {} : { durable: opt("durable")! }),
    });
  }
  const server = await serveCollector(app.fetch, {
    port: int(flags, "port", 8080),
    hostname: flags.string.get("hostname") ?? "127.0.0.1",
    headerTimeoutMs,
    // The server's whole-request backstop must not cut a body the ingest deadline still allows.
    requestTimeoutMs: headerTimeoutMs + bodyTimeoutMs + 5_000,
    onListen: ({ hostname, port }) => {
      const restored = saved === null
        ? "fresh state"
        : `restored ${saved.counters.applied ?? 0} applied events`;
      const via = nc === null ? "HTTP ingest only" : `${mode} ingest from ${natsUrl}`;
      const base = `http://${hostname}:${port}/`;
      console.log(
        `vigil collector listening on ${base} (${
          specs.map((s) => s.meta.name).join(", ")
        }; ${via}; ${restored}; ${read.summary})`,
      );
      if (read.publicRead) {
        console.error(
          "vigil collector: warning: --public-read: the dashboard, /api/*, the streams and /metrics " +
            "(violations carry node states) answer anyone who can reach this address",
        );
      }
      if (read.generated !== undefined) {
        console.log(
          `vigil collector: dashboard (read token generated at start): ${base}?token=${read.generated}`,
        );
      }
    },
  });
  const sig = await waitForSignal();
  console.log(`vigil collector: ${sig}, stopping`);
  await ingest?.stop();
  service.alertHub.close();
  service.eventHub.close();
  await server.shutdown();
  await service.stop();
  await service.alerts.drain();
  await nc?.drain();
  closeStore();
  return 0;
}
