/**
 * The stateful ingest fuzzer in the suite (`tests/fuzz/`): every kept
 * regression case replayed through the in-process ingest and through
 * `app.request`, then a short seeded budget of sessions through each path,
 * with the fuzzer's own parts checked (the tree writer against the SDK's
 * encoder, the accounting model against hand-counted batches, the session
 * generator's coverage).
 *
 * Sessions per path: `VIGIL_FUZZ_SESSIONS` (default 40). A failure names the
 * session seed; `deno run -A tools/fuzz.ts --replay SEED --path PATH`
 * replays and minimises it. The long run is `deno task fuzz`.
 */
import assert from "node:assert/strict";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { BatchHeader, EventBody } from "../lib/wire/event.ts";
import {
  type Answer,
  fuzz,
  type FuzzReport,
  type RunOptions,
  runSession,
  type Target,
  threadCpuMs,
} from "./fuzz/ingest_fuzzer.ts";
import { readCorpus } from "./fuzz/corpus.ts";
import { leaseKit } from "./fuzz/lease_events.ts";
import { AccountingModel } from "./fuzz/model.ts";
import { batchTree, encodeTree } from "./fuzz/msgpack_tree.ts";
import { generateSession, type SendStep } from "./fuzz/session.ts";
import { sessionSeed } from "./fuzz/rand.ts";

const SESSIONS = Number(Deno.env.get("VIGIL_FUZZ_SESSIONS") ?? "40");
const SEED = 0x5eed_0009;
const kit = await leaseKit();
const corpus = await readCorpus(new URL("./fuzz/corpus/", import.meta.url));

function events(n: number, key = "lock:1"): EventBody[] {
  const pool = kit.pool[0]![1]!;
  return Array.from(
    { length: n },
    (_, i) => ({ key, wall: 1_000 + i, logical: 0, ...pool[i % pool.length]! }),
  );
}

function header(firstSeq: number, dropped: BatchHeader["dropped"] = []): BatchHeader {
  return { spec: kit.hash, specName: kit.name, node: "node-0", boot: "b0", firstSeq, dropped };
}

function failures(report: FuzzReport): string[] {
  return report.failures.map((f) =>
    `${f.failure.describe()}\n  replay: deno run -A tools/fuzz.ts --replay ${f.seed} --path ${f.path}`
  );
}

Deno.test("the fuzzer's tree of a batch encodes to exactly the SDK encoder's bytes", () => {
  for (const n of [0, 1, 64, 65, 129, 300]) {
    const h = header(7 + n, n % 2 === 0 ? [] : [[0, 2], [4, 6]]);
    const evs = events(n);
    assert.deepEqual(encodeTree(batchTree(h, evs)), encodeBatch(h, evs), `${n} events`);
  }
});

Deno.test("the accounting model counts accepted, duplicate, dropped and lost numbers once each", () => {
  const m = new AccountingModel();
  const keys = (n: number) => Array.from({ length: n }, () => "lock:1");
  const ok = (accepted: number, duplicates: number, dropped: number) => ({
    accepted,
    duplicates,
    late: 0,
    dropped,
  });
  // Numbers 0..2 as events; 3 declared dropped, 4 skipped (a hole), 5 an event.
  assert.deepEqual(m.batch({ ...header(0), keys: keys(3) }, ok(3, 0, 0)), []);
  assert.deepEqual(m.batch({ ...header(5, [[3, 3]]), keys: keys(1) }, ok(1, 0, 1)), []);
  assert.deepEqual(m.batch({ ...header(0), keys: keys(3) }, ok(0, 3, 0)), [], "a re-send");
  assert.deepEqual(
    m.batch({ ...header(6, [[3, 3]]), keys: [] }, ok(0, 0, 0)),
    [],
    "declared twice",
  );
  m.expireAll();
  assert.equal(m.lost, 1, "only the undeclared number 4 is lost");
  assert.deepEqual(m.batch({ ...header(6, [[4, 4]]), keys: [] }, ok(0, 0, 0)), [], "declared late");
  assert.equal(m.dropped, 1);
  assert.equal(m.accepted, 4);
  assert.equal(m.duplicates, 3);
  assert.equal(m.partitions.get(`${kit.hash}\u0000lock:1`), 4);
  const wrong = m.batch({ ...header(6), keys: keys(2) }, ok(1, 1, 0));
  assert.deepEqual(wrong, ["accepted 1, expected 2", "duplicates 1, expected 0"]);
});

