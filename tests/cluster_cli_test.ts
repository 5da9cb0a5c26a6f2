/**
 * `vigil collector --partitions`: flags that cannot work together are
 * refused before anything starts (exit 2, one line saying what to do).
 */
import assert from "node:assert/strict";
import { runVigil } from "./cli_process.ts";

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
    [["--partitions", "0", "--nats", "nats://127.0.0.1:1"], /--partitions/],
    [["--partitions", "5000", "--nats", "nats://127.0.0.1:1"], /--partitions/],
  ];
  for (const [args, message] of cases) {
    const run = await runVigil([...SPEC, ...args]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message, args.join(" "));
  }
});
