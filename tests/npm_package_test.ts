/**
 * The npm package as a user gets it. `buildNpmOnce` writes the package
 * (or finds it built from the same sources by another test), `npm pack`
 * packs it, and fresh projects in a temporary folder install the
 * tarball with the machine's `npm`, as `npm install @vigil/vigil` would:
 *
 * - the tarball holds the compiled modules, their declarations, the bin,
 *   the license and the readme, and nothing of the tests;
 * - the core SDK installs alone (no other package) and loads without the
 *   optional peers, which a subpath that needs one names when missing;
 *   `/nats` with `@nats-io/transport-node`; every subpath with all peers;
 *   the install size and package count of each are printed;
 * - the package's bin compiles a spec under Node (`npx vigil compile`) to
 *   the same core module as the repository's build;
 * - a scenario (`tests/npm_package/scenario.mjs`) runs under the machine's
 *   Node and under Bun from npm: two services guard a Hono route with
 *   `vigilGuard`, grant the same lock, and ship their events with
 *   `httpTransport` to a collector (`vigil collector` on Deno, real
 *   sockets on 127.0.0.1), which reports the double hold as `OneHolder`
 *   through its API; once more with the collector run by Node from the
 *   package's bin (`npx vigil collector`).
 *
 * Every subprocess is bounded in time and every server stops by itself.
 *
 * @module
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNpmOnce, type BuildNpmResult, runCommand, TYPES_NODE } from "../tools/build_npm.ts";
import { npmTool } from "../tools/harness/npm_tool.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { ChildOutput } from "../tools/harness/child_output.ts";
import { startCollectorProcess } from "../tools/harness/collector_process.ts";

const FIXTURES = join(ROOT, "tests", "npm_package");
const DIST = join(ROOT, "dist");
/** Serves the scenario's Hono apps on Node (Bun serves with `Bun.serve`). */
const HONO_NODE_SERVER = "@hono/node-server@2.1.8";
const INSTALL_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 120_000;

/** The version `deno.json` pins for an npm package: the one users of this build install. */
async function pinned(name: string): Promise<string> {
  const config = JSON.parse(await readFile(join(ROOT, "deno.json"), "utf8")) as {
    imports: Record<string, string>;
  };
  const entry = Object.values(config.imports).find((v) => v.startsWith(`npm:${name}@`));
  assert.ok(entry !== undefined, `deno.json "imports" pins npm package '${name}'`);
  return `${name}@${entry.slice(`npm:${name}@`.length)}`;
}

/** Runs a command to completion (stopped after `timeoutMs`); rejects with its output unless it exits 0. */
function sh(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }> {
  return runCommand(command, args, { ...options, timeoutMs: options.timeoutMs ?? RUN_TIMEOUT_MS });
}

/** A new empty ESM project in `dir`. */
async function project(dir: string): Promise<string> {
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "vigil-npm-user", version: "1.0.0", private: true, type: "module" }),
  );
  return dir;
}

async function npmInstall(dir: string, packages: readonly string[]): Promise<void> {
  await sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packages], {
    cwd: dir,
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
}

/** What an install put in `node_modules`. */
interface InstallFigures {
  /** `du -sk node_modules`: KiB on disk. */
  readonly kib: number;
  /** `du -sb node_modules`: apparent bytes. */
  readonly bytes: number;
  /** Installed packages (folders with a package.json under node_modules, nested ones included). */
  readonly packages: number;
  /** JavaScript modules (`.js`, `.mjs`, `.cjs`) among them. */
  readonly jsModules: number;
}

