/**
 * The package as JSR would receive it: `deno publish --dry-run` succeeds (license, no slow
 * types, the sources type-check) and ships only sources, docs and the license; `deno doc --lint`
 * over the entry points of `deno.json` "exports" finds nothing but the listed references to
 * npm dependencies' types; every export of every entry point has a doc and a titled example.
 * The dry run needs no network (it publishes nothing).
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const ROOT_PATH = decodeURIComponent(ROOT.pathname);

/** The entry points of `deno.json` "exports", as paths relative to the root (`./mod.ts`, ...). */
function entryPoints(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT))) as {
    exports: Record<string, string>;
  };
  return Object.values(config.exports);
}

/** Runs the `deno` that runs this test in the repository root, without colours (`NO_COLOR`). */
async function deno(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT_PATH,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** The files a dry run would publish, relative to the root (`mod.ts`, `lib/ir.ts`, ...). */
function publishedFiles(output: string): string[] {
  const prefix = ROOT.href;
  const files: string[] = [];
  for (const m of output.matchAll(/^\s+(file:\/\/\S+) \([^)]*\)$/gm)) {
    const url = m[1]!;
    assert.ok(url.startsWith(prefix), `published file "${url}" lies outside the repository`);
    files.push(decodeURIComponent(url.slice(prefix.length)));
  }
  return files;
}

Deno.test("the package is MIT licensed to The Vigil authors in LICENSE and deno.json", async () => {
  const license = await Deno.readTextFile(new URL("LICENSE", ROOT));
  assert.match(license, /^MIT License\n\nCopyright \(c\) 2026 The Vigil authors\n/);
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  assert.equal(config.license, "MIT");
  assert.equal(config.name, "@vigil/vigil");
  assert.match(config.version, /^\d+\.\d+\.\d+$/);
});

Deno.test("deno publish --dry-run succeeds and ships only sources, docs and the license", async () => {
  const run = await deno(["publish", "--dry-run", "--allow-dirty"]);
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.code, 0, `dry run failed:\n${output}`);
  assert.match(output, /Success Dry run complete/);
  const files = publishedFiles(output);
  assert.ok(files.length > 50, `expected the package's sources, listed ${files.length} files`);

  for (const required of ["LICENSE", "README.md", "mod.ts", "deno.json"]) {
    assert.ok(files.includes(required), `"${required}" is not published`);
  }
  for (const entry of entryPoints()) {
    const path = entry.replace(/^\.\//, "");
    assert.ok(files.includes(path), `entry point "${path}" is not published`);
  }
  const forbiddenDirs = [
    "tests/",
    "bench/",
    ".ci/",
    "tools/",
    "dist/",
    "examples/",
    "node_modules/",
    "npm/",
    "test-artifacts/",
  ];
  const leaked = files.filter((f) =>
    forbiddenDirs.some((d) => f.startsWith(d)) ||
    /(^|\/)testdata\//.test(f) ||
    /_(test|bench|fixture)\.ts$/.test(f) ||
    !/\.(ts|md|vigil)$|^LICENSE$|^deno\.json$/.test(f)
  );
  assert.deepEqual(leaked, [], "files that are not sources, docs or the license are published");
});

/**
 * The doc lint problems that remain by design: public signatures that name a type of an npm
 * dependency the user brings (Hono's app, context and middleware; the NATS connection).
 * `deno doc --lint` counts any type declared in an npm package as private, and making those
 * types public means re-exporting the dependency's own declarations, which fail the same lint.
 * Listed exactly: a new problem, or one of these gone, fails the test.
 */
const NPM_TYPE_REFERENCES = [
  "'CollectorApp' references private type 'Hono'",
  "'GuardArgs' references private type 'Context'",
  "'GuardArgs' references private type 'Env'",
  "'GuardCommonOptions' references private type 'Env'",
  "'GuardCommonOptions[\"key\"]' references private type 'Context'",
  "'GuardOptions' references private type 'Context'",
  "'GuardOptions' references private type 'Env'",
  "'jetstreamPublisher' references private type 'NatsConnection'",
  "'natsTransport' references private type 'NatsConnection'",
  "'readAccess' references private type 'MiddlewareHandler'",
  "'vigilGuard' references private type 'Env'",
  "'vigilGuard' references private type 'MiddlewareHandler'",
];

Deno.test("deno doc --lint over deno.json exports finds only references to npm dependencies' types", async () => {
  const run = await deno(["doc", "--lint", ...entryPoints()]);
  const output = `${run.stdout}\n${run.stderr}`;
  const problems = [...output.matchAll(/^error\[([a-z-]+)\]: (.*)$/gm)].map(([, code, message]) =>
    code === "private-type-ref" ? message!.replace(/^public type /, "") : `${code}: ${message}`
  );
  assert.ok(run.code === 0 || problems.length > 0, `deno doc --lint failed:\n${output}`);
  assert.deepEqual(problems.sort(), [...NPM_TYPE_REFERENCES].sort(), output);
});

/** One exported symbol as `deno doc --json` describes it (only the fields read here). */
interface DocSymbol {
  name: string;
  declarations: {
    kind: string;
    location: { filename: string; line: number };
    jsDoc?: { doc?: string; tags?: { kind: string; doc?: string }[] };
  }[];
}

/** Exports that may lack a titled example: none. */
const EXAMPLES_PENDING = new Set<string>();

Deno.test("every export of every entry point has a doc and a titled example", async () => {
  const lacking: string[] = [];
  for (const entry of entryPoints()) {
    const run = await deno(["doc", "--json", entry]);
    assert.equal(run.code, 0, `deno doc --json ${entry} failed:\n${run.stderr}`);
    const json = JSON.parse(run.stdout) as { nodes: Record<string, { symbols?: DocSymbol[] }> };
    const symbols = Object.values(json.nodes).flatMap((n) => n.symbols ?? []);
    assert.ok(symbols.length > 0, `entry point "${entry}" exports nothing`);
    for (const symbol of symbols) {
      for (const d of symbol.declarations) {
        // A renamed re-export (`Kv as KvHandle`) is documented where its target is declared.
        if (d.kind === "reference") continue;
        const file = d.location.filename.startsWith(ROOT.href)
          ? d.location.filename.slice(ROOT.href.length)
          : d.location.filename;
        const where = `${entry} ${symbol.name} (${file}:${d.location.line})`;
        if (!d.jsDoc?.doc?.trim()) lacking.push(`${where}: no doc`);
        const examples = (d.jsDoc?.tags ?? []).filter((t) => t.kind === "example");
        // A titled example has a first line of text before its code block.
        const titled = examples.some((t) => /^(?!```)[^\n]*\S[^\n]*\n/.test(t.doc ?? ""));
        if (!titled && !EXAMPLES_PENDING.has(`${file} ${symbol.name}`)) {
          lacking.push(`${where}: no titled @example`);
        }
      }
    }
  }
  assert.deepEqual(lacking, []);
});
