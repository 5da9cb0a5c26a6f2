/**
 * Where `vigil collector` keeps its state, and whether the state found
 * there may be used.
 *
 * The path: `--kv <path>` names a Deno KV file (`none`: nothing is saved;
 * `:memory:`: a store living as long as the process); otherwise the file
 * `collector.kv` in the data directory, `--data-dir <dir>` or by default a
 * per-user folder ({@link defaultDataDir}: `$XDG_STATE_HOME/vigil`, else
 * `~/.local/state/vigil`; `%LOCALAPPDATA%\vigil` on Windows), created when
 * missing. Never the working directory unless asked for. Deno KV is
 * Deno-only: on Node and Bun the state is kept in memory (`--kv none`),
 * and asking for a file there is a usage error.
 *
 * The check: the store records what it belongs to at first use
 * (`store_origin.ts`). A state that belongs to another stream (a new
 * JetStream server, a recreated stream) or to a collector of other specs
 * is refused ({@link CommandError}) unless `--reset-state` (the file and
 * its SQLite side files are renamed `<path>.stale-<time>` and a fresh one
 * is started) or `--adopt-state` (the state is kept and recorded as this
 * stream's) is given. A state without a record (written before records
 * existed) is refused the same way: nothing says where it came from.
 *
 * @module
 */
