/**
 * `vigil collector --partitions`: flags that cannot work together are
 * refused before anything starts (exit 2, one line saying what to do).
 */
import assert from "node:assert/strict";
import { runVigil } from "./cli_process.ts";
import { parseFlags } from "../cli/flags.ts";
import { FLAG_SPEC } from "../cli/collector/config.ts";
import { clusterFlagsOf, memberOptionsOf } from "../cli/collector/cluster.ts";

const SPEC = ["collector", "--spec", "dist/lease.js", "--port", "0"];

Deno.test("vigil collector refuses --partitions without JetStream and cluster flags without --partitions", async () => {
  const cases: [string[], RegExp][] = [
    [["--partitions", "16"], /Flag '--partitions' needs '--nats' with JetStream/],
    [
      ["--partitions", "16", "--nats", "nats://127.0.0.1:1", "--nats-mode", "core"],
      /Flag '--partitions' needs '--nats' with JetStream/,
    ],
    [["--instance", "c1"], /Flag '--instance' needs '--partitions'/],
    [
      ["--partitions", "16", "--nats", "nats://127.0.0.1:1", "--kv", "x.kv"],
      /Flag '--kv' does not apply with '--partitions'/,
    ],
    [
      ["--partitions", "16", "--nats", "nats://127.0.0.1:1", "--instance", "a.b"],
      /Flag '--instance' must be 1 to 64 of \[A-Za-z0-9_-\], got 'a\.b'/,
    ],
    [["--handover-wait", "90s"], /Flag '--handover-wait' needs '--partitions'/],
    [
      ["--partitions", "16", "--nats", "nats://127.0.0.1:1", "--handover-wait", "soon"],
      /Flag '--handover-wait' takes a duration .*, got 'soon'$/m,
    ],
    [
      ["--partitions", "16", "--nats", "nats://127.0.0.1:1", "--handover-wait", "0"],
      /Flag '--handover-wait'.*got '0'/,
    ],
    // Shorter than the re-raise takes: 2 x 250ms window + 1s; with --causal, 4 x 500ms more.
    [
      ["--partitions", "16", "--nats", "nats://127.0.0.1:1", "--handover-wait", "1s"],
      /Flag '--handover-wait' must be at least 1500 ms \(4 x '--max-skew' \+ 2 x '--window' \+ 1s\), got '1s'$/m,
    ],
    [
      ["--partitions", "2", "--nats", "nats://127.0.0.1:1", "--causal", "--handover-wait", "3s"],
      /Flag '--handover-wait' must be at least 3500 ms .*, got '3s'/,
    ],
    [["--partitions", "0", "--nats", "nats://127.0.0.1:1"], /--partitions/],
    [["--partitions", "5000", "--nats", "nats://127.0.0.1:1"], /--partitions/],
  ];
  for (const [args, message] of cases) {
    const run = await runVigil([...SPEC, ...args]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message, args.join(" "));
  }
});

Deno.test("vigil collector --handover-wait sets how long a member waits before it routes a handed-over alert (60 s by default)", () => {
  const member = (...args: string[]) =>
    memberOptionsOf(
      clusterFlagsOf(
        parseFlags(["--partitions", "4", "--instance", "c1", ...args], FLAG_SPEC),
        "nats://127.0.0.1:4222",
        "jetstream",
      )!,
    );
  assert.equal(member().handoverWaitMs, 60_000);
  assert.equal(member("--handover-wait", "90s").handoverWaitMs, 90_000);
  assert.equal(member("--handover-wait", "2m").handoverWaitMs, 120_000);
  assert.equal(member("--handover-wait", "2500ms").handoverWaitMs, 2_500);
});