Deno.test("generated sessions mix valid batches of every size class, re-sends, held batches, mutants, reboots and both advances", () => {
  const notes = new Map<string, number>();
  const sizes = new Set<number>();
  let advances = 0;
  let timeouts = 0;
  for (let i = 0; i < 16; i++) {
    const s = generateSession(sessionSeed(SEED, i), kit);
    assert.deepEqual(
      generateSession(sessionSeed(SEED, i), kit),
      s,
      "a session is rebuilt from its seed",
    );
    for (const step of s.steps) {
      if (step.kind === "advance") {
        advances++;
        if (step.ms > s.config.gapTimeoutMs + s.config.windowMs) timeouts++;
        continue;
      }
      const kind = step.note.split(" ")[0]!;
      notes.set(kind, (notes.get(kind) ?? 0) + 1);
      if (step.content !== undefined) sizes.add(step.content.keys.length);
    }
  }
  for (const kind of ["valid", "retry", "held", "mutant", "another", "no", "unknown", "wrong"]) {
    assert.ok((notes.get(kind) ?? 0) > 0, `no '${kind}' step in ${JSON.stringify([...notes])}`);
  }
  assert.ok(
    advances > timeouts && timeouts > 0,
    `${advances} advances, ${timeouts} past the gap timeout`,
  );
  for (const n of [0, 64, 65, 129, 130]) assert.ok(sizes.has(n), `no valid batch of ${n} events`);
  assert.ok([...sizes].some((n) => n > 300), "no valid batch over 300 events");
});

Deno.test("each oracle fails a session when its property is broken", async () => {
  const session = generateSession(sessionSeed(SEED, 3), kit, { maxSteps: 120 });
  const plant =
    (change: (a: Answer, step: SendStep, n: number) => Answer) => (t: Target): Target => {
      let n = 0;
      return { ...t, send: async (step) => change(await t.send(step), step, n++) };
    };
  const cases: [string, RunOptions][] = [
    ["accounting", {
      wrapTarget: plant((a) =>
        a.ok ? { ok: true, result: { ...a.result, duplicates: a.result.duplicates + 1 } } : a
      ),
    }],
    ["refused_valid", {
      wrapTarget: plant((a, step) =>
        step.valid ? { ok: false, reason: "invalid", detail: "planted" } : a
      ),
    }],
    ["internal", {
      wrapTarget: plant((a, _, n) =>
        n === 2 ? { ok: false, reason: "internal", detail: "planted" } : a
      ),
    }],
    ["counters", {
      wrapTarget: (t) => {
        const collector = new Proxy(t.collector, {
          get(c, k) {
            if (k === "metrics") {
              return () => ({ ...c.metrics(), applied: c.metrics().applied + 1 });
            }
            const v = Reflect.get(c, k, c);
            return typeof v === "function" ? v.bind(c) : v;
          },
        });
        return { ...t, collector };
      },
    }],
    ["stall", { stallMs: -1 }],
    ["memory", { memorySlack: -(2 ** 40) }],
  ];
  for (const [kind, options] of cases) {
    const r = await runSession(session, options);
    assert.equal(r.failure?.kind, kind, `planted ${kind}: ${r.failure?.describe()}`);
  }
  assert.equal(
    (await runSession(session)).failure,
    null,
    "the session itself passes",
  );
});

