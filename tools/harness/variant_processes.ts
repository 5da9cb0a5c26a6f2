/**
 * Benchmarks whose variants each run alone in processes of their own,
 * taking turns: collectors sharing one process distort each other's
 * figures (their garbage is collected during the others' runs, the JIT
 * and caches are shared), so a figure meant to stand for "one collector
 * on one core" is read in a process that runs nothing else.
 *
 * {@link takeTurns} starts the child processes and gathers the one JSON
 * line each prints; {@link mainThreadCpuMs} is the CPU of the calling
 * thread alone (V8's helper threads, which collect garbage and compile
 * beside it on another core, excluded), where Linux says it.
 *
 * @module
 */

/**
 * Runs `script` with `args(v)` for each of `variants` variants, `procs`
 * processes per variant, the variants taking turns (round `k` starts at
 * variant `k`), each process printing one JSON object as its last line of
 * standard output; returns, per variant, the objects of its processes.
 * Throws with the variant and its output when a process fails.
 */
export async function takeTurns(
  script: string,
  variants: number,
  procs: number,
  args: (variant: number) => readonly string[],
): Promise<Record<string, number>[][]> {
  const out: Record<string, number>[][] = Array.from({ length: variants }, () => []);
  for (let k = 0; k < procs; k++) {
    for (let j = 0; j < variants; j++) {
      const v = (j + k) % variants;
      const run = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script, ...args(v)],
        stderr: "inherit",
      }).output();
      const last = new TextDecoder().decode(run.stdout).trim().split("\n").pop() ?? "";
      if (!run.success || !last.startsWith("{")) {
        throw new Error(`variant ${v} of ${script} failed (exit ${run.code}): ${last}`);
      }
      out[v]!.push(JSON.parse(last) as Record<string, number>);
    }
  }
  return out;
}

/**
 * CPU milliseconds the calling thread has used (user and system, from
 * `/proc/thread-self/stat`, in 10 ms ticks: sum many runs before dividing),
 * or NaN where the system does not say.
 */
export function mainThreadCpuMs(): number {
  let stat: string;
  try {
    stat = Deno.readTextFileSync("/proc/thread-self/stat");
  } catch {
    return NaN;
  }
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1]!;
}