async function installFigures(dir: string): Promise<InstallFigures> {
  const nm = join(dir, "node_modules");
  const du = async (flag: string) =>
    Number((await sh("du", [flag, nm], { cwd: dir })).stdout.split("\t")[0]);
  let packages = 0;
  let jsModules = 0;
  async function walk(path: string, packageRoot: boolean): Promise<void> {
    const entries = await readdir(path, { withFileTypes: true });
    if (packageRoot && entries.some((e) => e.isFile() && e.name === "package.json")) packages++;
    for (const e of entries) {
      if (e.isFile() && /\.[mc]?js$/.test(e.name)) jsModules++;
      if (!e.isDirectory()) continue;
      const child = join(path, e.name);
      if (e.name === "node_modules") {
        for (const p of await readdir(child, { withFileTypes: true })) {
          if (!p.isDirectory() || p.name.startsWith(".")) continue;
          if (p.name.startsWith("@")) {
            for (const s of await readdir(join(child, p.name), { withFileTypes: true })) {
              if (s.isDirectory()) await walk(join(child, p.name, s.name), true);
            }
          } else await walk(join(child, p.name), true);
        }
      } else await walk(child, false);
    }
  }
  await walk(dir, false);
  return { kib: await du("-sk"), bytes: await du("-sb"), packages, jsModules };
}

function describeFigures(what: string, f: InstallFigures): string {
  const mb = (f.bytes / 1e6).toFixed(2);
  return `${what.padEnd(34)} ${mb} MB (du -sb), ${f.kib} KiB on disk (du -sk), ` +
    `${f.packages} package(s), ${f.jsModules} JS modules`;
}

/** Runs `subpaths.mjs` under Node in `dir`: specifier -> the export's type, or the import's error. */
async function importSubpaths(
  dir: string,
  wanted: Record<string, string>,
): Promise<Record<string, { type?: string; error?: string; message?: string }>> {
  // Bare specifiers resolve from the importing file: the script runs from inside the project.
  await cp(join(FIXTURES, "subpaths.mjs"), join(dir, "subpaths.mjs"));
  const out = await sh("node", ["subpaths.mjs", JSON.stringify(wanted)], { cwd: dir });
  return JSON.parse(out.stdout.trim().split("\n").at(-1)!);
}

/** The main export of each subpath of `deno.json` "exports" (what a user imports it for). */
const MAIN_EXPORTS: Readonly<Record<string, string>> = {
  "@vigil/vigil": "loadSpec",
  "@vigil/vigil/nats": "natsTransport",
  "@vigil/vigil/jetstream": "jetstreamTransport",
  "@vigil/vigil/hono": "vigilGuard",
  "@vigil/vigil/abi": "loadCompiled",
  "@vigil/vigil/edge": "createCollectorService",
  "@vigil/vigil/edge/nats": "startNatsIngest",
  "@vigil/vigil/replay": "replay",
  "@vigil/vigil/compiler": "compile",
  "@vigil/vigil/explore": "exploreSource",
};

/** How `tests/npm_package/consumer.ts` is checked: strict, as Node resolves, nothing skipped. */
const CONSUMER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2022", "DOM"],
    types: ["node"],
    skipLibCheck: false,
    noEmit: true,
  },
  files: ["consumer.ts"],
};

interface ScenarioReport {
  readonly runtime: string;
  readonly answers: { node: string; action: string; client: number; status: number }[];
  readonly violations: { property: string; partition: string; nodes: string[] }[];
}

interface ApiViolation {
  readonly property: { readonly name: string };
  readonly partition: string;
  readonly nodes: readonly string[];
  readonly specName: string;
}

/** Starts a collector of `dist/lease.js` with these further arguments (tokens). */
type CollectorStarter = (args: readonly string[]) => Promise<{
  readonly base: string;
  output(): string;
  stop(): Promise<unknown>;
}>;

/** `vigil collector` on Deno from the repository (`deno run -A cli/main.ts collector`). */
const denoCollector: CollectorStarter = (args) =>
  startCollectorProcess(["--spec", "dist/lease.js", ...args]);

/**
 * `vigil collector` run by Node from the package's bin in project `dir`
 * (which holds `lease.js` and `lease.core.wasm`), as `npx vigil collector`
 * runs it; on a free port, stopped by SIGTERM (SIGKILL after 15 s).
 */
