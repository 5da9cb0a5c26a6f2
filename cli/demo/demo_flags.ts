/**
 * The flags of `vigil demo`.
 *
 * @module
 */
import { intFlag, parseFlags, UsageError } from "../flags.ts";
import { durationFlag } from "../duration.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "../help.ts";

const HELP_SPEC: CommandHelp = {
  usage: ["vigil demo [options]"],
  summary: `Compiles specs/lease.vigil, starts a collector with its live dashboard, runs a
lock service (a lock server and 3 client nodes with fencing tokens, wall clocks
skewed by up to 500 ms, hybrid logical clock stamps on every message), injects
a split brain after a few seconds or on request (the server grants a lease
twice under a simulated race) and prints the alert with its counterexample. Serves the
dashboard until Ctrl-C. Runs on Deno from a checkout of the repository.`,
  options: [
    {
      flag: "--port n",
      help: "dashboard port (default 8080; a free one when it is busy; 0 picks one)",
    },
    { flag: "--hostname h", help: "dashboard address (default 127.0.0.1)" },
    {
      flag: "--duration d",
      help: "stop on its own after d (20s, 2m; a bare number is seconds; default: at Ctrl-C)",
    },
    { flag: "--bug-after d", help: "inject the split brain after d (default 5s)" },
    { flag: "--no-bug", help: "run the correct protocol only" },
    {
      flag: "--bug-on-request",
      help:
        "no timed bug: inject the split brain at each POST /demo/bug on the dashboard's port (curl -X POST http://127.0.0.1:8080/demo/bug)",
    },
    {
      flag: "--nats url",
      help:
        "one process per node, events over NATS JetStream (stream VIGIL_EVENTS, durable consumer vigil-demo)",
    },
  ],
  examples: [
    "deno task demo",
    "deno task demo --duration 20 --bug-after 3s",
    "deno task demo --bug-on-request   # then: curl -X POST http://127.0.0.1:8080/demo/bug",
  ],
  exitCodes: [[
    0,
    "the split brain was detected (or, with --no-bug or no request, nothing was)",
  ], [
    1,
    "the injected split brain was not detected, or a run without it raised a violation",
  ], [2, "usage error"]],
};

/** `vigil demo --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

/** The demo's options. */
export interface DemoOptions {
  /** Dashboard port (0: a free one). */
  readonly port: number;
  /** Dashboard address. */
  readonly hostname: string;
  /** Stop after this long; null: at Ctrl-C. */
  readonly durationMs: number | null;
  /** Inject the split brain after this long; null: never on a timer (`--no-bug`, `--bug-on-request`). */
  readonly bugAfterMs: number | null;
  /** Inject the split brain at each `POST /demo/bug` on the dashboard's port (`--bug-on-request`). */
  readonly bugOnRequest: boolean;
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
 * assert.equal(parseDemoFlags(["--duration", "20"])?.durationMs, 20_000); // seconds, not ms
 * const asked = parseDemoFlags(["--bug-on-request"]);
 * assert.ok(asked?.bugOnRequest === true && asked.bugAfterMs === null);
 * assert.throws(() => parseDemoFlags(["--bug-on-request", "--no-bug"]), /cannot be combined/);
 * ```
 */
export function parseDemoFlags(args: readonly string[]): DemoOptions | null {
  const flags = parseFlags(args, flagSpecOf(HELP_SPEC));
  if (flags.boolean.has("help")) return null;
  if (flags.positional.length > 0) {
    throw new UsageError(`Unexpected argument '${flags.positional[0]}'`);
  }
  const port = intFlag(flags, "port", { default: 8080, max: 65535 });
  const durationMs = durationFlag(flags, "duration", { default: -1 });
  const bugOnRequest = flags.boolean.has("bug-on-request");
  const chosen = [
    flags.boolean.has("no-bug") && "--no-bug",
    flags.string.has("bug-after") && "--bug-after",
    bugOnRequest && "--bug-on-request",
  ].filter((f) => f !== false);
  if (chosen.length > 1) throw new UsageError(`Flags ${chosen.join(" and ")} cannot be combined`);
  return {
    port,
    hostname: flags.string.get("hostname") ?? "127.0.0.1",
    durationMs: durationMs < 0 ? null : durationMs,
    bugAfterMs: flags.boolean.has("no-bug") || bugOnRequest
      ? null
      : durationFlag(flags, "bug-after", { default: 5_000, allowZero: true }),
    bugOnRequest,
    nats: flags.string.get("nats") ?? null,
  };
}
