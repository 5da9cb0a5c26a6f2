/**
 * The compiler pipeline: spec source to every compiled artifact (the
 * component `<name>.wasm`, its jco bindings `<name>.js` with the core module
 * `<name>.core.wasm`, the typed TypeScript class `<name>.monitor.ts`,
 * PROV-O, CycloneDX and SPDX; listed in the README's "Compile it", the ABI
 * in `docs/abi.md`). Pure: returns files as bytes, writes nothing.
 *
 * @module
 */
import type { Diagnostic } from "./syntax/diagnostic.ts";
import { sortDiagnostics } from "./syntax/diagnostic.ts";
import { analyze } from "./frontend.ts";
import { checkInitialState } from "./initial_state_check.ts";
import type { Program } from "./ir.ts";
import { canonicalText, LineIndex } from "./syntax/source.ts";
import type { SpecMeta } from "./abi/meta.ts";
import { buildMeta } from "./wasm/meta_build.ts";
import { buildCoreModule } from "./wasm/codegen/codegen.ts";
import { witOf, worldOf } from "./wasm/wit.ts";
import { componentize, transpileComponent } from "./wasm/component.ts";
import { generateTypeScript } from "./gen/typescript.ts";
import { generateProvenance } from "./gen/provenance.ts";
import { generateCycloneDx, generateSpdx } from "./gen/sbom.ts";
import { sha256Hex } from "./gen/hash.ts";

/**
 * The compiler's name and version, recorded in provenance.
 *
 * @example Provenance names the compiler
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, COMPILER } from "./compile.ts";
 * const source = "spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n";
 * const { files } = await compile(source, { fileName: "toggle.vigil" });
 * const provenance = new TextDecoder().decode(files.get("toggle.prov.jsonld"));
 * assert.ok(provenance.includes(`urn:vigil:agent:${COMPILER.name}@${COMPILER.version}`));
 * ```
 */
export const COMPILER = { name: "vigil", version: "0.1.0" } as const;

/**
 * Options of {@link compile}.
 *
 * @example Import the SDK from a path, skip the optimizer
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, type CompileOptions } from "./compile.ts";
 * const source = "spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n";
 * const options: CompileOptions = { fileName: "toggle.vigil", importFrom: "../sdk/mod.ts", optimize: false };
 * const { files } = await compile(source, options);
 * assert.match(new TextDecoder().decode(files.get("toggle.monitor.ts")), /from "\.\.\/sdk\/mod\.ts"/);
 * ```
 */
export interface CompileOptions {
  /** The spec's file name, e.g. `lease.vigil`; output names derive from it. */
  readonly fileName: string;
  /** Module specifier the generated class imports the SDK from. Default `"@vigil/vigil"`. */
  readonly importFrom?: string;
  /** Run binaryen's optimizer. Default `true`. */
  readonly optimize?: boolean;
  /** Compile start and end times for provenance. Default: now. */
  readonly times?: { readonly start: string; readonly end: string };
}

/**
 * What {@link compile} produced. `files` is empty when any diagnostic is an error.
 *
 * @example A spec with an error compiles to no file
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, type CompileResult } from "./compile.ts";
 * const result: CompileResult = await compile("spec Bad\nstate x: int = y\n", { fileName: "bad.vigil" });
 * assert.equal(result.files.size, 0);
 * assert.equal(result.program, null);
 * assert.ok(result.diagnostics.some((d) => d.severity === "error"));
 * ```
 */
export interface CompileResult {
  /** Every error and warning, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** The checked program, or null when any diagnostic is an error. */
  readonly program: Program | null;
  /** The compiled spec's metadata, or null when any diagnostic is an error. */
  readonly meta: SpecMeta | null;
  /** Output file name -> contents, in a stable order. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** The printed core module, for golden files and review. */
  readonly coreText: string;
}

const encoder = new TextEncoder();

/**
 * Compiles spec source text to the component, its bindings, the typed class
 * (`<name>.monitor.ts`) and provenance documents.
 *
 * @example Compile a spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile } from "./compile.ts";
 * const source = "spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n";
 * const result = await compile(source, { fileName: "toggle.vigil" });
 * assert.ok(result.diagnostics.length === 0);
 * assert.ok(result.files.has("toggle.wasm"));
 * assert.ok(result.files.has("toggle.core.wasm"));
 * assert.ok(result.files.has("toggle.monitor.ts"));
 * assert.ok(!result.files.has("toggle.ts"));
 * ```
 */
export async function compile(source: string, options: CompileOptions): Promise<CompileResult> {
  const start = options.times?.start ?? new Date().toISOString();
  const index = new LineIndex(source);
  const front = analyze(source);
  const empty = { program: null, meta: null, files: new Map(), coreText: "" };
  if (front.program === null || front.diagnostics.some((d) => d.severity === "error")) {
    return { ...empty, diagnostics: front.diagnostics };
  }
  // Line ends and a leading byte-order mark do not change what a spec means, nor its hash.
  const sourceHash = await sha256Hex(encoder.encode(canonicalText(source)));
  const program: Program = { ...front.program, sourceHash };
  const init = checkInitialState(program, index);
  if (init.initial === null) {
    return {
      ...empty,
      program,
      diagnostics: sortDiagnostics([...front.diagnostics, init.diagnostic]),
    };
  }
  const meta = buildMeta(program, init.initial);
  const base = options.fileName.replace(/^.*\//, "").replace(/\.vigil$/, "");
  const core = buildCoreModule(program, meta, { optimize: options.optimize ?? true });
  const wit = witOf(meta);
  const component = await componentize(core.wasm, wit, worldOf(meta));
  const bindings = await transpileComponent(component, base);
  const ts = generateTypeScript(meta, {
    compiled: `./${base}.core.wasm`,
    ...(options.importFrom === undefined ? {} : { importFrom: options.importFrom }),
  });

  const files = new Map<string, Uint8Array>();
  files.set(`${base}.wasm`, component);
  files.set(`${base}.wit`, encoder.encode(wit));
  for (const [name, bytes] of Object.entries(bindings)) files.set(name, bytes);
  files.set(`${base}.monitor.ts`, encoder.encode(ts));

  const artifacts: Record<string, string> = {};
  for (const [name, bytes] of files) artifacts[name] = await sha256Hex(bytes);
  const provInput = {
    meta,
    source: { name: options.fileName.replace(/^.*\//, ""), sha256: sourceHash },
    artifacts,
    compiler: COMPILER,
    times: { start, end: options.times?.end ?? new Date().toISOString() },
  };
  const json = (v: unknown) => encoder.encode(JSON.stringify(v, null, 2) + "\n");
  const cdx = json(generateCycloneDx(provInput));
  const spdx = json(generateSpdx(provInput));
  files.set(`${base}.cdx.json`, cdx);
  files.set(`${base}.spdx.json`, spdx);
  // PROV-O traces every artifact, the two SBOMs included.
  artifacts[`${base}.cdx.json`] = await sha256Hex(cdx);
  artifacts[`${base}.spdx.json`] = await sha256Hex(spdx);
  files.set(`${base}.prov.jsonld`, json(generateProvenance(provInput)));
  return { diagnostics: front.diagnostics, program, meta, files, coreText: core.text };
}
