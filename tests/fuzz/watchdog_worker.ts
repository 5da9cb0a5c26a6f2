/**
 * The worker of `watchdog.ts`: polls the heartbeat and ends the process
 * when it stops.
 *
 * @module
 */
/// <reference lib="deno.worker" />

self.onmessage = (e: MessageEvent<{ shared: Int32Array; hangMs: number; paths: string[] }>) => {
  const { shared, hangMs, paths } = e.data;
  let last = -1;
  let since = Date.now();
  setInterval(() => {
    const beats = Atomics.load(shared, 0);
    if (beats !== last) {
      last = beats;
      since = Date.now();
      return;
    }
    if (Date.now() - since < hangMs) return;
    const seed = Atomics.load(shared, 1) >>> 0;
    const path = paths[Atomics.load(shared, 2)] ?? "inprocess";
    console.error(
      `fuzz: HANG: no progress for ${Math.round(hangMs / 1000)} s at step ${
        Atomics.load(shared, 3)
      } ` +
        `of session ${seed} (${path}); replay: deno run -A tools/fuzz.ts --replay ${seed} --path ${path} --trace`,
    );
    Deno.kill(Deno.pid, "SIGKILL");
  }, 250);
};
