/**
 * The `vigil` CLI of the npm package under Node and under Bun (real
 * processes, real sockets on 127.0.0.1): `compile` writes the same artifacts as under Deno, the
 * collector ingests batches shipped by the SDK over HTTP and serves the
 * violation of a two-holder run on `specs/lease.vigil`, `replay` judges
 * logs (files, `.gz`, standard input), `check` explores a spec, and what
 * only Deno has (`--kv <path>`, `demo`) is refused with a clear message.
 * The package is built by `buildNpm`; Node runs its bin as npm links it,
 * Bun comes from npm (see `tests/node_cli/node_vigil.ts`).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { compile } from "../lib/compile.ts";
import { exploreSource } from "../lib/explore/mod.ts";
import { createBatcher, createClock, createNode, httpTransport, loadSpec } from "../mod.ts";
import { npmTool } from "../tools/harness/npm_tool.ts";
import { ROOT, specSource } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { nodeVigil, type PackageRuntime, scratchDir } from "./node_cli/node_vigil.ts";
import { LEASE_MAPPING, leaseHistory, ndjson, nodeFiles, type Step } from "./replay_fixture.ts";

/** The lease spec compiled by `vigil compile` under each runtime, once per test process. */
const compiled = new Map<PackageRuntime, Promise<string>>();
function leaseCompiledBy(rt: PackageRuntime): Promise<string> {
  let dir = compiled.get(rt);
  if (dir === undefined) {
    dir = (async () => {
      const vigil = await nodeVigil(rt);
      const out = await scratchDir(`vigil-${rt}-dist-`);
      const r = await vigil.run(["compile", "specs/lease.vigil", "--out", out]);
      assert.equal(r.code, 0, `vigil compile under ${vigil.version} failed:\n${r.stderr}`);
      assert.match(r.stdout, /^compiled specs\/lease\.vigil -> /m, "the bin ran the command");
      return out;
    })();
    compiled.set(rt, dir);
  }
  return dir;
}

/** What Bun prints when jco's WASI shim starts its socket worker (see the compile test). */
const BUN_SHIM_NOISE =
  /^[\s\S]*process\.binding\("tcp_wrap"\) is not implemented in Bun[^\n]*\n(\s+at [^\n]*\n)*/;

/** True when no line of `text` looks like a stack frame. */
function noStack(text: string): boolean {
  return !/^\s+at .+:\d+:\d+\)?$/m.test(text);
}

/** Writes the lease mapping and each node's log; returns the folder and the files. */
async function writeLogs(steps: readonly Step[]): Promise<{ dir: string; files: string[] }> {
  const dir = await scratchDir("vigil-node-replay-");
  await writeFile(join(dir, "mapping.json"), JSON.stringify(LEASE_MAPPING));
  const files: string[] = [];
  for (const [name, lines] of Object.entries(nodeFiles(steps))) {
    // c's log is compressed: replay reads .gz files through a DecompressionStream.
    const gz = name === "c.ndjson";
    const path = join(dir, gz ? `${name}.gz` : name);
    await writeFile(path, gz ? gzipSync(ndjson(lines)) : ndjson(lines));
    files.push(path);
  }
  return { dir, files };
}