function binCollector(dir: string): CollectorStarter {
  return async (args) => {
    const child = new Deno.Command("node", {
      args: [
        join(dir, "node_modules", ".bin", "vigil"),
        "collector",
        "--spec",
        "lease.js",
        "--port",
        "0",
        ...args,
      ],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = new ChildOutput(child);
    const text = () => output.text;
    const stop = async () => {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const status = await child.status;
      clearTimeout(timer);
      await output.ended;
      return status;
    };
    try {
      const base = await waitFor(
        () => /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(text())?.[1],
        {
          timeoutMs: 30_000,
          intervalMs: 20,
          what: "the Node collector's start line",
          detail: text,
        },
      );
      return { base, output: text, stop };
    } catch (e) {
      await stop();
      throw e;
    }
  };
}

/**
 * Runs the scenario in `dir` with `runtime` (`node` or Bun's binary) against
 * a fresh `vigil collector`, and checks what both the scenario and the
 * collector's API report.
 */
async function runScenario(
  runtime: string,
  dir: string,
  lock: string,
  startCollector: CollectorStarter = denoCollector,
): Promise<ScenarioReport> {
  const tokens = { a: crypto.randomUUID(), b: crypto.randomUUID() };
  const readToken = crypto.randomUUID();
  const collector = await startCollector([
    "--token",
    `a=${tokens.a}`,
    "--token",
    `b=${tokens.b}`,
    "--read-token",
    readToken,
  ]);
  try {
    const config = { collector: collector.base, tokens, readToken, lock };
    const out = await sh(runtime, ["scenario.mjs", JSON.stringify(config)], { cwd: dir })
      .catch((e) => {
        throw new Error(`${(e as Error).message}\ncollector output:\n${collector.output()}`);
      });
    const report = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as ScenarioReport;
    assert.deepEqual(report.answers, [
      { node: "a", action: "acquire", client: 1, status: 200 },
      { node: "b", action: "acquire", client: 2, status: 200 },
      { node: "a", action: "acquire", client: 3, status: 409 },
    ]);
    assert.deepEqual(report.violations, [
      { property: "OneHolder", partition: `lock:${lock}`, nodes: ["a", "b"] },
    ]);
    // Read back from the collector's API here too, not only through the scenario's eyes.
    const res = await fetch(`${collector.base}/api/violations`, {
      headers: { authorization: `Bearer ${readToken}` },
    });
    assert.equal(res.status, 200);
    const violations = await res.json() as ApiViolation[];
    assert.equal(violations.length, 1);
    assert.equal(violations[0]!.property.name, "OneHolder");
    assert.equal(violations[0]!.specName, "Lease");
    assert.equal(violations[0]!.partition, `lock:${lock}`);
    assert.deepEqual([...violations[0]!.nodes].sort(), ["a", "b"]);
    return report;
  } finally {
    await collector.stop();
  }
}

Deno.test({
  name: "The npm package installs from its tarball and runs the guard-to-collector scenario " +
    "under Node and Bun",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    for (const file of ["lease.js", "lease.core.wasm"]) {
      await stat(join(DIST, file)).catch(() => {
        throw new Error(`'dist/${file}' is missing: run 'deno task build' first`);
      });
    }
    const work = await mkdtemp(join(tmpdir(), "vigil-npm-"));
    const figures: string[] = [];
    try {
      let build!: BuildNpmResult;
      let tarball!: string;
      let packed!: { path: string; mode: number }[];
      await t.step(
        "build:npm writes the package (once for these sources) and npm packs it",
        async () => {
          build = await buildNpmOnce({ log: () => {} });
          const out = await sh(
            "npm",
            ["pack", build.outDir, "--pack-destination", work, "--json"],
            {
              cwd: work,
            },
          );
          const info = JSON.parse(out.stdout) as {
            filename: string;
            size: number;
            unpackedSize: number;
            files: { path: string; mode: number }[];
          }[];
          tarball = join(work, info[0]!.filename);
          packed = info[0]!.files;
          figures.push(
            `${"tarball".padEnd(34)} ${(info[0]!.size / 1e6).toFixed(2)} MB packed, ` +
              `${(info[0]!.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${packed.length} files`,
          );
        },
      );

      await t.step(
        "the tarball holds every subpath's module and declaration, the bin, the license and the readme, and no test",
        async () => {
          const config = JSON.parse(await readFile(join(ROOT, "deno.json"), "utf8")) as {
            version: string;
            exports: Record<string, string>;
          };
          const paths = new Set(packed.map((f) => f.path));
          for (const file of ["package.json", "LICENSE", "README.md", "cli/main.js"]) {
            assert.ok(paths.has(file), `the tarball holds '${file}'`);
          }
          const pkg = JSON.parse(await readFile(join(build.outDir, "package.json"), "utf8"));
          assert.equal(pkg.name, "@vigil/vigil");
          assert.equal(pkg.version, config.version);
          assert.equal(pkg.type, "module");
          for (const [subpath, module] of Object.entries(config.exports)) {
            const base = module.replace(/^\.\//, "").replace(/\.ts$/, "");
            assert.ok(paths.has(`${base}.js`), `'${subpath}': '${base}.js' is packed`);
            assert.ok(paths.has(`${base}.d.ts`), `'${subpath}': '${base}.d.ts' is packed`);
            assert.deepEqual(pkg.exports[subpath], {
              types: `./${base}.d.ts`,
              import: `./${base}.js`,
            });
          }
          const strays = [...paths].filter((p) =>
            /(^|\/)(tests?|bench|examples|testdata|fixtures?)\/|_test\.|_fixture\.|\.ts$/.test(p) &&
            !p.endsWith(".d.ts")
          );
          assert.deepEqual(strays, []);
          assert.deepEqual(pkg.bin, { vigil: "./cli/main.js" });
          const bin = packed.find((f) => f.path === "cli/main.js")!;
          assert.equal(bin.mode & 0o111, 0o111, "the bin is executable");
          const head = (await readFile(join(build.outDir, "cli/main.js"), "utf8")).split("\n")[0];
          assert.equal(head, "#!/usr/bin/env node");
          assert.deepEqual(pkg.dependencies, {}, "nothing installs with the core SDK");
        },
      );

      await t.step(
        "the core SDK installs alone; without peers each subpath loads or names the package it lacks, as the build reported; /nats with its client",
        async () => {
          const dir = await project(await mkdtemp(join(work, "core-")));
          await npmInstall(dir, [tarball]);
          const core = await installFigures(dir);
          figures.push(describeFigures("@vigil/vigil (core SDK)", core));
          assert.equal(core.packages, 1, "the core SDK is one package");
          const loadedJs = build.loads["."]!;
          let loadedBytes = 0;
          for (const js of loadedJs) loadedBytes += (await stat(join(build.outDir, js))).size;
          figures.push(
            `${"import '@vigil/vigil' loads".padEnd(34)} ${loadedJs.length} modules, ` +
              `${(loadedBytes / 1e3).toFixed(0)} KB of JavaScript, no other package`,
          );
          const loaded = await importSubpaths(dir, MAIN_EXPORTS);
          // A service guarding Hono routes or shipping over NATS loads no package of ours: hono's and
          // NATS's types only (the app and the connection are the user's own).
          for (
            const s of [
              "@vigil/vigil",
              "@vigil/vigil/abi",
              "@vigil/vigil/hono",
              "@vigil/vigil/nats",
            ]
          ) {
            assert.deepEqual(loaded[s], { type: "function" }, s);
          }
          for (const [specifier, result] of Object.entries(loaded)) {
            const needs = build.needs[specifier.replace(/^@vigil\/vigil/, ".")]!.runtime;
            if (needs.length === 0) {
              assert.deepEqual(result, { type: "function" }, `'${specifier}' needs no package`);
            } else {
              assert.equal(result.error, "ERR_MODULE_NOT_FOUND", specifier);
              const missing = /Cannot find package '([^']+)'/.exec(result.message!)?.[1];
              assert.ok(
                missing !== undefined && needs.includes(missing),
                `'${specifier}' names a package it needs (${needs.join(", ")}): ${result.message}`,
              );
            }
          }
          assert.equal(loaded["@vigil/vigil/edge"]!.error, "ERR_MODULE_NOT_FOUND");

          await npmInstall(dir, [await pinned("@nats-io/transport-node")]);
          figures.push(
            describeFigures("+ @nats-io/transport-node (/nats)", await installFigures(dir)),
          );
          const withNats = await importSubpaths(dir, {
            "@vigil/vigil/nats": "natsTransport",
            "@nats-io/transport-node": "connect",
          });
          assert.deepEqual(withNats, {
            "@vigil/vigil/nats": { type: "function" },
            "@nats-io/transport-node": { type: "function" },
          });
        },
      );

      const scenarioDir = await project(await mkdtemp(join(work, "scenario-")));
      const fullDir = await project(await mkdtemp(join(work, "full-")));
      await t.step(
        "with binaryen and jco the bin compiles a spec under Node as the repository's build does; with every peer each subpath loads",
        async () => {
          const dir = fullDir;
          await npmInstall(dir, [
            tarball,
            await pinned("binaryen"),
            await pinned("@bytecodealliance/jco"),
          ]);
          figures.push(describeFigures("+ binaryen, jco (/compiler)", await installFigures(dir)));
          await cp(join(ROOT, "specs", "lease.vigil"), join(dir, "lease.vigil"));
          const out = await sh("npx", [
            "--no-install",
            "vigil",
            "compile",
            "lease.vigil",
            "--out",
            "out",
          ], {
            cwd: dir,
          });
          assert.doesNotMatch(out.stderr, /error/i);
          assert.deepEqual(
            new Uint8Array(await readFile(join(dir, "out", "lease.core.wasm"))),
            new Uint8Array(await readFile(join(DIST, "lease.core.wasm"))),
            "Node's compile gives the core module of the repository's build",
          );

          const peers = Object.keys(
            JSON.parse(await readFile(join(build.outDir, "package.json"), "utf8")).peerDependencies,
          ).filter((p) => p !== "binaryen" && p !== "@bytecodealliance/jco");
          await npmInstall(dir, await Promise.all(peers.map(pinned)));
          figures.push(describeFigures("every peer (all subpaths)", await installFigures(dir)));
          const loaded = await importSubpaths(dir, MAIN_EXPORTS);
          assert.deepEqual(
            loaded,
            Object.fromEntries(Object.keys(MAIN_EXPORTS).map((s) => [s, { type: "function" }])),
          );

          for (const file of ["lease.js", "lease.core.wasm"]) {
            await cp(join(DIST, file), join(dir, file));
          }

          // A TypeScript user: every subpath's declarations resolve and are complete.
          await npmInstall(dir, [`@types/node@${TYPES_NODE}`]);
          await cp(join(FIXTURES, "consumer.ts"), join(dir, "consumer.ts"));
          await writeFile(join(dir, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG));
          const tsc = await npmTool("typescript");
          await sh("node", [tsc, "-p", "tsconfig.json", "--pretty", "false"], { cwd: dir });
        },
      );

      await t.step("a fresh project installs the tarball, hono and the Node server", async () => {
        await npmInstall(scenarioDir, [tarball, await pinned("hono"), HONO_NODE_SERVER]);
        for (const file of ["lease.js", "lease.core.wasm"]) {
          await cp(join(DIST, file), join(scenarioDir, file));
        }
        await cp(join(FIXTURES, "scenario.mjs"), join(scenarioDir, "scenario.mjs"));
      });

      await t.step(
        "under Node: a guarded Hono route, a double hold, OneHolder read back from the collector",
        async () => {
          const report = await runScenario("node", scenarioDir, "node-1");
          assert.match(report.runtime, /^node v\d+/);
        },
      );

      await t.step("under Bun: the same scenario, the same violation", async () => {
        const report = await runScenario(await npmTool("bun"), scenarioDir, "bun-1");
        assert.match(report.runtime, /^bun 1\.4\.4$/);
      });

      await t.step(
        "the package's bin serves the collector under Node: the scenario under Bun ships to it and reads OneHolder back",
        async () => {
          const report = await runScenario(
            await npmTool("bun"),
            scenarioDir,
            "bun-2",
            binCollector(fullDir),
          );
          assert.match(report.runtime, /^bun /);
        },
      );
    } finally {
      console.log(
        `npm package install figures (tests/npm_package_test.ts):\n${figures.join("\n")}`,
      );
      await rm(work, { recursive: true, force: true });
    }
  },
});
