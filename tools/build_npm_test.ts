import assert from "node:assert/strict";
import {
  neverShipped,
  npmImports,
  packageJson,
  parseNpmSpecifier,
  reachable,
  relativeJs,
  rewriteSpecifiers,
  rewrittenSpecifier,
  underLock,
} from "./build_npm.ts";
import type { PackageModule } from "./build_npm.ts";

const ROOT = "file:///repo/";

function moduleOf(path: string, ...targets: string[]): PackageModule {
  return {
    path,
    imports: targets.map((t) => ({
      specifier: t,
      resolved: t.startsWith("npm:") || t.startsWith("node:") ? t : `${ROOT}${t}`,
      dynamic: false,
    })),
  };
}

Deno.test("build:npm rewrites specifiers in every import form and nowhere else", () => {
  const source = [
    "import {",
    "  a,",
    "  type B,",
    '} from "./a.ts";',
    'import c, { d } from "../c.ts";',
    'export { e } from "./e.ts";',
    'export type { F } from "./f.ts";',
    'const g = () => import(  "./g.ts" );',
    'const text = "./a.ts"; // from a string, not an import',
    'import { h } from "./unknown.ts";',
  ].join("\n");
  const map = new Map([
    ["./a.ts", "./a.js"],
    ["../c.ts", "../c.js"],
    ["./e.ts", "./e.js"],
    ["./f.ts", "./f.js"],
    ["./g.ts", "./g.js"],
  ]);
  assert.equal(
    rewriteSpecifiers(source, map),
    [
      "import {",
      "  a,",
      "  type B,",
      '} from "./a.js";',
      'import c, { d } from "../c.js";',
      'export { e } from "./e.js";',
      'export type { F } from "./f.js";',
      'const g = () => import(  "./g.js" );',
      'const text = "./a.ts"; // from a string, not an import',
      'import { h } from "./unknown.ts";',
    ].join("\n"),
  );
});

Deno.test("build:npm maps import-map names of npm packages to the package and subpath", () => {
  const npm = npmImports({
    msgpackr: "npm:msgpackr@2.1.3",
    "@nats-io/jetstream": "npm:@nats-io/jetstream@3.4.0",
    "@vigil/vigil/hono": "./runtime/hono/mod.ts",
  });
  assert.deepEqual([...npm.keys()].sort(), ["@nats-io/jetstream", "msgpackr"]);
  const at = (specifier: string, resolved: string) =>
    rewrittenSpecifier("edge/ingest/nats.ts", { specifier, resolved, dynamic: false }, {
      npm,
      root: ROOT,
    });
  assert.equal(at("msgpackr/unpack", "npm:/msgpackr@2.1.3/unpack"), "msgpackr/unpack");
  assert.equal(at("@nats-io/jetstream", "npm:/@nats-io/jetstream@3.4.0"), "@nats-io/jetstream");
  assert.equal(at("@vigil/vigil/hono", `${ROOT}runtime/hono/mod.ts`), "../../runtime/hono/mod.js");
  assert.equal(at("./redelivery.ts", `${ROOT}edge/ingest/redelivery.ts`), "./redelivery.js");
  assert.equal(at("node:net", "node:net"), "node:net");
});

Deno.test("build:npm refuses imports that cannot ship, naming the module and the import", () => {
  const npm = npmImports({ hono: "npm:hono@4.13.19" });
  const at = (specifier: string, resolved: string) =>
    rewrittenSpecifier("runtime/x.ts", { specifier, resolved, dynamic: false }, {
      npm,
      root: ROOT,
    });
  assert.throws(
    () => at("ajv", "npm:/ajv@8.20.0"),
    /Module 'runtime\/x\.ts' imports npm package 'ajv', which deno\.json "imports" does not list/,
  );
  assert.throws(
    () => at("../../../elsewhere.ts", "file:///elsewhere.ts"),
    /Module 'runtime\/x\.ts' imports '\.\.\/\.\.\/\.\.\/elsewhere\.ts', outside the repository/,
  );
  assert.throws(
    () => at("https://example.com/x.ts", "https://example.com/x.ts"),
    /imports 'https:\/\/example\.com\/x\.ts' .* cannot ship/,
  );
  assert.throws(
    () => npmImports({ hono: "npm:hono" }),
    /Import 'hono' maps to 'npm:hono', an npm specifier with no version/,
  );
});

Deno.test("build:npm parses npm specifiers with scopes, versions and subpaths", () => {
  assert.deepEqual(parseNpmSpecifier("npm:hono@4.13.19"), {
    name: "hono",
    version: "4.13.19",
    subpath: "",
  });
  assert.deepEqual(parseNpmSpecifier("npm:/@bytecodealliance/jco@1.10.2/component"), {
    name: "@bytecodealliance/jco",
    version: "1.10.2",
    subpath: "/component",
  });
  assert.deepEqual(parseNpmSpecifier("npm:@nats-io/nats-core"), {
    name: "@nats-io/nats-core",
    version: "",
    subpath: "",
  });
  assert.equal(parseNpmSpecifier("jsr:@std/path@1"), null);
  assert.equal(parseNpmSpecifier("file:///repo/mod.ts"), null);
});