for (const rt of ["node", "bun"] as const) {
  const name = rt === "node" ? "Node" : "Bun";

  Deno.test(`Under ${name}, vigil compile writes the artifacts Deno's compiler writes for the same spec`, async () => {
    const vigil = await nodeVigil(rt);
    const out = await leaseCompiledBy(rt);
    const inDeno = await compile(specSource("lease"), { fileName: "specs/lease.vigil" });
    assert.ok(inDeno.files.size > 0, "the spec compiles under Deno");
    for (const name of ["lease.wasm", "lease.core.wasm", "lease.wit", "lease.js", "lease.d.ts"]) {
      const expected = inDeno.files.get(name);
      assert.ok(expected !== undefined, `Deno's compiler writes '${name}'`);
      const written = new Uint8Array(await readFile(join(out, name)));
      assert.deepEqual(written, expected, `'${name}' from ${vigil.version} equals Deno's`);
    }
    const wrote = await vigil.run(["compile", "specs/lease.vigil", "--out", out]);
    assert.match(wrote.stdout, /compiled specs\/lease\.vigil -> .+ \(\d+ files, \d+ ms\)/);
    const missing = await vigil.run(["compile", "specs/no_such.vigil", "--out", out]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^vigil compile: No such file or directory 'specs\/no_such\.vigil'$/m,
    );
    // Under Bun, loading the compiler prints an error of jco's WASI shim (its socket worker calls
    // process.binding("tcp_wrap"), which Bun lacks) and goes on; the CLI's own lines have no stack.
    const own = rt === "bun" ? missing.stderr.replace(BUN_SHIM_NOISE, "") : missing.stderr;
    assert.ok(noStack(own), missing.stderr);
  });

  Deno.test(`Under ${name}, vigil collector ingests SDK batches over HTTP and serves the two-holder violation`, async () => {
    const vigil = await nodeVigil(rt);
    const dist = await leaseCompiledBy(rt);
    const collector = await vigil.collector([
      "--spec",
      join(dist, "lease.js"),
      "--port",
      "0",
      "--kv",
      "none",
      "--token",
      "n1=t1",
      "--token",
      "n2=t2",
      "--read-token",
      "r1",
      "--window-ms",
      "20",
    ]);
    let stopped = false;
    try {
      assert.match(collector.output(), /\(Lease; HTTP ingest only; fresh state; reads need/);
      const spec = await loadSpec(join(dist, "lease.js"));
      // Each node's physical clock is set by the test, so the merged order is the one written here.
      let now = Date.now();
      const nodes = [["n1", "t1"], ["n2", "t2"]].map(([id, token]) => ({
        node: createNode({ id: id!, clock: createClock({ now: () => now }) }),
        batcher: createBatcher(httpTransport(`${collector.base}/ingest`, { token: token! }), {
          maxEvents: 64,
          maxDelayMs: 5,
        }),
      }));
      const [a, b] = nodes as [typeof nodes[0], typeof nodes[0]];
      const monitors = new Map<string, ReturnType<typeof spec.monitor>>();
      const step = (n: typeof a, key: string, action: string, c: number) => {
        const id = `${n.node.id}/${key}`;
        let m = monitors.get(id);
        if (m === undefined) {
          m = spec.monitor({ node: n.node, key, sink: n.batcher, mode: "observe" });
          monitors.set(id, m);
        }
        now += 10;
        m.step(action, { c });
      };
      // lock:ok is held by one node at a time; lock:split by both at once.
      step(a, "lock:ok", "acquire", 1);
      step(a, "lock:ok", "release", 1);
      step(b, "lock:ok", "acquire", 2);
      step(b, "lock:ok", "release", 2);
      step(a, "lock:split", "acquire", 1);
      step(b, "lock:split", "acquire", 2);
      await Promise.all(nodes.map((n) => n.batcher.close()));

      const read = { headers: { authorization: "Bearer r1" } };
      const anonymous = await fetch(`${collector.base}/api/violations`);
      await anonymous.body?.cancel();
      assert.equal(anonymous.status, 401, "reads need the read token");
      const forged = await fetch(`${collector.base}/ingest`, {
        method: "POST",
        headers: { authorization: "Bearer not-a-token" },
        body: new Uint8Array([0x90]),
      });
      await forged.body?.cancel();
      assert.equal(forged.status, 401, "ingest needs a node token");

      type Partition = { id: string; status: string; applied: number };
      const partitions = await waitFor(async () => {
        const ps = await (await fetch(`${collector.base}/api/partitions`, read))
          .json() as Partition[];
        return ps.reduce((n, p) => n + p.applied, 0) === 6 && ps;
      }, { timeoutMs: 15_000, intervalMs: 25, what: "the six events applied" });
      const status = Object.fromEntries(partitions.map((p) => [p.id, p.status]));
      assert.deepEqual(status, { "Lease/lock:ok": "ok", "Lease/lock:split": "violated" });
      type Violation = { property: { name: string }; partition: string; nodes: string[] };
      const violations = await (await fetch(`${collector.base}/api/violations`, read))
        .json() as Violation[];
      assert.equal(violations.length, 1);
      assert.equal(violations[0]!.property.name, "OneHolder");
      assert.equal(violations[0]!.partition, "lock:split");
      assert.deepEqual([...violations[0]!.nodes].sort(), ["n1", "n2"]);

      const end = await collector.stop();
      stopped = true;
      assert.equal(end.code, 0, end.stderr);
      assert.match(end.stdout, /vigil collector: SIGTERM, stopping/);
    } finally {
      if (!stopped) await collector.stop();
    }
  });

  Deno.test(`Under ${name}, --kv <path> is refused at start with a message naming ${name} and '--kv none'; demo says it is Deno-only`, async () => {
    const vigil = await nodeVigil(rt);
    const dist = await leaseCompiledBy(rt);
    const cwd = await scratchDir();
    const kv = await vigil.run(
      ["collector", "--spec", join(dist, "lease.js"), "--port", "0", "--kv", "state.kv"],
      { cwd },
    );
    assert.equal(kv.code, 2, kv.stdout + kv.stderr);
    assert.match(
      kv.stderr,
      new RegExp(
        String.raw`^vigil collector: Flag '--kv state\.kv' names a Deno KV file, which only ` +
          String.raw`Deno can open \(this is ${name} \d+\.\d+\.\d+\): give '--kv none'`,
      ),
    );
    assert.ok(noStack(kv.stderr), kv.stderr);
    assert.equal(kv.stdout, "", "nothing started");
    assert.equal(existsSync(join(cwd, "state.kv")), false, "no file was created");

    // Without --kv, state is kept in memory and the collector says so.
    const c = await vigil.collector(["--spec", join(dist, "lease.js"), "--port", "0"]);
    const end = await c.stop();
    assert.equal(end.code, 0, end.stderr);
    assert.match(
      end.stderr,
      new RegExp(
        String.raw`kept in memory only \(Deno KV files are Deno-only and this is ${name} \d`,
      ),
    );

    const demo = await vigil.run(["demo", "--duration", "1s"]);
    assert.equal(demo.code, 1);
    assert.match(demo.stderr, /^vigil demo: the demo runs on Deno .*'deno task demo'/);
    assert.ok(noStack(demo.stderr), demo.stderr);
  });

  Deno.test(`Under ${name}, vigil replay finds the two-holder line in files and .gz (also with --workers 2), and reads standard input`, async () => {
    const vigil = await nodeVigil(rt);
    const dist = await leaseCompiledBy(rt);
    const spec = join(dist, "lease.js");
    // c acquires L2 while b still holds it (b's release comes at 1 150).
    const split = leaseHistory().map((s): Step =>
      s.n === "c" && s.lock === "L2" && s.event === "acquire" ? { ...s, t: 1_120 } : s
    );
    const bad = await writeLogs(split);
    const map = join(bad.dir, "mapping.json");
    const r = await vigil.run(["replay", "--json", "--spec", spec, "--map", map, ...bad.files]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.summary.violations, 1);
    assert.equal(report.violations[0].property.item, "global invariant OneHolder");
    assert.match(report.violations[0].at.file, /c\.ndjson\.gz$/);

    // --workers 2: worker threads from the package (cli/replay_worker.js), the same report.
    const sharded = await vigil.run([
      "replay",
      "--json",
      "--workers",
      "2",
      "--spec",
      spec,
      "--map",
      map,
      ...bad.files,
    ]);
    assert.equal(sharded.code, 1, sharded.stderr);
    const shardedReport = JSON.parse(sharded.stdout);
    assert.deepEqual(shardedReport.violations, report.violations);
    assert.deepEqual(shardedReport.summary.violations, report.summary.violations);

    const good = await writeLogs(leaseHistory());
    const clean = await vigil.run(["replay", "--spec", spec, "--map", map, ...good.files]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /replay: 3 file\(s\), 24 lines \(12 mapped, 12 filtered/);

    const aLines = nodeFiles(leaseHistory())["a.ndjson"]!;
    const transitions = aLines.filter((l) => typeof l !== "string" && l.type === "transition");
    const piped = await vigil.run(["replay", "--spec", spec, "--map", map, "-"], {
      stdin: ndjson(aLines),
    });
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(
      piped.stdout,
      new RegExp(
        `replay: 1 file\\(s\\), ${aLines.length} lines \\(${transitions.length} mapped, ` +
          `${aLines.length - transitions.length} filtered`,
      ),
    );
  });

  Deno.test(`Under ${name}, vigil check finds the planted mutual-exclusion bug and writes the ITF trace`, async () => {
    const vigil = await nodeVigil(rt);
    const dir = await scratchDir();
    const buggy = join(dir, "buggy.vigil");
    await writeFile(buggy, specSource("mutex").replace("turn := 1 - p", "turn := p"));
    const itf = join(dir, "cex.itf.json");
    const r = await vigil.run(["check", buggy, "--json", "--quiet", "--itf", itf], { cwd: ROOT });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.violations[0].item, "invariant MutualExclusion");
    const trace = JSON.parse(await readFile(itf, "utf8"));
    assert.equal(trace["#meta"].format, "ITF");
    assert.equal(trace.states.length, report.violations[0].trace.length);
  });

  Deno.test(`Under ${name}, vigil check --workers 2 ends with the states Deno's checker finds`, async () => {
    const vigil = await nodeVigil(rt);
    const expected = exploreSource(specSource("counter3")).report;
    assert.ok(expected !== null && expected.distinctStates > 1, "counter3 explores under Deno");
    // Bounded: a worker that never answered would hang the command until the run's timeout.
    const r = await vigil.run(["check", "specs/counter3.vigil", "--workers", "2", "--json"], {
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.distinctStates, expected.distinctStates);
    assert.equal(report.complete, true);
    if (rt === "node") {
      assert.match(r.stderr, /running single-threaded: this runtime has no Web Workers/);
    } else {
      // The package ships lib/explore/worker.js (tools/build_npm.ts WORKER_ENTRIES): Bun uses it.
      assert.doesNotMatch(r.stderr, /single-threaded/);
    }
  });
}

Deno.test("Bun runs the repository's cli/main.ts as it is: help, and demo says it is Deno-only", async () => {
  const bun = await npmTool("bun");
  const run = async (args: string[]) => {
    const out = await new Deno.Command(bun, {
      args: ["cli/main.ts", ...args],
      cwd: ROOT,
      stdin: "null",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const text = new TextDecoder();
    return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  };
  const help = await run(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: vigil <command> \[options\]/);
  const demo = await run(["demo", "--duration", "1s"]);
  assert.equal(demo.code, 1);
  assert.match(
    demo.stderr,
    /^vigil demo: the demo runs on Deno only \(this is Bun \d+\.\d+\.\d+\): from a checkout of the repository run 'deno task demo'/m,
  );
  assert.ok(noStack(demo.stderr), demo.stderr);
});
