/**
 * The flags of `vigil demo`.
 *
 * @module
 */
import { parseFlags, UsageError } from "../flags.ts";
import { parseDuration } from "../replay_command.ts";

/** `vigil demo --help`. */
export const HELP = `Usage: vigil demo [options]

Compiles specs/lease.vigil, starts a collector with its live dashboard, runs a
lock service (a lock server and 3 client nodes with fencing tokens, wall clocks
skewed by up to 500 ms, hybrid logical clock stamps on every message), injects
a split brain after a few seconds (the server grants a lease twice under a
simulated race) and prints the alert with its counterexample. Serves the
dashboard until Ctrl-C.

Options:
  --port n          dashboard port (default 8080; a free one when it is busy; 0 picks one)
  --hostname h      dashboard address (default 127.0.0.1)
  --duration d      stop on its own after d (e.g. 20s, 2m; default: at Ctrl-C)
  --bug-after d     inject the split brain after d (default 5s)
  --no-bug          run the correct protocol only
  --nats url        one process per node, events over NATS JetStream
                    (stream VIGIL_EVENTS, durable consumer vigil-demo)

Exit code 0; 1 when the injected split brain was not detected, or when a run
without it raised a violation.`;

/** The demo's options. */
export interface DemoOptions {
  /** Dashboard port (0: a free one). */
  readonly port: number;
  /** Dashboard address. */
  readonly hostname: string;
  /** Stop after this long; null: at Ctrl-C. */
  readonly durationMs: number | null;
  /** Inject the split brain after this long; null: never (`--no-bug`). */
  readonly bugAfterMs: number | null;
  /** NATS URL (one process per node); null: embedded. */
  readonly nats: string | null;
}

/**
 * Parses `vigil demo` flags; null for `--help`. Throws {@link UsageError}.
 *
 * @example Parse the demo's flags
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDemoFlags } from "./demo_flags.ts";
 * const o = parseDemoFlags(["--duration", "20s", "--no-bug"]);
 * assert.ok(o?.durationMs === 20_000 && o.bugAfterMs === null && o.port === 8080);
 * ```
 */
export function parseDemoFlags(args: readonly string[]): DemoOptions | null {
  const flags = parseFlags(args, {
    string: ["port", "hostname", "duration", "bug-after", "nats"],
    boolean: ["help", "no-bug"],
    alias: { h: "help" },
  });
  if (flags.boolean.has("help")) return null;
  if (flags.positional.length > 0) {
    throw new UsageError(`Unexpected argument '${flags.positional[0]}'`);
  }
  const port = Number(flags.string.get("port") ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`Flag '--port' must be a port number, got '${flags.string.get("port")}'`);
  }
  const duration = flags.string.get("duration");
  return {
    port,
    hostname: flags.string.get("hostname") ?? "127.0.0.1",
    durationMs: duration === undefined ? null : parseDuration(duration, "duration"),
    bugAfterMs: flags.boolean.has("no-bug")
      ? null
      : parseDuration(flags.string.get("bug-after") ?? "5s", "bug-after"),
    nats: flags.string.get("nats") ?? null,
  };
}
