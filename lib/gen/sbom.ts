/**
 * Software bills of materials for a compile: CycloneDX 1.6 JSON with the
 * component (`lease.wasm`) and its SHA-256, the spec source as its pedigree
 * and the other generated files as components; and an SPDX 2.3 JSON document
 * with one package per generated file, each `GENERATED_FROM` the spec source.
 *
 * Both are deterministic functions of the {@link ProvenanceInput}: the
 * CycloneDX serial number and the SPDX namespace derive from the content
 * hashes, the timestamps from the compile's end time.
 *
 * @module
 */
import { type Artifact, artifactsOf, baseName, type ProvenanceInput } from "./provenance_input.ts";

export type { ProvenanceInput } from "./provenance_input.ts";

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/**
 * A UUID (RFC 9562 version 8, vendor-specific) hashed from the source and
 * artifact hashes (four 32-bit FNV-1a lanes), so the same compile always gets
 * the same serial number and any change of content gives another.
 *
 * @example Derive the serial number of a compile
 * ```ts
 * import assert from "node:assert/strict";
 * import { contentUuid } from "./sbom.ts";
 * import type { ProvenanceInput } from "./provenance_input.ts";
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
 * assert.ok(/^[0-9a-f-]{36}$/.test(contentUuid(input)));
 * ```
 */
export function contentUuid(input: ProvenanceInput): string {
  const text = [
    input.source.sha256,
    ...artifactsOf(input).map((a) => `${a.name}=${a.sha256}`),
    `${input.compiler.name}@${input.compiler.version}`,
  ].join("\n");
  let hex = "";
  for (let lane = 0; lane < 4; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  const variant = (8 | (parseInt(hex[16]!, 16) & 3)).toString(16);
  const v = `${hex.slice(0, 12)}8${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
}

function cdxFile(a: Artifact): JsonObject {
  return {
    "bom-ref": a.name,
    type: "file",
    name: a.name,
    "mime-type": a.mediaType,
    hashes: [{ alg: "SHA-256", content: a.sha256 }],
    properties: [{ name: "vigil:role", value: a.role }],
  };
}

/** What each generated file needs at run time: the class the bindings, the bindings their core modules. */
function dependsOn(a: Artifact, all: readonly Artifact[]): string[] {
  const of = (role: Artifact["role"]) => all.filter((x) => x.role === role).map((x) => x.name);
  if (a.role === "typescript") return of("bindings");
  if (a.role === "bindings") return of("core-module");
  return [];
}

/**
 * Builds the CycloneDX 1.6 JSON BOM of a compile.
 *
 * @example Describe the component of a compile
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateCycloneDx } from "./sbom.ts";
 * import type { ProvenanceInput } from "./provenance_input.ts";
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
 * const bom = generateCycloneDx(input);
 * assert.ok(JSON.stringify(bom).includes(`"content":"${"b2".repeat(32)}"`));
 * ```
 */
export function generateCycloneDx(input: ProvenanceInput): JsonObject {
  const base = baseName(input);
  const all = artifactsOf(input);
  const main = all.find((a) => a.role === "component");
  const others = all.filter((a) => a !== main);
  const { compiler, source, meta } = input;
  const tool = { type: "application", name: compiler.name, version: compiler.version };
  const component = {
    ...(main === undefined
      ? { "bom-ref": `${base}.wasm`, type: "library", name: `${base}.wasm` }
      : {
        ...cdxFile(main),
        type: "library",
      }),
    description: `WebAssembly component checking spec '${meta.name}', compiled from ${source.name}`,
    pedigree: {
      ancestors: [{
        type: "file",
        name: source.name,
        hashes: [{ alg: "SHA-256", content: source.sha256 }],
      }],
      notes: `Compiled from ${source.name} by ${compiler.name} ${compiler.version}`,
    },
    properties: [{ name: "vigil:spec", value: meta.name }, {
      name: "vigil:abi",
      value: String(meta.abi),
    }],
  };
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${contentUuid(input)}`,
    version: 1,
    metadata: { timestamp: input.times.end, tools: { components: [tool] }, component },
    components: others.map(cdxFile),
    dependencies: all.map((a) => ({ ref: a.name, dependsOn: dependsOn(a, all) })),
  };
}

/** An SPDX 2.3 date: UTC, whole seconds (`2026-01-01T00:00:01Z`). */
function spdxDate(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** SPDX identifiers allow letters, digits, `.` and `-`. */
function spdxId(kind: string, name: string): string {
  return `SPDXRef-${kind}-${name.replace(/[^A-Za-z0-9.-]/g, "-")}`;
}

const PURPOSE: Readonly<Record<Artifact["role"], string>> = {
  component: "LIBRARY",
  "core-module": "LIBRARY",
  bindings: "LIBRARY",
  typescript: "LIBRARY",
  declarations: "FILE",
  wit: "FILE",
  sbom: "FILE",
  provenance: "FILE",
  other: "FILE",
};

function spdxPackage(id: string, name: string, sha256: string, purpose: string, comment: string) {
  return {
    SPDXID: id,
    name,
    packageFileName: name,
    downloadLocation: "NOASSERTION",
    filesAnalyzed: false,
    primaryPackagePurpose: purpose,
    checksums: [{ algorithm: "SHA256", checksumValue: sha256 }],
    licenseConcluded: "NOASSERTION",
    licenseDeclared: "NOASSERTION",
    copyrightText: "NOASSERTION",
    comment,
  };
}

/**
 * Builds the SPDX 2.3 JSON document of a compile. Each generated file is a
 * package (`filesAnalyzed: false`) because SPDX files require a SHA-1
 * checksum and the compile records SHA-256 only.
 *
 * @example Describe the files of a compile
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSpdx } from "./sbom.ts";
 * import type { ProvenanceInput } from "./provenance_input.ts";
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
 * assert.ok(generateSpdx(input).spdxVersion === "SPDX-2.3");
 * ```
 */
export function generateSpdx(input: ProvenanceInput): JsonObject {
  const { compiler, source, meta } = input;
  const all = artifactsOf(input);
  const sourceId = spdxId("Source", source.name);
  const ids = new Map(all.map((a) => [a.name, spdxId("File", a.name)]));
  const main = all.find((a) => a.role === "component") ?? all[0];
  const packages = [
    spdxPackage(sourceId, source.name, source.sha256, "SOURCE", `Vigil spec '${meta.name}'`),
    ...all.map((a) =>
      spdxPackage(
        ids.get(a.name)!,
        a.name,
        a.sha256,
        PURPOSE[a.role],
        `Generated ${a.role} (${a.mediaType})`,
      )
    ),
  ];
  const rel = (from: string, type: string, to: string) => ({
    spdxElementId: from,
    relationshipType: type,
    relatedSpdxElement: to,
  });
  const relationships = [
    rel("SPDXRef-DOCUMENT", "DESCRIBES", main === undefined ? sourceId : ids.get(main.name)!),
    ...all.map((a) => rel(ids.get(a.name)!, "GENERATED_FROM", sourceId)),
    ...all.flatMap((a) =>
      dependsOn(a, all).map((d) => rel(ids.get(a.name)!, "DEPENDS_ON", ids.get(d)!))
    ),
  ];
  return {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: `${baseName(input)}-${compiler.name}-compile`,
    documentNamespace: `https://spdx.org/spdxdocs/${baseName(input)}-${contentUuid(input)}`,
    creationInfo: {
      created: spdxDate(input.times.end),
      creators: [`Tool: ${compiler.name}-${compiler.version}`],
    },
    packages,
    relationships,
  };
}