Deno.test("the stall oracle counts an input's CPU time, not the wall time a stalled machine adds; a long wait still counts", async () => {
  const session = generateSession(sessionSeed(SEED, 3), kit, { maxSteps: 120 });
  /** The third input first waits `waitMs` (no CPU) or burns `burnMs` of CPU. */
  const slowThird = (o: { waitMs?: number; burnMs?: number }) => (t: Target): Target => {
    let n = 0;
    return {
      ...t,
      send: async (step) => {
        if (n++ === 2) {
          if (o.waitMs !== undefined) await new Promise((r) => setTimeout(r, o.waitMs));
          const c0 = threadCpuMs()!;
          while (o.burnMs !== undefined && threadCpuMs()! - c0 < o.burnMs) {
            // burn this thread's CPU
          }
        }
        return t.send(step);
      },
    };
  };
  assert.ok(threadCpuMs() !== null, "this test needs /proc/thread-self/stat (Linux)");
  // 600 ms of waiting, as a machine frozen for 600 ms gives: 3x the limit in wall time, no CPU. The
  // limit leaves room for a collection or a compilation on this thread during the input (a 50 ms
  // limit once read 150 ms of CPU for this one-event input, the suite running beside other loads).
  const waited = await runSession(session, {
    stallMs: 200,
    wrapTarget: slowThird({ waitMs: 600 }),
  });
  assert.equal(waited.failure, null, `a wait under 10x the limit: ${waited.failure?.describe()}`);
  const burnt = await runSession(session, { stallMs: 200, wrapTarget: slowThird({ burnMs: 400 }) });
  assert.equal(burnt.failure?.kind, "stall", "400 ms of CPU over a 200 ms limit");
  assert.match(burnt.failure!.message, /Input took '\d+' ms \('\d+' ms of CPU\)/);
  const long = await runSession(session, { stallMs: 20, wrapTarget: slowThird({ waitMs: 300 }) });
  assert.equal(long.failure?.kind, "stall", "a wait over 10x the limit");
});

Deno.test("the corpus keeps regression cases", () => {
  assert.ok(corpus.length > 0, "tests/fuzz/corpus/ holds no case");
});

for (const [name, c] of corpus) {
  Deno.test(`regression ${name} replays without a failure in process and through app.request`, async () => {
    const sends = c.session.steps.filter((s): s is SendStep => s.kind === "send").length;
    for (const path of ["inprocess", "app"] as const) {
      const r = await runSession(c.session, { path });
      assert.equal(
        r.failure,
        null,
        `${path}: ${r.failure?.describe()}\nfound as: ${c.message}`,
      );
      assert.equal(r.inputs, sends, `${path}: every input was sent`);
    }
  });
}

Deno.test(`${SESSIONS} seeded sessions through the in-process ingest hold every oracle`, async () => {
  const report = await fuzz({
    seed: SEED,
    sessions: SESSIONS,
    paths: ["inprocess"],
    minimizeMs: 0,
  });
  assert.deepEqual(failures(report), []);
  assert.ok(report.inputs > 20 * SESSIONS, `only ${report.inputs} inputs`);
  assert.ok(report.valid > 0 && report.mutantsAccepted > 0, "no valid or no accepted mutant");
  assert.ok(report.duplicates > 0 && report.dropped > 0 && report.lost > 0, JSON.stringify(report));
  for (const reason of ["malformed", "invalid", "unknown_spec"]) {
    assert.ok((report.refused[reason] ?? 0) > 0, `no '${reason}' refusal`);
  }
});

Deno.test(`${SESSIONS} seeded sessions through app.request hold every oracle`, async () => {
  const report = await fuzz({ seed: SEED + 1, sessions: SESSIONS, paths: ["app"], minimizeMs: 0 });
  assert.deepEqual(failures(report), []);
  assert.ok(report.inputs > 20 * SESSIONS, `only ${report.inputs} inputs`);
  for (const reason of ["malformed", "unauthorized", "node_mismatch", "unsupported_media_type"]) {
    assert.ok((report.refused[reason] ?? 0) > 0, `no '${reason}' refusal`);
  }
});
