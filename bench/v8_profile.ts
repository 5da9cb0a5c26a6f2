/**
 * V8 profiles of a benchmark process, taken through `node:inspector` (Deno
 * has no `--cpu-prof`): a CPU profile and a sampling heap profile (objects
 * collected by GC included, so it shows what a loop allocates), written as
 * files Chrome DevTools opens, and short summaries of both.
 *
 * @module
 */
/** A V8 CPU profile (the fields read here). */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
    /** Self samples per line of the script (V8 records them; see {@link topLines}). */
    readonly positionTicks?: readonly { readonly line: number; readonly ticks: number }[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A node of a V8 sampling heap profile (the fields read here). */
export interface AllocNode {
  readonly callFrame: CpuProfile["nodes"][number]["callFrame"];
  readonly selfSize: number;
  readonly children: readonly AllocNode[];
}

/**
 * Starts the V8 CPU profiler (when `cpuFile` is given) and the sampling
 * heap profiler (when `allocFile` is given) of this process; `stop` writes
 * each profile to its file and returns them.
 *
 * @example Profile a loop
 * ```ts ignore
 * const profiler = await startProfiler({ cpuFile: "/tmp/x.cpuprofile" });
 * for (let i = 0; i < 1e6; i++) Math.sqrt(i);
 * const { cpu } = await profiler.stop();
 * console.log(topSelf(cpu!, 10));
 * ```
 */
export async function startProfiler(
  files: { readonly cpuFile?: string | undefined; readonly allocFile?: string | undefined },
): Promise<
  { stop(): Promise<{ cpu: CpuProfile | null; alloc: AllocNode | null }> }
> {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (e: unknown, r: unknown) => e ? reject(e) : resolve(r))
    );
  const { cpuFile, allocFile } = files;
  if (cpuFile !== undefined) {
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: 200 });
    await post("Profiler.start");
  }
  if (allocFile !== undefined) {
    await post("HeapProfiler.enable");
    await post("HeapProfiler.startSampling", {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  return {
    async stop() {
      let cpu: CpuProfile | null = null;
      let alloc: AllocNode | null = null;
      if (cpuFile !== undefined) {
        cpu = (await post("Profiler.stop") as { profile: CpuProfile }).profile;
        await Deno.writeTextFile(cpuFile, JSON.stringify(cpu));
      }
      if (allocFile !== undefined) {
        const { profile } = await post("HeapProfiler.stopSampling") as {
          profile: { head: AllocNode };
        };
        alloc = profile.head;
        await Deno.writeTextFile(allocFile, JSON.stringify(profile));
      }
      session.disconnect();
      return { cpu, alloc };
    },
  };
}

/**
 * The `n` functions with the most self time, as "share% name file:line"
 * (idle excluded from the total, and so is the wait Deno books to the
 * inspector's pending `post`).
 *
 * @example Summarize a tiny profile
 * ```ts
 * import assert from "node:assert/strict";
 * import { topSelf } from "./v8_profile.ts";
 * const frame = (functionName: string) => ({ functionName, url: "file:///a/x.ts", lineNumber: 0 });
 * const profile = {
 *   nodes: [{ id: 1, callFrame: frame("hot") }, { id: 2, callFrame: frame("(idle)") }],
 *   samples: [1, 1, 2],
 *   timeDeltas: [10, 10, 50],
 * };
 * assert.deepEqual(topSelf(profile, 5), ["100.0% hot x.ts:1"]);
 * ```
 */
export function topSelf(profile: CpuProfile, n: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!;
    const f = node.callFrame;
    // Deno books the wait of the event loop to the inspector's pending `post`: idle too.
    if (
      f.functionName === "(idle)" || (f.functionName === "post" && f.url.endsWith("inspector.js"))
    ) {
      continue;
    }
    const where = f.url === ""
      ? ""
      : ` ${f.url.slice(f.url.lastIndexOf("/") + 1)}:${f.lineNumber + 1}`;
    const name = `${f.functionName || "(anonymous)"}${where}`;
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, t]) => `${(100 * t / total).toFixed(1)}% ${name}`);
}

