/**
 * Runs a command (a test file, a benchmark) as a loaded or stalled machine
 * would: the command and every process it starts (collectors,
 * nats-servers, Chromium) go into cgroup-v1 groups of their own, capped at
 * a share of one core (`--cpu 0.1`: the `cpu` controller's quota per
 * 100 ms period) and/or frozen `FREEZE` ms out of every `EVERY` ms
 * (`--freeze 1500/3000`: the `freezer` controller, as a stalled VM, a
 * swapping machine or a long pause would; timers then fire late all at
 * once, which a CPU cap rarely produces). The cap also keeps such a run
 * from loading anyone else's measurements.
 *
 * How the review found races with it (docs in `/work/notes/reports19`):
 * `--cpu 0.1` for starvation (0.1 core ~ load 40-80 on 2 cores), `--freeze
 * 1500/3000` or `3000/5000` for stalls.
 *
 * Needs root and cgroup v1 `cpu`/`freezer` hierarchies under
 * `/sys/fs/cgroup` (says so and exits 2 otherwise). The groups
 * (`vigil_starve_<pid>`) are removed when the command ends. Exit code: the
 * command's.
 *
 * Run: `deno run -A tools/harness/starve.ts [--cpu <cores>] [--freeze <ms>/<ms>] -- <command...>`,
 * e.g. `deno run -A tools/harness/starve.ts --freeze 1500/3000 --cpu 0.6 -- deno test -A tests/examples_test.ts`.
 *
 * @module
 */
import { parseArgs } from "node:util";

const ROOT = "/sys/fs/cgroup";

/** What {@link starve} does to the command. */
export interface StarveOptions {
  /** Share of one core for the command and its children (e.g. 0.1); absent: no cap. */
  readonly cpu?: number;
  /** Freeze the whole tree `ms` out of every `everyMs`; absent: never. */
  readonly freeze?: { readonly ms: number; readonly everyMs: number };
}

/** How a {@link starve} run ended, with what the cgroups counted. */
export interface StarveResult {
  /** The command's exit code. */
  readonly code: number;
  /** Periods in which the CPU quota stopped the tree (`cpu.stat` `nr_throttled`); 0 without `cpu`. */
  readonly throttled: number;
  /** Times the tree was frozen. */
  readonly freezes: number;
}

/** Parses `1500/3000` into `{ ms, everyMs }`. */
export function parseFreeze(text: string): { ms: number; everyMs: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const ms = Number(m?.[1]), everyMs = Number(m?.[2]);
  if (m === null || !(ms > 0 && everyMs > ms)) {
    throw new RangeError(`--freeze takes '<ms>/<every ms>' with 0 < ms < every, got '${text}'`);
  }
  return { ms, everyMs };
}

/** Why this machine cannot run {@link starve}, or null when it can. */
export function unavailable(options: StarveOptions): string | null {
  if (Deno.uid() !== 0) return "needs root (it writes cgroup files)";
  for (const c of [options.cpu === undefined ? null : "cpu", options.freeze ? "freezer" : null]) {
    if (c === null) continue;
    try {
      Deno.statSync(`${ROOT}/${c}/cgroup.procs`);
    } catch {
      return `needs the cgroup v1 '${c}' hierarchy at ${ROOT}/${c}`;
    }
  }
  return null;
}

/**
 * Runs `command` (program and arguments) inside fresh cgroups as
 * `options` say; resolves with its exit code and the counts.
 *
 * @example A busy loop at a twentieth of a core is throttled
 * ```ts ignore
 * const r = await starve(["sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"], { cpu: 0.05 });
 * assert.equal(r.code, 0);
 * assert.ok(r.throttled > 0);
 * ```
 */
export async function starve(
  command: readonly string[],
  options: StarveOptions,
): Promise<StarveResult> {
  if (command.length === 0) throw new TypeError("starve: no command given");
  if (options.cpu !== undefined && !(options.cpu > 0 && options.cpu <= 64)) {
    throw new RangeError(`--cpu takes a share of cores in (0, 64], got '${options.cpu}'`);
  }
  const why = unavailable(options);
  if (why !== null) throw new Error(`starve: ${why}`);
  const name = `vigil_starve_${Deno.pid}_${Math.floor(Math.random() * 1e6)}`;
  const groups: string[] = [];
  const make = (controller: string) => {
    const dir = `${ROOT}/${controller}/${name}`;
    Deno.mkdirSync(dir);
    groups.push(dir);
    return dir;
  };
  let freezes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const cpu = options.cpu === undefined ? null : make("cpu");
    if (cpu !== null) {
      Deno.writeTextFileSync(`${cpu}/cpu.cfs_period_us`, "100000");
      Deno.writeTextFileSync(`${cpu}/cpu.cfs_quota_us`, String(Math.round(options.cpu! * 100_000)));
    }
    const freezer = options.freeze === undefined ? null : make("freezer");
    // The shell joins the groups, then becomes the command: every child starts inside.
    const join = groups.map((g) => `echo $$ > '${g}/cgroup.procs'`).join(" && ");
    const child = new Deno.Command("sh", {
      args: ["-c", `${join} && exec "$@"`, "starve", ...command],
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    let done = false;
    const status = child.status.finally(() => (done = true));
    if (freezer !== null) {
      const { ms, everyMs } = options.freeze!;
      const state = (s: "FROZEN" | "THAWED") =>
        Deno.writeTextFileSync(`${freezer}/freezer.state`, s);
      const cycle = () => {
        timer = setTimeout(() => {
          if (done) return;
          state("FROZEN");
          freezes++;
          timer = setTimeout(() => {
            state("THAWED");
            cycle();
          }, ms);
        }, everyMs - ms);
      };
      cycle();
    }
    const { code } = await status;
    clearTimeout(timer);
    if (freezer !== null) Deno.writeTextFileSync(`${freezer}/freezer.state`, "THAWED");
    const throttled = cpu === null
      ? 0
      : Number(/nr_throttled (\d+)/.exec(Deno.readTextFileSync(`${cpu}/cpu.stat`))?.[1] ?? 0);
    return { code, throttled, freezes };
  } finally {
    clearTimeout(timer);
    for (const g of groups.reverse()) {
      try {
        Deno.removeSync(g);
      } catch {
        // a process of the command still in it (it outlived the command): left for the system
      }
    }
  }
}

if (import.meta.main) {
  const dash = Deno.args.indexOf("--");
  const own = dash < 0 ? Deno.args : Deno.args.slice(0, dash);
  const command = dash < 0 ? [] : Deno.args.slice(dash + 1);
  const { values } = parseArgs({
    args: own,
    options: { cpu: { type: "string" }, freeze: { type: "string" } },
  });
  if (command.length === 0 || (values.cpu === undefined && values.freeze === undefined)) {
    console.error(
      "usage: deno run -A tools/harness/starve.ts [--cpu <cores>] [--freeze <ms>/<every ms>] -- <command...>",
    );
    Deno.exit(2);
  }
  const options: StarveOptions = {
    ...(values.cpu === undefined ? {} : { cpu: Number(values.cpu) }),
    ...(values.freeze === undefined ? {} : { freeze: parseFreeze(values.freeze) }),
  };
  const why = unavailable(options);
  if (why !== null) {
    console.error(`starve: ${why}`);
    Deno.exit(2);
  }
  const r = await starve(command, options);
  console.error(
    `starve: exit ${r.code}, throttled in ${r.throttled} periods, frozen ${r.freezes} times`,
  );
  Deno.exit(r.code);
}
