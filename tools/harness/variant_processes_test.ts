/**
 * `variant_processes.ts`: the variants take turns in processes of their
 * own (round `k` starts at variant `k`), each process's last JSON line is
 * gathered, a failing process is named, the calling thread's CPU is read
 * from `/proc/thread-self/stat`, and the median is the middle value.
 */
import assert from "node:assert/strict";
import { mainThreadCpuMs, median, takeTurns } from "./variant_processes.ts";

/** A script that appends its variant to `log` and prints `{"v": <variant>}` last, or fails for variant 9. */
async function script(dir: string, log: string): Promise<string> {
  const path = `${dir}/variant.ts`;
  await Deno.writeTextFile(
    path,
    `const v = Number(Deno.args[0]);
if (v === 9) { console.log("no json"); Deno.exit(3); }
await Deno.writeTextFile(${JSON.stringify(log)}, v + " ", { append: true });
console.log("noise line");
console.log(JSON.stringify({ v }));
`,
  );
  return path;
}

Deno.test("takeTurns runs every variant in processes of its own, round k starting at variant k, and gathers each one's last JSON line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-turns-" });
  try {
    const log = `${dir}/order.txt`;
    const path = await script(dir, log);
    const out = await takeTurns(path, 3, 2, (v) => [String(v)]);
    assert.deepEqual(out, [[{ v: 0 }, { v: 0 }], [{ v: 1 }, { v: 1 }], [{ v: 2 }, { v: 2 }]]);
    assert.equal((await Deno.readTextFile(log)).trim(), "0 1 2 1 2 0");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("takeTurns names the variant whose process failed, with its last line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-turns-" });
  try {
    const path = await script(dir, `${dir}/order.txt`);
    await assert.rejects(
      takeTurns(path, 2, 1, (v) => [v === 1 ? "9" : "0"]),
      /variant 1 of .*variant\.ts failed \(exit 3\): no json/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Busy until this process has used 100 ms of CPU (not of wall time: load does not matter), at most
 * 20 s; prints the calling thread's CPU ms by `mainThreadCpuMs` over it, and the process's.
 */
const BUSY = `
import process from "node:process";
import { mainThreadCpuMs } from ${
  JSON.stringify(new URL("./variant_processes.ts", import.meta.url).href)
};
const before = mainThreadCpuMs();
const cpu0 = process.cpuUsage();
const until = Date.now() + 20_000;
let x = 0;
while (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system < 100_000) {
  for (let i = 0; i < 100_000; i++) x += i;
  if (Date.now() > until) throw new Error("100 ms of CPU not used within 20 s");
}
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ used: mainThreadCpuMs() - before, process: (cpu.user + cpu.system) / 1000, x: x > 0 }));
`;

Deno.test("mainThreadCpuMs counts the calling thread's CPU: 100 ms of busy work show", async () => {
  if (Number.isNaN(mainThreadCpuMs())) {
    // Only where /proc/thread-self/stat is missing (not Linux): NaN, as documented.
    assert.ok(!Deno.build.os.startsWith("linux"), "Linux has /proc/thread-self/stat");
    return;
  }
  // In a process of its own: under `deno test --parallel` other test modules run on other threads of
  // this one, and their CPU counts in `process.cpuUsage` (the whole suite once read 20 ms here).
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", BUSY],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const { used, process: total } = JSON.parse(text) as { used: number; process: number };
  // 10 ms ticks; this thread did (nearly) all of the process's work.
  assert.ok(
    used >= 50 && used <= total + 10,
    `main thread ${used} ms for ${total} ms of the process's busy work`,
  );
});

Deno.test("median is the middle value (the upper one of an even count), and the input is left as it was", () => {
  const values = [3, 1, 2];
  assert.equal(median(values), 2);
  assert.deepEqual(values, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 3);
  assert.equal(median([7]), 7);
});
