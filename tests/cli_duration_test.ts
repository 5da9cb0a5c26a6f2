/**
 * Durations on the command line: one parser for every duration flag of
 * `vigil collector`, `vigil replay` and `vigil demo`; a unit is accepted
 * (`ms`, `s`, `m`, `h`) and a bare number means seconds, never
 * milliseconds (the collector's older `*-ms` flags keep milliseconds,
 * which their name says).
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { formatDuration, parseDuration } from "../cli/duration.ts";
import {
  collectorCommand,
  collectorDurations,
  HELP as COLLECTOR_HELP,
} from "../cli/collector/command.ts";
import { HELP as REPLAY_HELP, replayCommand } from "../cli/replay_command.ts";
import { HELP as DEMO_HELP, parseDemoFlags } from "../cli/demo/demo_flags.ts";
import { UsageError } from "../cli/flags.ts";
import { runVigil } from "./cli_process.ts";
import { LEASE_MAPPING, leaseBindings, ndjson, replayArgs } from "./replay_fixture.ts";

Deno.test("parseDuration reads units and sums, a bare number as seconds, and refuses the rest", () => {
  const d = (t: string) => parseDuration(t, { flag: "d" });
  assert.equal(d("20"), 20_000);
  assert.equal(d("0.5"), 500);
  assert.equal(d("250ms"), 250);
  assert.equal(d("2s"), 2_000);
  assert.equal(d("1.5m"), 90_000);
  assert.equal(d("2h"), 7_200_000);
  assert.equal(d("1h30m15s"), 5_415_000);
  assert.equal(d(" 3s "), 3_000);
  for (const bad of ["", "s", "-1", "5 s", "1x", "1s-", "ms5", "1e3", "0x10"]) {
    assert.throws(() => d(bad), UsageError, `'${bad}'`);
  }
  assert.throws(() => d("0"), /must be at least 1ms, got '0'/);
  assert.equal(parseDuration("0", { flag: "d", allowZero: true }), 0);
  assert.throws(() => d("0.0005"), /whole number of milliseconds/);
  assert.equal(parseDuration("300", { flag: "x-ms", bareUnit: "ms" }), 300);
  for (const ms of [1, 999, 1_000, 61_001, 3_600_000, 5_415_250]) {
    assert.equal(d(formatDuration(ms)), ms, `${ms} -> ${formatDuration(ms)}`);
  }
});

Deno.test("vigil demo: --duration 20 is twenty seconds, --bug-after 3 three", () => {
  const o = parseDemoFlags(["--duration", "20", "--bug-after", "3"]);
  assert.equal(o?.durationMs, 20_000);
  assert.equal(o?.bugAfterMs, 3_000);
  assert.equal(parseDemoFlags(["--duration", "500ms"])?.durationMs, 500);
  assert.equal(parseDemoFlags([])?.durationMs, null);
  assert.throws(() => parseDemoFlags(["--duration", "soon"]), /Flag '--duration' takes a duration/);
});

Deno.test("vigil collector: bare numbers are seconds, *-ms flags milliseconds, both spellings refused", () => {
  const d = collectorDurations([
    "--window",
    "1",
    "--gap-timeout",
    "2m",
    "--tick",
    "20ms",
    "--persist",
    "0.5",
    "--header-timeout",
    "5",
    "--body-timeout",
    "45s",
  ]);
  assert.deepEqual(d, {
    window: 1_000,
    "gap-timeout": 120_000,
    tick: 20,
    persist: 500,
    "header-timeout": 5_000,
    "body-timeout": 45_000,
  });
  const legacy = collectorDurations(["--window-ms", "20", "--header-timeout-ms", "300"]);
  assert.equal(legacy.window, 20);
  assert.equal(legacy["header-timeout"], 300);
  assert.equal(collectorDurations([]).window, 250, "the default");
  assert.throws(
    () => collectorDurations(["--window", "1", "--window-ms", "5"]),
    /Give either '--window' or '--window-ms', not both/,
  );
  assert.throws(() => collectorDurations(["--tick", "0"]), /'--tick' must be at least 1ms/);
  assert.equal(collectorDurations(["--window", "0"]).window, 0, "a window of 0 applies at once");
});

/** The flags whose value the help shows as `d` (a duration). */
function durationFlagsOf(help: string): string[] {
  return [...help.matchAll(/^ {2}--([a-z-]+) d\b/gm)].map((m) => m[1]!);
}

Deno.test("Every duration flag of collector, replay and demo goes through the one parser", async () => {
  const flags = {
    collector: durationFlagsOf(COLLECTOR_HELP),
    replay: durationFlagsOf(REPLAY_HELP),
    demo: durationFlagsOf(DEMO_HELP),
  };
  assert.deepEqual(flags, {
    collector: [
      "header-timeout",
      "body-timeout",
      "window",
      "max-skew",
      "gap-timeout",
      "retire-idle",
      "tick",
      "persist",
      "lease-ttl",
      "handover-wait",
    ],
    replay: ["window", "max-skew"],
    demo: ["duration", "bug-after"],
  });
  const message = (flag: string) => (e: unknown) =>
    e instanceof UsageError &&
    new RegExp(`^Flag '--${flag}' takes a duration .*\\(a bare number is seconds\\), got 'soon'$`)
      .test(e.message);
  for (const flag of flags.collector) {
    await assert.rejects(
      collectorCommand([
        "--spec",
        "unused.js",
        // The lease of a partition is a cluster flag: it needs the partitions and NATS.
        ...(flag === "lease-ttl" || flag === "handover-wait"
          ? ["--partitions", "2", "--nats", "nats://127.0.0.1:1"]
          : []),
        `--${flag}`,
        "soon",
      ]),
      message(flag),
    );
  }
  for (const flag of flags.replay) {
    await assert.rejects(
      replayCommand(["--spec", "unused.js", "--map", "unused.json", `--${flag}`, "soon", "x.log"]),
      message(flag),
    );
  }
  for (const flag of flags.demo) {
    assert.throws(() => parseDemoFlags([`--${flag}`, "soon"]), message(flag));
  }
});

Deno.test("vigil replay --window 1 is one second: a line 0.5 s out of order is within it, and not within 1ms", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil_window_" });
  try {
    await writeFile(`${dir}/mapping.json`, JSON.stringify(LEASE_MAPPING));
    const line = (ts: number, lock: string) => ({
      ts,
      host: "a",
      type: "transition",
      lock,
      event: "acquire",
      args: { c: 1 },
    });
    // The line at 2 600 releases what is older than 2 600 - window; the last line is 0.5 s
    // older than the first: within a 1 s window, behind a 1 ms one.
    const lines = [line(2_000, "L1"), line(2_600, "L2"), line(1_500, "L3")];
    await writeFile(`${dir}/a.ndjson`, ndjson(lines));
    const run = async (window: string) => {
      const r = await runVigil(
        replayArgs(await leaseBindings(), dir, ["--json", "--window", window, `${dir}/a.ndjson`]),
      );
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).summary.outOfWindow as number;
    };
    assert.equal(await run("1"), 0);
    assert.equal(await run("1ms"), 1, "the same line is out of a 1 ms window");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
