/**
 * A lock directory shared by processes (builds running at the same time
 * wait for one another; the lock of a process that died is taken over).
 *
 * @module
 */
import { join } from "node:path";

/**
 * Runs `fn` holding the lock directory `lock` unless `ready()` gives a
 * result first: a process that holds the lock is awaited (at most 10 min),
 * one that died holding it (its pid gone from `/proc`) is taken over, and
 * `ready()` is asked again once the lock is held.
 *
 * @example Take over the lock of a process that died
 * ```ts
 * import assert from "node:assert/strict";
 * import { underLock } from "./under_lock.ts";
 * const lock = `${await Deno.makeTempDir()}/lock`;
 * const dead = new Deno.Command("true").spawn();
 * await dead.status;
 * await Deno.mkdir(lock);
 * await Deno.writeTextFile(`${lock}/pid`, String(dead.pid));
 * assert.equal(await underLock(lock, () => Promise.resolve(null), () => Promise.resolve("built")), "built");
 * await assert.rejects(Deno.stat(lock), Deno.errors.NotFound);
 * ```
 */
export async function underLock<T>(
  lock: string,
  ready: () => Promise<T | null>,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const found = await ready();
    if (found !== null) return found;
    try {
      await Deno.mkdir(lock);
      await Deno.writeTextFile(join(lock, "pid"), String(Deno.pid));
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const pid = await Deno.readTextFile(join(lock, "pid")).catch(() => null);
      const gone = pid !== null && /^\d+$/.test(pid) &&
        await Deno.stat("/proc/self").then(
          () => Deno.stat(`/proc/${pid}`).then(() => false, () => true),
          () => false,
        );
      if (gone) {
        await Deno.remove(lock, { recursive: true }).catch(() => {});
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Another build holds '${lock}' for over 10 minutes; remove it if none runs`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await ready() ?? await fn();
  } finally {
    await Deno.remove(lock, { recursive: true });
  }
}