import { mkdir, rename, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import type { CollectorSnapshot } from "../../edge/engine/types.ts";
import { kvCollectorStore } from "../../edge/store/kv_store.ts";
import { type CollectorStore, memoryStore } from "../../edge/store/store.ts";
import { CommandError } from "../command_error.ts";
import { UsageError } from "../flags.ts";
import { type KvFile, kvFilesAvailable, kvUnavailableReason, openKvFile } from "../kv_file.ts";
import { runtime, type RuntimeInfo } from "../runtime.ts";
import {
  compareOrigin,
  readOrigin,
  type RecordedOrigin,
  type StoreOrigin,
  writeOrigin,
} from "../store_origin.ts";

/** The file name of the store in a data directory. */
export const STORE_FILE = "collector.kv";

/** What locates the per-user data directory. */
export interface DataDirContext {
  /** Environment variables (`XDG_STATE_HOME`, `LOCALAPPDATA`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  readonly home: string;
  /** `process.platform`. */
  readonly platform: string;
}

function hostContext(): DataDirContext {
  return { env: process.env, home: homedir(), platform: process.platform };
}

/**
 * The per-user data directory of the collector: `$XDG_STATE_HOME/vigil`
 * when that variable holds an absolute path, else
 * `<home>/.local/state/vigil`; on Windows `%LOCALAPPDATA%\vigil`.
 *
 * @example Where the state goes by default
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultDataDir } from "./store.ts";
 * assert.equal(defaultDataDir({ env: {}, home: "/home/ada", platform: "linux" }), "/home/ada/.local/state/vigil");
 * assert.equal(defaultDataDir({ env: { XDG_STATE_HOME: "/var/state" }, home: "/home/ada", platform: "linux" }), "/var/state/vigil");
 * assert.equal(defaultDataDir({ env: { XDG_STATE_HOME: "rel" }, home: "/home/ada", platform: "darwin" }), "/home/ada/.local/state/vigil");
 * ```
 */
export function defaultDataDir(context: DataDirContext = hostContext()): string {
  if (context.platform === "win32") {
    const local = context.env["LOCALAPPDATA"];
    return join(
      local !== undefined && local !== "" ? local : join(context.home, "AppData", "Local"),
      "vigil",
    );
  }
  const xdg = context.env["XDG_STATE_HOME"];
  if (xdg !== undefined && xdg.startsWith("/")) return join(xdg, "vigil");
  return join(context.home, ".local", "state", "vigil");
}

/** The store flags of `vigil collector`. */
export interface StoreFlags {
  /** `--kv <path>` (`none`, `:memory:`, or a file). */
  readonly kv?: string;
  /** `--data-dir <dir>`. */
  readonly dataDir?: string;
}

/** Where the state goes, decided from the flags before anything is opened. */
export type StorePlan =
  | {
    readonly kind: "memory";
    /** `flag`: `--kv none`; `runtime`: no Deno KV here and no store asked for. */
    readonly why: "flag" | "runtime";
  }
  | {
    readonly kind: "kv";
    /** The file, or `:memory:`. */
    readonly path: string;
    /** `kv`: `--kv`; `data-dir`: in `--data-dir`; `default`: in the default data directory. */
    readonly from: "kv" | "data-dir" | "default";
  };

/**
 * Decides where the state goes.
 *
 * @throws {UsageError} When `--kv` and `--data-dir` are both given, or a
 * Deno KV file is asked for where none can be opened.
 *
 * @example Explicit, data directory, default, and another runtime
 * ```ts
 * import assert from "node:assert/strict";
 * import { planStore } from "./store.ts";
 * const deno = { kind: "deno", label: "Deno 2.9.6" } as const;
 * const context = { env: {}, home: "/home/ada", platform: "linux" };
 * assert.deepEqual(planStore({ kv: "none" }, { rt: deno, context }), { kind: "memory", why: "flag" });
 * assert.deepEqual(planStore({ dataDir: "/srv/vigil" }, { rt: deno, context }), { kind: "kv", path: "/srv/vigil/collector.kv", from: "data-dir" });
 * assert.deepEqual(planStore({}, { rt: deno, context }), { kind: "kv", path: "/home/ada/.local/state/vigil/collector.kv", from: "default" });
 * const node = { kind: "node", label: "Node 20.20.2" } as const;
 * assert.deepEqual(planStore({}, { rt: node, context }), { kind: "memory", why: "runtime" });
 * assert.throws(() => planStore({ dataDir: "/srv/vigil" }, { rt: node, context }), /only Deno can open/);
 * ```
 */
export function planStore(
  flags: StoreFlags,
  options: { readonly rt?: RuntimeInfo; readonly context?: DataDirContext } = {},
): StorePlan {
  const rt = options.rt ?? runtime();
  const kvHere = rt.kind === "deno" && kvFilesAvailable();
  if (flags.kv !== undefined && flags.dataDir !== undefined) {
    throw new UsageError("Give either '--kv' or '--data-dir', not both");
  }
  if (flags.kv === "none") return { kind: "memory", why: "flag" };
  if (flags.kv !== undefined) {
    const why = kvUnavailableReason(flags.kv, rt);
    if (why !== null) throw new UsageError(why);
    return { kind: "kv", path: flags.kv, from: "kv" };
  }
  if (flags.dataDir !== undefined) {
    if (!kvHere) {
      throw new UsageError(
        `Flag '--data-dir' keeps the state in a Deno KV file, which only Deno can open (this ` +
          `is ${rt.label}): give '--kv none' to keep state in memory only, or run the collector ` +
          `on Deno to keep it across restarts`,
      );
    }
    return { kind: "kv", path: join(flags.dataDir, STORE_FILE), from: "data-dir" };
  }
  if (!kvHere) return { kind: "memory", why: "runtime" };
  return {
    kind: "kv",
    path: join(defaultDataDir(options.context ?? hostContext()), STORE_FILE),
    from: "default",
  };
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * What this collector reads now; `null` when its JetStream stream does
   * not exist yet (it is recorded once it does, {@link OpenedStore.record}).
   */
  readonly current: StoreOrigin | null;
  /** The NATS URL, or `HTTP`, recorded with the origin and named in messages. */
  readonly via: string;
  /** `--reset-state`: move a state of another origin aside and start fresh. */
  readonly reset?: boolean;
  /** `--adopt-state`: keep a state of another (or no) origin as this one's. */
  readonly adopt?: boolean;
  /** Where notes go (a state moved aside or adopted). Default `console.error`. */
  readonly log?: (line: string) => void;
  /** The time of a move aside. Default now. */
  readonly now?: () => Date;
}

/** An open store and what it held. */
export interface OpenedStore {
  readonly store: CollectorStore;
  /** The snapshot to restore, or `null` to start fresh. */
  readonly saved: CollectorSnapshot | null;
  /** The file, or `null` in memory. */
  readonly path: string | null;
  /** True when the origin must still be recorded (call {@link OpenedStore.record}). */
  readonly unrecorded: boolean;
  /** Records the origin (once the JetStream stream exists). */
  record(origin: StoreOrigin): Promise<void>;
  close(): void;
}

/** `2026-12-04T09-43-31Z`: a time usable in a file name. */
function fileStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false);
}

