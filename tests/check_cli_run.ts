/**
 * Runs `vigil check` as a user would, for the check tests: a real `deno run`
 * of the CLI, killed if it has not ended after `limitMs` (a safety bound:
 * the tests assert that it ended by itself, never how fast).
 */
import { ROOT } from "../tools/harness/spec_files.ts";

/** What one `vigil check` run printed and how it ended. */
export interface CheckRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the safety bound had to kill it. */
  readonly killed: boolean;
}

/** Runs `vigil check ...args` from the repository root. */
export async function vigilCheck(args: readonly string[], limitMs = 120_000): Promise<CheckRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}cli/main.ts`, "check", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, limitMs);
  try {
    const out = await child.output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr), killed };
  } finally {
    clearTimeout(timer);
  }
}

/** Writes `source` to `name` in a new temporary directory, runs `use` on its path, removes it. */
export async function withSpec<T>(
  name: string,
  source: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "vigil-check-" });
  try {
    const path = `${dir}/${name}`;
    await Deno.writeTextFile(path, source);
    return await use(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
