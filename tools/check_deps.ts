/**
 * Keeps the layering of STYLE.md: reads every import specifier of the
 * project's TypeScript files (tests and benchmarks excluded) and fails when a
 * module imports upward or a third-party package leaves its wall.
 *
 * Run: `deno task check:deps`
 *
 * @module
 */

const AREAS = ["lib", "runtime", "edge", "cli"] as const;
type Area = (typeof AREAS)[number] | "lib/abi";

/** Project areas each area may import from. */
const ALLOWED: Record<Area, readonly Area[]> = {
  "lib/abi": ["lib/abi"],
  lib: ["lib", "lib/abi"],
  runtime: ["runtime", "lib/abi"],
  edge: ["edge", "runtime", "lib/abi"],
  cli: ["cli", "edge", "runtime", "lib", "lib/abi"],
};

/** Pure, dependency-free modules of lib/ that every layer may import. */
const SHARED_WITH_ABI = ["lib/ir.ts", "lib/abi/layout.ts"];

/** Third-party packages and the path prefixes allowed to import them. */
const WALLS: Record<string, readonly string[]> = {
  binaryen: ["lib/wasm/"],
  "@bytecodealliance/jco": ["lib/wasm/"],
  msgpackr: ["runtime/codec"],
  hono: ["edge/", "runtime/hono"],
  // cli/demo/node_process.ts is a demo service process: like any user of the SDK it opens its own connection.
  "@nats-io/": ["runtime/nats", "runtime/jetstream", "edge/ingest_nats", "cli/demo_node"],
};

function areaOf(path: string): Area | null {
  if (path.startsWith("lib/abi/")) return "lib/abi";
  for (const a of AREAS) if (path.startsWith(`${a}/`)) return a;
  return null;
}

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) yield* sources(p);
    else if (/\.ts$/.test(e.name) && !/(_test|_bench)\.ts$/.test(e.name)) yield p;
  }
}

function resolve(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const seg of spec.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}

const problems: string[] = [];
const importRe =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
for (const area of AREAS) {
  try {
    await Deno.stat(area);
  } catch {
    continue;
  }
  for await (const file of sources(area)) {
    const from = areaOf(file)!;
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith(".")) {
        const target = resolve(file, spec);
        const to = areaOf(target);
        // lib/ir.ts holds only types and constants: the ABI may describe itself with them.
        const shared = SHARED_WITH_ABI.includes(target);
        if (to !== null && !shared && !ALLOWED[from].includes(to)) {
          problems.push(`${file}: imports '${spec}' (${to}) from ${from}`);
        }
        continue;
      }
      const bare = spec.replace(/^npm:/, "");
      for (const [pkg, allowed] of Object.entries(WALLS)) {
        if (bare.startsWith(pkg) && !allowed.some((p) => file.startsWith(p))) {
          problems.push(`${file}: imports '${spec}' outside its wall (${allowed.join(", ")})`);
        }
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  Deno.exit(1);
}
console.log("check:deps: layering ok");