/**
 * The `n` source lines with the most self samples, as "share% file:line
 * function | text" (share of all samples). V8 attributes a sample to the
 * line it was taken on only when run with
 * `--v8-flags=--detailed-line-info`; otherwise every sample of optimized
 * code lands on its function's first line. The lines are those of the
 * JavaScript Deno emitted for a module, not of its TypeScript:
 * `source(url)` gives that script's lines when it can (see
 * {@link emittedSource}), to print each line's text.
 *
 * Where the cost of the collector is memory, not instructions, this is
 * what shows it: the line that first reads an object last touched
 * thousands of events ago takes the samples of the wait.
 *
 * @example Summarize a tiny profile with line positions
 * ```ts
 * import assert from "node:assert/strict";
 * import { topLines } from "./v8_profile.ts";
 * const callFrame = { functionName: "hot", url: "file:///a/x.ts", lineNumber: 0 };
 * const profile = {
 *   nodes: [{ id: 1, callFrame, positionTicks: [{ line: 3, ticks: 3 }, { line: 4, ticks: 1 }] }],
 *   samples: [1, 1, 1, 1],
 *   timeDeltas: [10, 10, 10, 10],
 * };
 * const text = ["", "", "while (lane[k].end < h) k++;", "k = 0;"];
 * assert.deepEqual(topLines(profile, 1, () => text), ["75.0% x.ts:3 hot | while (lane[k].end < h) k++;"]);
 * ```
 */
export function topLines(
  profile: CpuProfile,
  n: number,
  source: (url: string) => readonly string[] | null = () => null,
): string[] {
  const ticks = new Map<string, { url: string; line: number; fn: string; ticks: number }>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    for (const at of node.positionTicks ?? []) {
      const key = `${f.url}:${at.line}:${f.functionName}`;
      const seen = ticks.get(key);
      if (seen !== undefined) seen.ticks += at.ticks;
      else ticks.set(key, { url: f.url, line: at.line, fn: f.functionName, ticks: at.ticks });
    }
  }
  const total = profile.samples.length;
  const lines = new Map<string, readonly string[] | null>();
  return [...ticks.values()].sort((a, b) => b.ticks - a.ticks).slice(0, n).map((t) => {
    if (!lines.has(t.url)) lines.set(t.url, source(t.url));
    const text = lines.get(t.url)?.[t.line - 1]?.trim();
    const file = t.url.slice(t.url.lastIndexOf("/") + 1);
    return `${(100 * t.ticks / total).toFixed(1)}% ${file}:${t.line} ${t.fn || "(anonymous)"}${
      text === undefined ? "" : ` | ${text.slice(0, 120)}`
    }`;
  });
}

/**
 * The lines of the JavaScript Deno emitted for local module `url` (its
 * emit cache, under `DENO_DIR` or `~/.cache/deno`), null when not found:
 * the lines {@link topLines} counts in.
 */
export function emittedSource(url: string): readonly string[] | null {
  if (!url.startsWith("file://")) return null;
  const dir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME") ?? ""}/.cache/deno`;
  try {
    return Deno.readTextFileSync(`${dir}/gen/file${new URL(url).pathname}.js`).split("\n");
  } catch {
    return null;
  }
}

/**
 * The `n` functions allocating the most (sampled bytes, self), as "MB name file:line".
 *
 * @example Summarize a tiny allocation profile
 * ```ts
 * import assert from "node:assert/strict";
 * import { topAllocations } from "./v8_profile.ts";
 * const frame = (functionName: string) => ({ functionName, url: "", lineNumber: 0 });
 * const head = {
 *   callFrame: frame("(root)"),
 *   selfSize: 0,
 *   children: [{ callFrame: frame("grow"), selfSize: 2_000_000, children: [] }],
 * };
 * assert.deepEqual(topAllocations(head, 5), ["2.00 MB grow"]);
 * ```
 */
export function topAllocations(head: AllocNode, n: number): string[] {
  const self = new Map<string, number>();
  const walk = (node: AllocNode) => {
    const f = node.callFrame;
    const where = f.url === ""
      ? ""
      : ` ${f.url.slice(f.url.lastIndexOf("/") + 1)}:${f.lineNumber + 1}`;
    const name = `${f.functionName || "(anonymous)"}${where}`;
    if (node.selfSize > 0) self.set(name, (self.get(name) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c);
  };
  walk(head);
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, bytes]) => `${(bytes / 1e6).toFixed(2)} MB ${name}`);
}
