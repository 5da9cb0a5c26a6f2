/**
 * The input shared by the provenance generators (PROV-O, CycloneDX, SPDX):
 * what was compiled, what came out, by which compiler, and when. Times are
 * inputs so the documents are deterministic in tests.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";

/** What one compile used and produced. */
export interface ProvenanceInput {
  readonly meta: SpecMeta;
  /** The spec source file: its base name (`lease.vigil`) and SHA-256 (lowercase hex). */
  readonly source: { readonly name: string; readonly sha256: string };
  /** Generated file name (`lease.wasm`, `lease.js`, ...) -> SHA-256 of its bytes. */
  readonly artifacts: Readonly<Record<string, string>>;
  /** The compiler, e.g. `{ name: "vigil", version: "0.1.0" }`. */
  readonly compiler: { readonly name: string; readonly version: string };
  /** Compile start and end, ISO 8601 UTC (`2026-01-01T00:00:00.000Z`). */
  readonly times: { readonly start: string; readonly end: string };
}

/** The role of a generated file, from its name. */
export type ArtifactRole =
  | "component"
  | "core-module"
  | "bindings"
  | "typescript"
  | "declarations"
  | "wit"
  | "sbom"
  | "provenance"
  | "other";

/** A generated file with its role. */
export interface Artifact {
  readonly name: string;
  readonly sha256: string;
  readonly role: ArtifactRole;
  /** IANA media type. */
  readonly mediaType: string;
}

/** The output base name of a compile: `lease` for `lease.vigil`. */
export function baseName(input: ProvenanceInput): string {
  return input.source.name.replace(/^.*\//, "").replace(/\.vigil$/, "");
}

function roleOf(name: string, base: string): ArtifactRole {
  if (name === `${base}.wasm`) return "component";
  if (name.endsWith(".cdx.json") || name.endsWith(".spdx.json")) return "sbom";
  if (name.endsWith(".prov.jsonld")) return "provenance";
  if (name.endsWith(".wasm")) return "core-module";
  if (name.endsWith(".d.ts")) return "declarations";
  if (name.endsWith(".ts")) return "typescript";
  if (/\.[cm]?js$/.test(name)) return "bindings";
  if (name.endsWith(".wit")) return "wit";
  return "other";
}

const MEDIA_TYPES: Readonly<Record<ArtifactRole, string>> = {
  "component": "application/wasm",
  "core-module": "application/wasm",
  "bindings": "text/javascript",
  "typescript": "application/typescript",
  "declarations": "application/typescript",
  "wit": "text/plain",
  "sbom": "application/json",
  "provenance": "application/ld+json",
  "other": "application/octet-stream",
};

/**
 * The generated files of a compile, sorted by name, each with its role.
 *
 * @example List a compile's artifacts
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactsOf, type ProvenanceInput } from "./provenance_input.ts";
 * import type { SpecMeta } from "../abi/meta.ts";
 * const range = { line: 1, column: 1, endLine: 1, endColumn: 11 };
 * const meta: SpecMeta = {
 *   abi: 1, name: "Lease", sourceHash: "", stride: 8, slots: [], vars: [], initial: [],
 *   actions: [{ name: "acquire", stepExport: "step-acquire", checkExport: "check-acquire", params: [], range }],
 *   invariants: [], globalInvariants: [], liveness: [], globalLiveness: [], verdicts: [], range,
 * };
 * const input: ProvenanceInput = {
 *   meta,
 *   source: { name: "lease.vigil", sha256: "a1".repeat(32) },
 *   artifacts: { "lease.wasm": "b2".repeat(32), "lease.monitor.ts": "c3".repeat(32) },
 *   compiler: { name: "vigil", version: "0.1.0" },
 *   times: { start: "2026-01-01T00:00:00.000Z", end: "2026-01-01T00:00:01.000Z" },
 * };
 * assert.ok(artifactsOf(input).find((a) => a.role === "component")?.name === "lease.wasm");
 * ```
 */
export function artifactsOf(input: ProvenanceInput): Artifact[] {
  const base = baseName(input);
  return Object.keys(input.artifacts).sort().map((name) => {
    const role = roleOf(name, base);
    return { name, sha256: input.artifacts[name]!, role, mediaType: MEDIA_TYPES[role] };
  });
}