Deno.test("build:npm computes relative .js specifiers between any two modules", () => {
  assert.equal(relativeJs("a/b/c.ts", "a/b/d.ts"), "./d.js");
  assert.equal(relativeJs("a/b/c.ts", "a/e/d.ts"), "../e/d.js");
  assert.equal(relativeJs("a/b/c.ts", "mod.ts"), "../../mod.js");
  assert.equal(relativeJs("cli/main.ts", "cli/demo/sim.ts"), "./demo/sim.js");
  // A folder named like a file's stem is not a common prefix.
  assert.equal(relativeJs("lib/mod.ts", "lib/mod/x.ts"), "./mod/x.js");
});

Deno.test("build:npm follows imports through cycles and collects the packages reached", () => {
  const modules = new Map<string, PackageModule>([
    ["a.ts", moduleOf("a.ts", "b.ts", "node:http")],
    ["b.ts", moduleOf("b.ts", "a.ts", "npm:/msgpackr@2.1.3/unpack")],
    ["c.ts", moduleOf("c.ts", "npm:/binaryen@122.0.0")],
  ]);
  const got = reachable(["a.ts"], modules, ROOT);
  assert.deepEqual([...got.files].sort(), ["a.ts", "b.ts"]);
  assert.deepEqual([...got.packages], ["msgpackr"]);
  assert.deepEqual([...reachable(["c.ts"], modules, ROOT).packages], ["binaryen"]);
});

Deno.test("build:npm never ships tests, fixtures, benchmarks, examples or tools", () => {
  for (
    const path of [
      "runtime/hono/guard_test.ts",
      "tests/npm_package_test.ts",
      "lib/abi/testdata/x.ts",
      "bench/step_bench.ts",
      "examples/lease/main.ts",
      "tools/harness/wait.ts",
      "tests/collector_kill_fixture.ts",
    ]
  ) {
    assert.notEqual(neverShipped(path), null, path);
  }
  for (const path of ["mod.ts", "runtime/hono/guard.ts", "lib/explore/mod.ts", "cli/main.ts"]) {
    assert.equal(neverShipped(path), null, path);
  }
});

Deno.test("build:npm's package.json: types first in each export, the bin, optional peers only", () => {
  const pkg = packageJson({
    name: "@vigil/vigil",
    version: "1.2.3",
    exports: { ".": "./mod.ts", "./nats": "./runtime/transports/nats.ts" },
    bin: "cli/main.ts",
    peers: [
      { name: "@nats-io/nats-core", version: "3.4.0" },
      { name: "@bytecodealliance/jco", version: "1.10.2" },
    ],
  });
  assert.equal(pkg.version, "1.2.3");
  assert.equal(pkg.license, "MIT");
  assert.deepEqual(Object.keys(pkg.exports), [".", "./nats", "./package.json"]);
  const dot = pkg.exports["."];
  assert.ok(typeof dot === "object");
  assert.deepEqual(Object.keys(dot), ["types", "import"]);
  assert.deepEqual(dot, { types: "./mod.d.ts", import: "./mod.js" });
  assert.deepEqual(pkg.bin, { vigil: "./cli/main.js" });
  assert.deepEqual(pkg.dependencies, {});
  assert.deepEqual(pkg.peerDependencies, {
    "@bytecodealliance/jco": "1.10.2",
    "@nats-io/nats-core": "^3.4.0",
  });
  assert.deepEqual(Object.keys(pkg.peerDependenciesMeta).sort(), [
    "@bytecodealliance/jco",
    "@nats-io/nats-core",
  ]);
  assert.throws(
    () => packageJson({ ...pkgInput(), exports: { "./x": "./x.js" } }),
    /Export '\.\/x' maps to '\.\/x\.js', not a TypeScript module/,
  );
});

function pkgInput() {
  return { name: "p", version: "0.0.1", exports: {}, bin: "cli/main.ts", peers: [] };
}

Deno.test("build:npm tells packages a module loads from those it imports only on demand", () => {
  const modules = new Map<string, PackageModule>([
    ["cli.ts", {
      path: "cli.ts",
      imports: [
        { specifier: "hono", resolved: "npm:hono", dynamic: false },
        { specifier: "./nats.ts", resolved: `${ROOT}nats.ts`, dynamic: true },
      ],
    }],
    ["nats.ts", moduleOf("nats.ts", "npm:@nats-io/nats-core")],
  ]);
  const loads = reachable(["cli.ts"], modules, ROOT, { staticOnly: true });
  assert.deepEqual([...loads.files], ["cli.ts"]);
  assert.deepEqual([...loads.packages], ["hono"]);
  assert.deepEqual([...reachable(["cli.ts"], modules, ROOT).packages].sort(), [
    "@nats-io/nats-core",
    "hono",
  ]);
});

Deno.test("build:npm's lock waits for a live holder and takes what it made", async () => {
  const lock = `${await Deno.makeTempDir()}/lock`;
  await Deno.mkdir(lock);
  await Deno.writeTextFile(`${lock}/pid`, String(Deno.pid)); // a live process holds it
  let made: string | null = null;
  const release = setTimeout(async () => {
    made = "made by the holder";
    await Deno.remove(lock, { recursive: true });
  }, 50);
  let ran = false;
  const got = await underLock(lock, () => Promise.resolve(made), () => {
    ran = true;
    return Promise.resolve("made again");
  });
  clearTimeout(release);
  assert.equal(got, "made by the holder");
  assert.equal(ran, false);
});