/** Renames the KV file and its SQLite side files to `<path>.stale-<time>`; returns the new name. */
async function moveAside(path: string, now: Date): Promise<string> {
  const aside = `${path}.stale-${fileStamp(now)}`;
  for (const suffix of ["", "-wal", "-shm"]) {
    if (await exists(path + suffix)) await rename(path + suffix, aside + suffix);
  }
  return aside;
}

async function openKvAt(path: string, create: boolean): Promise<KvFile> {
  try {
    if (create && path !== ":memory:") await mkdir(dirname(path), { recursive: true });
    return await openKvFile(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new CommandError(`Cannot open the state store '${path}': ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/**
 * Opens the store of `plan`, loads its snapshot, and checks that it
 * belongs to what this collector reads.
 *
 * @throws {CommandError} When the state belongs elsewhere (and neither
 * `reset` nor `adopt` is given), or the file cannot be opened.
 *
 * @example A state recorded for one stream, refused for a recreated one
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "./store.ts";
 * import { writeOrigin } from "../store_origin.ts";
 * import { kvCollectorStore } from "../../edge/store/kv_store.ts";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector } from "../../edge/engine/collector.ts";
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/collector.kv`;
 * const kv = await Deno.openKv(path);
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * await kvCollectorStore(kv).save(createCollector({ specs: [lease] }).snapshot());
 * const first = { kind: "jetstream", stream: "VIGIL_EVENTS", created: "2026-01-01T00:00:00Z" } as const;
 * await writeOrigin(kv, first, { via: "nats://a:4222" });
 * kv.close();
 * const plan = { kind: "kv", path, from: "kv" } as const;
 * const again = { ...first, created: "2026-02-01T00:00:00Z" };
 * await assert.rejects(openStore(plan, { current: again, via: "nats://b:4222" }), /--reset-state/);
 * const same = await openStore(plan, { current: first, via: "nats://a:4222" });
 * assert.notEqual(same.saved, null);
 * same.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openStore(plan: StorePlan, options: OpenStoreOptions): Promise<OpenedStore> {
  if (plan.kind === "memory") {
    return {
      store: memoryStore(),
      saved: null,
      path: null,
      unrecorded: false,
      record: () => Promise.resolve(),
      close() {},
    };
  }
  if (options.reset === true && options.adopt === true) {
    throw new UsageError("Give either '--reset-state' or '--adopt-state', not both");
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const path = plan.path;
  let kv = await openKvAt(path, plan.from !== "kv");
  let store = kvCollectorStore(kv);
  let saved = await store.load();
  const recorded: RecordedOrigin | null = await readOrigin(kv);
  let unrecorded = true;
  if (saved === null) {
    // Nothing to mix in: whatever the record says, this run's origin replaces it.
  } else {
    const check = recorded === null
      ? {
        kind: "mismatch" as const,
        reason: "it does not say which stream it belongs to (written by an older vigil collector)",
      }
      : compareOrigin(recorded, options.current);
    if (check.kind === "same") unrecorded = false;
    else if (check.kind === "update") unrecorded = true;
    else if (options.adopt === true) {
      log(`vigil collector: --adopt-state: keeping the state in '${path}' (${check.reason})`);
    } else if (options.reset === true) {
      if (path === ":memory:") {
        saved = null;
      } else {
        kv.close();
        const aside = await moveAside(path, (options.now ?? (() => new Date()))());
        log(
          `vigil collector: --reset-state: moved the state in '${path}' aside to '${aside}' ` +
            `(${check.reason}); starting fresh`,
        );
        kv = await openKvAt(path, false);
        store = kvCollectorStore(kv);
        saved = await store.load();
      }
    } else {
      kv.close();
      throw new CommandError(
        `The state in '${path}' is not this collector's: ${check.reason}; restoring it would ` +
          `mix another run's node states into this one (false alarms). Give '--reset-state' to ` +
          `move it aside and start fresh, '--adopt-state' to keep it as this stream's, or ` +
          `another '--kv' path`,
      );
    }
  }
  const handle = kv;
  const opened: OpenedStore = {
    store,
    saved,
    path,
    unrecorded,
    async record(origin) {
      await writeOrigin(handle, origin, { via: options.via });
    },
    close: () => handle.close(),
  };
  if (unrecorded && options.current !== null) {
    await opened.record(options.current);
    return { ...opened, unrecorded: false };
  }
  return opened;
}
