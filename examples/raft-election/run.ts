/**
 * Runs the five-node election: compiles `examples/raft-election/raft5.vigil`
 * if needed, starts `vigil collector` (JetStream ingest) and five node
 * processes, starts them together with nodes 1 and 2 timing out at the same
 * moment (two simultaneous candidacies in term 1), stops them after a few
 * seconds and prints the collector's verdict.
 *
 * ```sh
 * deno run -A examples/raft-election/run.ts            # one leader in term 1: no violation
 * deno run -A examples/raft-election/run.ts --bug      # voters vote twice: OneLeaderPerTerm alert
 * deno run -A examples/raft-election/run.ts --bug --enforce   # the monitors refuse the second vote
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

/** Options of {@link runRaftElection} (default `durationMs` 3000). */
export type RaftElectionOptions = LauncherOptions;

/** First election timeout of nodes 1 and 2: both become candidates in term 1 at once. */
const FIRST_TIMEOUT_MS = 200;

/**
 * Runs the election end to end; resolves with the collector's verdict.
 *
 * @example Two leaders in one term, caught
 * ```ts ignore
 * const { violations } = await runRaftElection({ bug: true });
 * console.log(violations[0]?.property.name); // "OneLeaderPerTerm"
 * ```
 */
export function runRaftElection(options: RaftElectionOptions = {}): Promise<RunResult> {
  return runExample({
    name: "raft",
    spec: "examples/raft-election/raft5.vigil",
    script: "examples/raft-election/main.ts",
    durationMs: options.durationMs ?? 3_000,
    ...passThrough(options),
    processes: (run, specJs) =>
      [1, 2, 3, 4, 5].map((id) => {
        const args = ["--id", String(id), ...processArgs(run, specJs)];
        if (id <= 2) args.push("--first-timeout", String(FIRST_TIMEOUT_MS));
        // With the bug, the voters wait for both forced candidates' requests before any timeout of
        // their own (see raft_node.ts): the second leader is a count of messages, not a race.
        else if (options.bug) args.push("--await-candidates", "2");
        if (options.bug) args.push("--bug");
        if (options.enforce) args.push("--enforce");
        return { name: `raft-${id}`, args };
      }),
  });
}

if (import.meta.main) await launcherMain(runRaftElection);
