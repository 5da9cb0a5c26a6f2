/**
 * Runs the whole lock service: compiles `specs/lease.vigil` if needed,
 * starts `vigil collector` (JetStream ingest), the lock server and three
 * clients as separate processes, lets them work for a few seconds, stops
 * them, and prints the collector's verdict.
 *
 * ```sh
 * deno run -A examples/lock-service/run.ts            # correct server: no violation
 * deno run -A examples/lock-service/run.ts --bug      # racy server: OneHolder alert
 * deno run -A examples/lock-service/run.ts --bug --enforce   # the server's monitor refuses the double grant
 * ```
 *
 * Without `--nats URL` it starts a throwaway `nats-server` itself.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runExample, type RunOptions, type RunResult } from "../support/run.ts";

/** Options of {@link runLockService}. */
export interface LockServiceOptions {
  readonly nats?: string;
  /** Where the compiled spec goes. Default `dist`. */
  readonly dist?: string;
  readonly bug?: boolean;
  readonly enforce?: boolean;
  /** Default 4000. */
  readonly durationMs?: number;
  readonly echo?: boolean;
  /** Fail after this long, ms. Default 60 000. */
  readonly timeoutMs?: number;
  readonly inspect?: RunOptions["inspect"];
}

/**
 * Runs the lock service end to end; resolves with the collector's verdict.
 *
 * @example The buggy server, checked
 * ```ts ignore
 * const { violations } = await runLockService({ bug: true });
 * console.log(violations[0]?.property.name); // "OneHolder"
 * ```
 */
export function runLockService(options: LockServiceOptions = {}): Promise<RunResult> {
  return runExample({
    name: "lock",
    spec: "specs/lease.vigil",
    script: "examples/lock-service/main.ts",
    durationMs: options.durationMs ?? 4_000,
    ...(options.nats === undefined ? {} : { nats: options.nats }),
    ...(options.dist === undefined ? {} : { dist: options.dist }),
    ...(options.echo === undefined ? {} : { echo: options.echo }),
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    processes: (run, specJs) => {
      const common = [
        "--nats",
        run.url,
        "--spec",
        specJs,
        "--stream",
        run.stream,
        "--subject",
        run.subject,
        "--prefix",
        run.prefix,
      ];
      const server = ["--role", "server", ...common];
      if (options.bug) server.push("--bug");
      if (options.enforce) server.push("--enforce");
      return [
        { name: "lock-server", args: server, first: /lock server on/ },
        ...[1, 2, 3].map((id) => ({
          name: `client-${id}`,
          args: ["--role", "client", "--id", String(id), "--verbose", ...common],
        })),
      ];
    },
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      nats: { type: "string" },
      bug: { type: "boolean", default: false },
      enforce: { type: "boolean", default: false },
      duration: { type: "string", default: "4000" },
    },
  });
  const result = await runLockService({
    ...(values.nats === undefined ? {} : { nats: values.nats }),
    bug: values.bug,
    enforce: values.enforce,
    durationMs: Number(values.duration),
  });
  Deno.exit(result.violations.length === 0 ? 0 : 1);
}
