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
import {
  launcherMain,
  type LauncherOptions,
  passThrough,
  processArgs,
  runExample,
  type RunResult,
} from "../support/run.ts";

/** Options of {@link runLockService} (default `durationMs` 4000). */
export type LockServiceOptions = LauncherOptions;

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
    ...passThrough(options),
    processes: (run, specJs) => {
      const common = processArgs(run, specJs);
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

if (import.meta.main) await launcherMain(runLockService);
