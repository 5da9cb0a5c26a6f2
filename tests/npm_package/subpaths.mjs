/**
 * Imports subpaths of the installed `@vigil/vigil` and reports, for each,
 * the type of the export named for it, or why the import failed. Run by
 * `tests/npm_package_test.ts` under Node in fresh projects.
 *
 * Usage: `node subpaths.mjs '{"@vigil/vigil": "loadSpec", "@vigil/vigil/hono": "vigilGuard"}'`
 * Prints one JSON object: specifier -> `{ "type": "function" }` or
 * `{ "error": "<code>", "message": "..." }`.
 */
import process from "node:process";

const wanted = JSON.parse(process.argv[2] ?? "{}");
const report = {};
for (const [specifier, name] of Object.entries(wanted)) {
  try {
    const module = await import(specifier);
    report[specifier] = { type: typeof module[name] };
  } catch (e) {
    report[specifier] = { error: e.code ?? e.name, message: e.message };
  }
}
console.log(JSON.stringify(report));
