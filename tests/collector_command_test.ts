/**
 * `vigil collector` as a user starts it (a subprocess of `cli/main.ts`):
 * the read side behind a token generated at start and printed once, the
 * cookie flow, `--public-read` warned about, open reads without ingest
 * tokens said on the start line, a read token equal to an ingest token
 * refused, and `--header-timeout-ms` closing a silent connection.
 */
import assert from "node:assert/strict";
import {
  type CollectorProcess,
  startCollectorProcess,
} from "../tools/harness/collector_process.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

const SPEC = `${await compiledDir("lease")}/lease.js`;

/** `vigil collector` serving the Lease spec with `args`. */
function startCollector(args: readonly string[]): Promise<CollectorProcess> {
  return startCollectorProcess(["--spec", SPEC, ...args]);
}

async function status(url: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(url, { ...init, redirect: "manual" });
  await res.body?.cancel();
  return res.status;
}

Deno.test("With ingest tokens and no read token, a read token is generated, printed once in the dashboard URL, and reads need it", async () => {
  const c = await startCollector(["--token", "node-0=tok0"]);
  try {
    const printed = [...c.output().matchAll(/\?token=([A-Za-z0-9_-]+)/g)];
    assert.equal(printed.length, 1, c.output());
    const token = printed[0]![1]!;
    assert.match(c.output(), /reads need the read token generated at start/);
    assert.equal(await status(`${c.base}/api/nodes`), 401);
    assert.equal(
      await status(`${c.base}/api/nodes`, { headers: { authorization: "Bearer tok0" } }),
      401,
      "an ingest token does not read",
    );
    assert.equal(
      await status(`${c.base}/metrics`, { headers: { authorization: `Bearer ${token}` } }),
      200,
    );
    const visit = await fetch(`${c.base}/?token=${token}`, { redirect: "manual" });
    await visit.body?.cancel();
    assert.equal(visit.status, 303);
    assert.equal(visit.headers.get("location"), "/");
    const cookie = visit.headers.get("set-cookie")!.split(";")[0]!;
    assert.equal(await status(`${c.base}/`, { headers: { cookie } }), 200);
    assert.equal(await status(`${c.base}/api/summary`, { headers: { cookie } }), 200);
    const health = await fetch(`${c.base}/healthz`);
    assert.deepEqual(await health.json(), { status: "ok" });
  } finally {
    await c.stop();
  }
});

Deno.test("--public-read is warned about at start, and reads need no token", async () => {
  const c = await startCollector(["--token", "node-0=tok0", "--public-read"]);
  try {
    assert.match(c.output(), /warning: --public-read/);
    assert.match(c.output(), /reads open to anyone \(--public-read\)/);
    assert.doesNotMatch(c.output(), /\?token=/);
    assert.equal(await status(`${c.base}/api/nodes`), 200);
  } finally {
    await c.stop();
  }
});

Deno.test("Without ingest tokens the start line says reads are open; --header-timeout-ms closes a silent connection", async () => {
  const c = await startCollector(["--allow-anonymous", "--header-timeout-ms", "300"]);
  try {
    assert.match(c.output(), /reads open: no ingest tokens/);
    assert.equal(await status(`${c.base}/api/nodes`), 200);
    const port = Number(new URL(c.base).port);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const buf = new Uint8Array(1024);
    let text = "";
    const closed = (async () => {
      for (;;) {
        const n = await conn.read(buf).catch(() => null);
        if (n === null) return true;
        text += new TextDecoder().decode(buf.subarray(0, n));
      }
    })();
    const timeout = new Promise<false>((r) => setTimeout(() => r(false), 10_000));
    const result = await Promise.race([closed, timeout]);
    conn.close();
    assert.equal(result, true, "closed by the collector");
    assert.match(text, /^HTTP\/1\.1 408 /);
  } finally {
    await c.stop();
  }
});

/** Runs `vigil collector` with `args` (which a usage check refuses): exit code and stderr. */
async function refused(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "cli/main.ts",
      "collector",
      "--port",
      "0",
      "--kv",
      "none",
      "--spec",
      SPEC,
      ...args,
    ],
    cwd: ROOT,
    stdin: "null",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("A header deadline of 0 is a usage error, not a server without a deadline", async () => {
  const out = await refused(["--header-timeout-ms", "0"]);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /'--header-timeout-ms' must be at least 1/);
});

Deno.test("A read token that is also an ingest token is a usage error", async () => {
  const out = await refused(["--token", "node-0=tok0", "--read-token", "tok0"]);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /Read token 1 is also the ingest token of node 'node-0'/);
});
