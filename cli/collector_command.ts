/**
 * `vigil collector`: serves the collector app with `Deno.serve` and, with
 * `--nats`, consumes the JetStream durable consumer (or a core NATS
 * subscription). Restores from and persists to Deno KV. Stops cleanly on
 * SIGINT/SIGTERM (applies what is buffered, saves, acks, drains).
 *
 * @module
 */
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { createCollectorApp } from "../edge/app.ts";
import { parseTokens, tokenAuth } from "../edge/auth.ts";
import { createCollector, restoreCollector } from "../edge/collector.ts";
import {
  connectNats,
  type NatsConnection,
  type NatsIngest,
  natsPublisher,
  startNatsIngest,
} from "../edge/ingest_nats.ts";
import { kvCollectorStore } from "../edge/kv_store.ts";
import { createCollectorService } from "../edge/service.ts";
import { type CollectorStore, memoryStore } from "../edge/store.ts";
import type { CollectorOptions } from "../edge/types.ts";
import { type Flags, parseFlags, UsageError } from "./flags.ts";

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
  --kv path               Deno KV file for state (default vigil-collector.kv;
                          ':memory:' keeps nothing across runs; 'none' saves nothing)
  --tokens file           node=token lines for POST /ingest
  --token node=secret     one node token (repeatable)
  --allow-anonymous       accept POST /ingest without a token (development only)
  --max-body-bytes n      POST /ingest body limit (default 1048576)
  --webhook url           POST each alert as JSON (repeatable)
  --webhook-secret s      HMAC-SHA256 key for the X-Vigil-Signature header
  --no-nats-alerts        do not publish alerts on vigil.alerts.<spec>
  --window-ms n           reorder window (default 250)
  --gap-timeout-ms n      how long a sequence hole keeps partitions unknown (default 30000)
  --tick-ms n             advance period (default 10)
  --persist-ms n          snapshot period (default 250)`;

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
  "webhook",
  "webhook-secret",
  "window-ms",
  "gap-timeout-ms",
  "tick-ms",
  "persist-ms",
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
      Object.assign(tokens, parseTokens(await Deno.readTextFile(file)));
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

async function openStore(path: string): Promise<{ store: CollectorStore; close(): void }> {
  if (path === "none") return { store: memoryStore(), close() {} };
  const kv = await Deno.openKv(path);
  return { store: kvCollectorStore(kv), close: () => kv.close() };
}

async function loadSpecs(paths: readonly string[]): Promise<CompiledSpec[]> {
  if (paths.length === 0) throw new UsageError("Give at least one '--spec dist/<name>.js'");
  const specs: CompiledSpec[] = [];
  for (const p of paths) specs.push(await loadCompiled(p));
  return specs;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(sig, () => resolve(sig));
    }
  });
}

/** Runs `vigil collector`; returns the exit code after SIGINT/SIGTERM. */
export async function collectorCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, {
    string: STRINGS,
    boolean: ["help", "allow-anonymous", "no-nats-alerts"],
    alias: { h: "help" },
  });
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
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
  };
  const { store, close: closeStore } = await openStore(
    flags.string.get("kv") ?? "vigil-collector.kv",
  );
  const saved = await store.load();
  const collector = saved === null
    ? createCollector(coreOptions)
    : restoreCollector(saved, coreOptions);
  const nc: NatsConnection | null = natsUrl === undefined ? null : await connectNats(natsUrl);
  const secret = flags.string.get("webhook-secret");
  const service = createCollectorService(collector, {
    store,
    tickMs: int(flags, "tick-ms", 10),
    persistMs: int(flags, "persist-ms", 250),
    alerts: {
      webhooks: (flags.all.get("webhook") ?? []).map((url) =>
        secret === undefined ? { url } : { url, secret }
      ),
      ...(nc !== null && !flags.boolean.has("no-nats-alerts")
        ? { publish: natsPublisher(nc) }
        : {}),
    },
  });
  const app = createCollectorApp(service, {
    auth: tokenAuth(tokens),
    allowAnonymous: flags.boolean.has("allow-anonymous"),
    maxBodyBytes: int(flags, "max-body-bytes", 1024 * 1024),
  });
  service.start();
  let ingest: NatsIngest | null = null;
  if (nc !== null) {
    const opt = (name: string) => flags.string.get(name);
    ingest = await startNatsIngest(nc, service, {
      mode,
      ...(opt("stream") === undefined ? {} : { stream: opt("stream")! }),
      ...(opt("subject") === undefined ? {} : { subject: opt("subject")! }),
      ...(opt("durable") === undefined ? {} : { durable: opt("durable")! }),
    });
  }
  const server = Deno.serve({
    port: int(flags, "port", 8080),
    hostname: flags.string.get("hostname") ?? "127.0.0.1",
    onListen: ({ hostname, port }) => {
      const restored = saved === null
        ? "fresh state"
        : `restored ${saved.counters.applied ?? 0} applied events`;
      const via = nc === null ? "HTTP ingest only" : `${mode} ingest from ${natsUrl}`;
      console.log(
        `vigil collector listening on http://${hostname}:${port}/ (${
          specs.map((s) => s.meta.name).join(", ")
        }; ${via}; ${restored})`,
      );
    },
  }, app.fetch);
  const sig = await waitForSignal();
  console.log(`vigil collector: ${sig}, stopping`);
  await ingest?.stop();
  await server.shutdown();
  await service.stop();
  await service.alerts.drain();
  await nc?.drain();
  closeStore();
  return 0;
}
