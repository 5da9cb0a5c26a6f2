/**
 * Test helpers for rolling spec upgrades: the three versions of
 * `specs/upgrade/lease_v<n>.vigil` compiled once per process, fresh
 * collector-side instances of each, and a node that runs one version at a
 * time through the real SDK (monitors in observe mode, a batcher whose
 * timers never fire, the memory transport) and can restart on another
 * version with a new boot id, as a replica does during a rolling upgrade.
 *
 * @module
 */
import { compileToTemp, ROOT } from "../tools/harness/spec_files.ts";
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import type { LoadedSpec } from "../runtime/monitor/load_spec.ts";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode, type NodeContext } from "../runtime/monitor/node.ts";
import type { Monitor } from "../runtime/monitor/monitor_types.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import type { Batcher } from "../runtime/batcher/batcher_types.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";

/** A version of the upgrade Lease: 1, 2 (converts from 1), 3 (retypes a variable of 2). */
export type LeaseVersion = 1 | 2 | 3;

const dirs = new Map<LeaseVersion, Promise<string>>();

/** The directory of the compiled artifacts of `specs/upgrade/lease_v<v>.vigil` (`lease_v<v>.js`). */
export function versionDir(v: LeaseVersion): Promise<string> {
  let dir = dirs.get(v);
  if (dir === undefined) {
    const source = Deno.readTextFileSync(`${ROOT}specs/upgrade/lease_v${v}.vigil`);
    dir = compileToTemp(`lease_v${v}`, source).then((r) => r.dir);
    dirs.set(v, dir);
  }
  return dir;
}

/** A fresh compiled instance of a version, for a collector. */
export async function collectorVersion(v: LeaseVersion): Promise<CompiledSpec> {
  return loadCompiled(`${await versionDir(v)}/lease_v${v}.js`);
}

/** A fresh loaded instance of a version, for the SDK side. */
export async function nodeVersion(v: LeaseVersion): Promise<LoadedSpec> {
  return loadSpec(`${await versionDir(v)}/lease_v${v}.js`);
}

/** The shared fake physical time of a test, ms. */
export class FakeTime {
  t: number;
  constructor(t: number) {
    this.t = t;
  }
  readonly now = (): number => this.t;
}

/** Where a node's batches go: the bytes of one encoded batch. */
export type Deliver = (bytes: Uint8Array) => void;

/** Options of {@link UpgradeNode}. */
export interface UpgradeNodeOptions {
  /** The shared time; each step moves it 1 ms forward first (so merge order is step order). */
  readonly time: FakeTime;
  /** Called with each batch the node sends. */
  readonly deliver: Deliver;
  /** Events per batch at most. Default 4 (batches split a run of steps). */
  readonly maxEvents?: number;
}

/** A replica running one version of the Lease at a time. */
export class UpgradeNode {
  readonly id: string;
  #version: LeaseVersion = 1;
  #spec: LoadedSpec | null = null;
  #batcher: Batcher | null = null;
  #boots = 0;
  #boot = "";
  #monitors = new Map<string, Monitor>();
  #node: NodeContext | null = null;
  #steps = 0;
  readonly #options: UpgradeNodeOptions;

  constructor(id: string, options: UpgradeNodeOptions) {
    this.id = id;
    this.#options = options;
  }

  /** The version it runs. */
  get version(): LeaseVersion {
    return this.#version;
  }

  /** The boot id of its current process. */
  get boot(): string {
    return this.#boot;
  }

  /** Steps taken over all its boots (each one an event sent). */
  get steps(): number {
    return this.#steps;
  }

  /** The spec hash of the version it runs. */
  get hash(): string {
    return this.#spec!.hash;
  }

  /** Starts a process of the node on `version`, with a new boot id and fresh monitors. */
  async start(version: LeaseVersion): Promise<this> {
    if (this.#batcher !== null) throw new TypeError(`Node '${this.id}' is running`);
    this.#version = version;
    this.#spec = await nodeVersion(version);
    this.#boot = `${this.id}-boot-${++this.#boots}`;
    const transport = memoryTransport();
    transport.subscribe((bytes) => this.#options.deliver(bytes));
    this.#batcher = createBatcher(transport, {
      maxEvents: this.#options.maxEvents ?? 4,
      timers: { setTimeout: () => 0, clearTimeout: () => {} },
    });
    this.#monitors = new Map();
    const time = this.#options.time;
    this.#node = createNode({
      id: this.id,
      boot: this.#boot,
      clock: createClock({ now: time.now }),
    });
    return this;
  }

  /** Sends what is buffered. */
  async flush(): Promise<void> {
    await this.#batcher?.flush();
  }

  /** Stops the process: everything buffered is sent first. */
  async stop(): Promise<void> {
    await this.#batcher?.close();
    this.#batcher = null;
  }

  /** Stops and starts again on `version` (a rolling upgrade's step for this replica). */
  async restart(version: LeaseVersion): Promise<void> {
    await this.stop();
    await this.start(version);
  }

  /** Steps `action` on instance `key` (observe mode); returns the verdict kind. */
  step(key: string, action: string, args: Record<string, unknown> = {}): string {
    const time = this.#options.time;
    time.t++;
    let m = this.#monitors.get(key);
    if (m === undefined) {
      m = this.#spec!.monitor({
        node: this.#node!,
        key,
        mode: "observe",
        sink: this.#batcher!,
      });
      this.#monitors.set(key, m);
    }
    this.#steps++;
    return m.step(action, args).kind;
  }
}
