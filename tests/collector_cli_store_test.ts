/**
 * Where `vigil collector` keeps its state, as an operator meets it (real
 * subprocesses): without `--kv` the file is `collector.kv` in a per-user
 * data directory (`$XDG_STATE_HOME/vigil`, else `~/.local/state/vigil`) or
 * in `--data-dir`, never in the working directory; a collector fed over
 * HTTP records the specs it serves, and a state stored for other specs is
 * refused (exit 1, naming the flags) and moved aside by `--reset-state`;
 * serving one more spec is the same origin.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { createBatcher, httpTransport, loadSpec } from "../mod.ts";
import { runVigil, spawnVigil } from "./cli_process.ts";
import { leaseTraffic } from "./cli_lease_traffic.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)\/ \((.*)\)\n/;

async function tempDir(prefix: string): Promise<string> {
  return await Deno.makeTempDir({ prefix });
}

/** Starts a collector, waits for its start line, stops it; returns what it printed. */
async function startAndStop(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ stdout: string; stderr: string; summary: string }> {
  const p = spawnVigil(["collector", "--port", "0", ...args], options);
  try {
    const m = await p.waitForOutput(LISTENING);
    return { stdout: p.stdout(), stderr: p.stderr(), summary: m[2]! };
  } finally {
    assert.equal(await p.stop(), 0, p.stderr());
  }
}

Deno.test("Without --kv the state goes to ~/.local/state/vigil, $XDG_STATE_HOME/vigil or --data-dir, never the working directory", async () => {
  const lease = `${await compiledDir("lease")}/lease.js`;
  const home = await tempDir("vigil_home_");
  const cwd = await tempDir("vigil_cwd_");
  const xdg = await tempDir("vigil_xdg_");
  const data = await tempDir("vigil_data_");
  try {
    const inHome = `${home}/.local/state/vigil/collector.kv`;
    const a = await startAndStop(["--spec", lease], {
      cwd,
      env: { HOME: home, XDG_STATE_HOME: "" },
    });
    assert.match(a.stderr, new RegExp(`^vigil collector: state in '${inHome}'$`, "m"));
    assert.ok(existsSync(inHome), "the store is in the home's state folder");
    assert.deepEqual(await readdir(cwd), [], "nothing lands in the working directory");

    // A store an older version left in the working directory is named, not used.
    await Deno.writeTextFile(`${cwd}/vigil-collector.kv`, "not a store");
    const inXdg = `${xdg}/vigil/collector.kv`;
    const b = await startAndStop(["--spec", lease], {
      cwd,
      env: { HOME: home, XDG_STATE_HOME: xdg },
    });
    assert.match(b.stderr, new RegExp(`state in '${inXdg}'`));
    assert.ok(existsSync(inXdg));
    assert.match(
      b.stderr,
      /note: 'vigil-collector\.kv' in the working directory \(the store of older versions\) is not used; give '--kv vigil-collector\.kv' to use it/,
    );
    await Deno.remove(`${cwd}/vigil-collector.kv`);

    const c = await startAndStop(["--spec", lease, "--data-dir", `${data}/deep/er`], { cwd });
    assert.match(c.stderr, new RegExp(`state in '${data}/deep/er/collector\\.kv'`));
    assert.ok(existsSync(`${data}/deep/er/collector.kv`), "the data directory is created");
    assert.deepEqual(await readdir(cwd), []);

    const both = await runVigil(["collector", "--spec", lease, "--kv", "x.kv", "--data-dir", data]);
    assert.equal(both.code, 2);
    assert.equal(both.stderr, "vigil collector: Give either '--kv' or '--data-dir', not both\n");
  } finally {
    for (const d of [home, cwd, xdg, data]) await Deno.remove(d, { recursive: true });
  }
});

Deno.test("A stored state of other specs is refused and moved aside by --reset-state; one more spec is the same origin", async () => {
  const lease = `${await compiledDir("lease")}/lease.js`;
  const counter = `${await compiledDir("counter3")}/counter3.js`;
  const dir = await tempDir("vigil_origin_http_");
  const kv = `${dir}/collector.kv`;
  try {
    // A Lease collector applies a held lock and saves it.
    const p = spawnVigil([
      "collector",
      "--port",
      "0",
      "--kv",
      kv,
      "--spec",
      lease,
      "--token",
      "n1=t1",
      "--public-read",
      "--window",
      "0",
      "--persist",
      "20ms",
    ]);
    try {
      const base = (await p.waitForOutput(LISTENING))[1]!;
      const spec = await loadSpec(lease);
      const t = leaseTraffic(spec, {
        n1: createBatcher(httpTransport(`${base}/ingest`, { token: "t1" }), { maxDelayMs: 5 }),
      });
      t.step("n1", "lock:1", "acquire", 1);
      await t.close();
      await waitFor(async () => {
        const ps = await (await fetch(`${base}/api/partitions`)).json() as { applied: number }[];
        return ps.length === 1 && ps[0]!.applied === 1;
      }, { timeoutMs: 15_000, what: "the acquire applied" });
    } finally {
      assert.equal(await p.stop(), 0, p.stderr());
    }

    const other = await runVigil(["collector", "--port", "0", "--kv", kv, "--spec", counter]);
    assert.equal(other.code, 1, other.stdout + other.stderr);
    assert.equal(other.stdout, "", "nothing started");
    assert.equal(
      other.stderr,
      `vigil collector: The state in '${kv}' is not this collector's: it belongs to a collector ` +
        `of spec 'Lease' fed over HTTP or core NATS, and this collector does not serve 'Lease'; ` +
        `restoring it would mix another run's node states into this one (false alarms). Give ` +
        `'--reset-state' to move it aside and start fresh, '--adopt-state' to keep it as this ` +
        `stream's, or another '--kv' path\n`,
    );

    const more = await startAndStop(["--kv", kv, "--spec", lease, "--spec", counter]);
    assert.match(more.summary, /^Lease, Counter3; HTTP ingest only; restored 1 applied events;/);
    // The record now names both: serving Counter3 alone is still refused.
    const still = await runVigil(["collector", "--port", "0", "--kv", kv, "--spec", counter]);
    assert.equal(still.code, 1);
    assert.match(still.stderr, /does not serve 'Lease'/);

    const reset = await startAndStop(["--kv", kv, "--spec", counter, "--reset-state"]);
    const aside = new RegExp(
      `--reset-state: moved the state in '${kv}' aside to '(${kv}\\.stale-[0-9TZ-]+)'`,
    )
      .exec(reset.stderr);
    assert.ok(aside !== null, reset.stderr);
    assert.ok(existsSync(aside[1]!), "the old state is kept aside");
    assert.match(reset.summary, /; fresh state;/);
    const after = await startAndStop(["--kv", kv, "--spec", counter]);
    assert.match(after.summary, /; restored 0 applied events;/, "the fresh state is this one's");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
