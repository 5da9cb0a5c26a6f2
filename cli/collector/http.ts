/**
 * The HTTP side of `vigil collector`, the same for a single collector and
 * for a member of a partitioned deployment (`cli/collector/cluster.ts`):
 * the app's ingest and read options and the webhooks from the flags,
 * listening with the header and body deadlines (a port in use or an
 * address that cannot be listened on is one line), and the start line.
 *
 * @module
 */
import type { CollectorAppOptions } from "../../edge/server/app.ts";
import type { Webhook } from "../../edge/server/alerts.ts";
import {
  type CollectorServer,
  type FetchHandler,
  serveCollector,
} from "../../edge/server/http_server.ts";
import type { NatsConnection } from "../../edge/ingest/nats.ts";
import type { CollectorSnapshot } from "../../edge/engine/types.ts";
import { type Flags, intFlag } from "../flags.ts";
import { CommandError } from "../command_error.ts";
import { eventLine } from "./log.ts";
import type { CollectorConfig } from "./config.ts";

/**
 * The webhooks of `--webhook url` (each signed with `--webhook-secret` when given).
 *
 * @example Two webhooks sharing one secret
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "../flags.ts";
 * import { webhooksOf } from "./http.ts";
 * const flags = parseFlags(["--webhook", "http://a.test/", "--webhook", "http://b.test/", "--webhook-secret", "k"], { string: ["webhook", "webhook-secret"] });
 * assert.deepEqual(webhooksOf(flags), [{ url: "http://a.test/", secret: "k" }, { url: "http://b.test/", secret: "k" }]);
 * ```
 */
export function webhooksOf(flags: Flags): Webhook[] {
  const secret = flags.string.get("webhook-secret");
  return (flags.all.get("webhook") ?? []).map((url) =>
    secret === undefined ? { url } : { url, secret }
  );
}

/**
 * The collector app's ingest and read options from the config and the flags
 * (`--allow-anonymous`, `--max-body-bytes`).
 *
 * @example The app of a collector service
 * ```ts ignore
 * const app = createCollectorApp(service, appOptionsOf(config, flags));
 * ```
 */
export function appOptionsOf(config: CollectorConfig, flags: Flags): CollectorAppOptions {
  return {
    auth: config.ingestAuth,
    allowAnonymous: flags.boolean.has("allow-anonymous"),
    maxBodyBytes: intFlag(flags, "max-body-bytes", { default: 1024 * 1024, min: 1 }),
    bodyTimeoutMs: config.durations["body-timeout"],
    ...(config.read.auth === undefined ? {} : { readAuth: config.read.auth }),
    publicRead: config.read.publicRead,
  };
}

/**
 * Serves `fetch` on the config's address with its header and body deadlines.
 *
 * @throws {CommandError} When the port is in use or the address cannot be listened on.
 *
 * @example Listen and print the start line
 * ```ts ignore
 * const server = await listen(app.fetch, config, ({ hostname, port }) => announce(config, { hostname, port, saved: null, nc: null }));
 * ```
 */
export async function listen(
  fetch: FetchHandler,
  config: CollectorConfig,
  onListen: (addr: { readonly hostname: string; readonly port: number }) => void,
): Promise<CollectorServer> {
  return await serveCollector(fetch, {
    port: config.port,
    hostname: config.hostname,
    headerTimeoutMs: config.durations["header-timeout"],
    // The server's whole-request backstop must not cut a body the ingest deadline still allows.
    requestTimeoutMs: config.durations["header-timeout"] + config.durations["body-timeout"] +
      5_000,
    onListen,
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
}

/**
 * Prints the start line (and the lines it announces: the public-read
 * warning, the dashboard URL with a read token generated at start).
 *
 * @example The start line of a fresh collector
 * ```ts ignore
 * announce(config, { hostname: "127.0.0.1", port: 8080, saved: null, nc: null });
 * ```
 */
export function announce(
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

/**
 * Prints the line saying that the collector stops on `signal` and what it
 * does meanwhile (e.g. `handing partitions over and stopping`).
 *
 * @example The line after SIGTERM
 * ```ts ignore
 * announceStop(config, "SIGTERM", "stopping"); // vigil collector: SIGTERM, stopping
 * ```
 */
export function announceStop(
  config: Pick<CollectorConfig, "log">,
  signal: string,
  doing: string,
): void {
  console.log(eventLine(config.log, {
    type: "stopping",
    fields: { signal },
    text: `vigil collector: ${signal}, ${doing}`,
  }));
}
