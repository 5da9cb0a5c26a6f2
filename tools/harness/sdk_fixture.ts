/**
 * Test helpers for the SDK: the example specs compiled once per process
 * into a temporary directory and loaded as `LoadedSpec`s.
 *
 * @module
 */
import { compileToTemp, specSource } from "./spec_files.ts";
import { loadSpec } from "../../runtime/monitor/load_spec.ts";
import type { LoadedSpec } from "../../runtime/monitor/load_spec.ts";

const dirs = new Map<string, Promise<string>>();

/** The directory holding the compiled artifacts of `specs/<name>.vigil`. */
export function compiledDir(name: string): Promise<string> {
  let dir = dirs.get(name);
  if (dir === undefined) {
    dir = compileToTemp(name, specSource(name)).then((r) => r.dir);
    dirs.set(name, dir);
  }
  return dir;
}

/** A fresh `LoadedSpec` (its own WASM instance) of `specs/<name>.vigil`, through `loadSpec`. */
export async function loadExample(name: string): Promise<LoadedSpec> {
  return loadSpec(`${await compiledDir(name)}/${name}.js`);
}

/** A fake physical clock: `now()` returns `t`, which tests set. */
export class FakeNow {
  t: number;
  constructor(t: number) {
    this.t = t;
  }
  readonly now = (): number => this.t;
}
