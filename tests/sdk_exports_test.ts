/**
 * The package's public entry points: each subpath of `deno.json`
 * `exports` is mapped the same way in `imports` (so the repository's
 * examples resolve `@vigil/vigil/...` as a user would), loads, and offers what a
 * service opts into; the SDK's face (`@vigil/vigil`) loads only the core.
 */
import assert from "node:assert/strict";
import { ROOT } from "../tools/harness/spec_files.ts";

interface DenoJson {
  readonly exports: Record<string, string>;
  readonly imports: Record<string, string>;
}

const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as DenoJson;

/** Subpath -> values its entry module must export. */
const OFFERS: Readonly<Record<string, readonly string[]>> = {
  "@vigil/vigil": [
    "loadSpec",
    "specFromCompiled",
    "TypedMonitor",
    "wrap",
    "createNode",
    "createClock",
    "createBatcher",
    "memoryTransport",
    "httpTransport",
    "encodeBatch",
    "GuardError",
    "loadCompiled",
  ],
  "@vigil/vigil/nats": ["natsTransport"],
  "@vigil/vigil/jetstream": ["jetstreamTransport", "ensureStream"],
  "@vigil/vigil/hono": ["vigilGuard", "memoryGuardStore", "kvGuardStore", "problemResponse"],
  "@vigil/vigil/abi": ["loadCompiled", "describeVerdict", "GuardError"],
  "@vigil/vigil/edge": ["createCollector", "createCollectorApp"],
  "@vigil/vigil/edge/nats": ["startNatsIngest"],
  "@vigil/vigil/replay": ["replay", "parseMapping"],
  "@vigil/vigil/compiler": ["compile", "analyze"],
  "@vigil/vigil/explore": ["exploreSource", "exploreParallel"],
};

/** What the core must leave to the opt-in entry points. */
const NOT_IN_CORE = ["natsTransport", "jetstreamTransport", "ensureStream", "vigilGuard"];

function specifierOf(subpath: string): string {
  return subpath === "." ? "@vigil/vigil" : `@vigil/vigil/${subpath.slice(2)}`;
}

Deno.test("deno.json maps every exported subpath to the same module in its import map", () => {
  const subpaths = Object.keys(config.exports).map(specifierOf).sort();
  assert.deepEqual(subpaths, Object.keys(OFFERS).sort());
  for (const [subpath, target] of Object.entries(config.exports)) {
    assert.equal(config.imports[specifierOf(subpath)], target, `import map entry of '${subpath}'`);
  }
  const stale = Object.keys(config.imports).filter((k) =>
    (k === "@vigil/vigil" || k.startsWith("@vigil/vigil/")) && !(k in OFFERS)
  );
  assert.deepEqual(stale, [], "@vigil/vigil/... import map entries without an export");
});

for (const [specifier, names] of Object.entries(OFFERS)) {
  Deno.test(`'${specifier}' loads and exports ${names.join(", ")}`, async () => {
    const entry: Record<string, unknown> = await import(specifier);
    const missing = names.filter((n) => entry[n] === undefined);
    assert.deepEqual(missing, []);
  });
}

Deno.test("the core SDK leaves transports over NATS and the Hono guard to their entry points", async () => {
  const core: Record<string, unknown> = await import("@vigil/vigil");
  assert.deepEqual(NOT_IN_CORE.filter((n) => n in core), []);
});

Deno.test("every public entry module names its exports (no 'export *')", async () => {
  const starred: string[] = [];
  for (const target of Object.values(config.exports)) {
    const text = await Deno.readTextFile(`${ROOT}${target.slice(2)}`);
    if (/^\s*export\s+(?:type\s+)?\*/m.test(text)) starred.push(target);
  }
  assert.deepEqual(starred, []);
});

Deno.test("the SDK's face reaches no npm package and no NATS, Hono or decoder module", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "mod.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  const specifiers = info.modules.map((m) => m.specifier);
  assert.ok(specifiers.includes(new URL("mod.ts", `file://${ROOT}`).href), "mod.ts itself");
  const rootUrl = `file://${ROOT}`;
  const outside = specifiers.filter((s) => !s.startsWith(rootUrl));
  assert.deepEqual(outside, [], "modules outside the repository (npm:, jsr:, node:)");
  const opted = specifiers.map((s) => s.slice(rootUrl.length)).filter((p) =>
    /^(runtime\/(transports\/(nats|jetstream)|hono\/)|lib\/wire\/decode|edge\/|cli\/)/.test(p)
  );
  assert.deepEqual(opted, []);
});
