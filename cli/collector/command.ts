/**
 * `vigil collector`: serves the collector app (`edge/server/http_server.ts`,
 * with header and body read deadlines) and, with `--nats`, consumes the
 * JetStream durable consumer (or a core NATS subscription). Specs are
 * compiled bindings or `.vigil` sources compiled in memory
 * (`cli/spec_files.ts`). Restores from and persists to a Deno KV file on
 * Deno, `--kv <path>` or `collector.kv` in the data directory, after
 * checking that the stored state belongs to the stream it reads
 * (`cli/collector/store.ts`); on Node and Bun it keeps state in memory
 * (`--kv none`) and says so at start. Prints one line per violation
 * (`cli/collector/log.ts`; `--log json` for machines). Stops cleanly on
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
 * The flags are checked into a configuration by `cli/collector/config.ts`
 * (who may send and read: `cli/collector/access.ts`); the HTTP side is
 * `cli/collector/http.ts`; with `--partitions`, the process runs as a
 * member of a partitioned deployment (`cli/collector/cluster.ts`).
 *
 * @module
 */
import { createCollectorApp } from "../../edge/server/app.ts";
import type { CollectorServer } from "../../edge/server/http_server.ts";
import { createCollector, restoreCollector } from "../../edge/engine/collector.ts";
import type { NatsConnection, NatsIngest } from "../../edge/ingest/nats.ts";
import { createCollectorService } from "../../edge/server/service.ts";
import type { Collector } from "../../edge/engine/types.ts";
import { type Flags, intFlag, parseFlags } from "../flags.ts";
import { WARM_UP_EVENTS, warmUpService } from "../../edge/server/warm_up.ts";
import { CommandError } from "../command_error.ts";
import { violationLine } from "./log.ts";
import { type OpenedStore, openStore } from "./store.ts";
import { jetStreamOrigin, specsOrigin, type StoreOrigin } from "../store_origin.ts";
import { runtime } from "../runtime.ts";
import { type CollectorConfig, configOf, FLAG_SPEC, HELP } from "./config.ts";
import { announce, announceStop, appOptionsOf, listen, webhooksOf } from "./http.ts";
import { runPartitioned } from "./cluster.ts";
import { existsSync } from "node:fs";
import process from "node:process";

export { collectorDurations, collectorMaxSkew, HELP } from "./config.ts";
export type { CollectorDurations } from "./config.ts";

/** The store file older versions kept in the working directory by default. */
const LEGACY_STORE = "vigil-collector.kv";

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

/** Connects to NATS, or says why it cannot as one line. */
async function connect(
  nats: typeof import("../../edge/ingest/nats.ts"),
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

/** `--warm-up n`: events of made-up traffic before consuming from NATS (`edge/server/warm_up.ts`). */
function warmUpEvents(flags: Flags): number {
  return intFlag(flags, "warm-up", { default: WARM_UP_EVENTS });
}

/** Runs `vigil collector`; returns the exit code after SIGINT/SIGTERM. */
export async function collectorCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, FLAG_SPEC);
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  const config = await configOf(flags);
  warmUpEvents(flags); // a bad value is refused before anything starts
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
  const nats = config.natsUrl === undefined ? null : await import("../../edge/ingest/nats.ts");
  const nc = nats === null ? null : await connect(nats, config.natsUrl!);
  if (config.cluster !== null && nc !== null) {
    return await runPartitioned(config, config.cluster, {
      flags,
      signal,
      nc,
      warmUp: warmUpEvents(flags),
    });
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
  const service = createCollectorService(collector, {
    store,
    tickMs: config.durations.tick,
    persistMs: config.durations.persist,
    alerts: {
      webhooks: webhooksOf(flags),
      ...(nats !== null && nc !== null && !flags.boolean.has("no-nats-alerts")
        ? { publish: nats.natsPublisher(nc) }
        : {}),
    },
  });
  const stopViolations = service.collector.on((ev) => {
    if (ev.type === "violation") out(violationLine(ev.violation, config.log));
  });
  const app = createCollectorApp(service, appOptionsOf(config, flags));
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
      // The first batches (a backlog, at once) meet compiled code rather than cold; a warm-up
      // that fails is counted and said, and the collector starts cold.
      const warm = warmUpEvents(flags);
      if (warm > 0) await warmUpService(service, { events: warm });
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
    server = await listen(
      app.fetch,
      config,
      ({ hostname, port }) => announce(config, { hostname, port, saved, nc }),
    );
  } catch (e) {
    await stopAll();
    throw e;
  }
  announceStop(config, await signal, "stopping");
  await stopAll();
  return 0;
}
