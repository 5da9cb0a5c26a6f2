/**
 * W3C PROV-O provenance of a compile, as JSON-LD with an inline context (no
 * remote fetch): the spec source, each spec item with its source span, each
 * generated file with its SHA-256, each component export and each member of
 * the generated TypeScript module traced back (`prov:wasDerivedFrom`) to the
 * spec items it implements, the compile as a `prov:Activity` and the
 * compiler as a `prov:SoftwareAgent`.
 *
 * Identifiers are URNs under `urn:vigil:<source sha256>:` for the source and
 * its items, and `urn:vigil:artifact:<file sha256>:<file name>` for generated
 * files; an export or member is its file's URN plus `#<name>`.
 *
 * @module
 */
import { DISPATCH_EXPORTS, type SpecMeta } from "../abi/meta.ts";
import type { SourceRange } from "../abi/source_range.ts";
import { globalAfterAggFits, globalAfterFits } from "../abi/global_after.ts";
import { artifactsOf, baseName, type ProvenanceInput } from "./provenance_input.ts";
import { declaredTypes, tsNames } from "./ts_names.ts";

/** The `vigil:` vocabulary namespace of the provenance document. */
export const VIGIL_VOCAB = "urn:vigil:vocab#";

/** The inline JSON-LD context of the provenance document. */
export const PROV_CONTEXT: Readonly<Record<string, string>> = Object.freeze({
  prov: "http://www.w3.org/ns/prov#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  vigil: VIGIL_VOCAB,
});

/** A JSON-LD node object. */
export type JsonLdNode = Record<string, unknown>;

/** A PROV-O JSON-LD document. */
export interface ProvDocument {
  readonly "@context": Readonly<Record<string, string>>;
  readonly "@graph": readonly JsonLdNode[];
}

/** A spec item: its URN and kind, for linking exports and members to it. */
interface Item {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly range?: SourceRange;
}

const ref = (id: string) => ({ "@id": id });
const refs = (items: readonly Item[]) => items.map((i) => ref(i.id));
const dateTime = (value: string) => ({ "@value": value, "@type": "xsd:dateTime" });

function span(range: SourceRange | undefined): JsonLdNode {
  if (range === undefined) return {};
  return {
    "vigil:line": range.line,
    "vigil:column": range.column,
    "vigil:endLine": range.endLine,
    "vigil:endColumn": range.endColumn,
  };
}

/** Every item of the spec, in declaration groups. */
function specItems(meta: SpecMeta, ns: string) {
  const item = (kind: string, name: string, range?: SourceRange): Item => ({
    id: `${ns}item/${kind}/${name}`,
    kind,
    name,
    ...(range === undefined ? {} : { range }),
  });
  const props = (kind: string, list: SpecMeta["invariants"]) =>
    list.map((p) => item(kind, p.name, p.range));
  return {
    spec: item("spec", meta.name, meta.range),
    // SpecMeta carries no span for `type` items; they are listed without one.
    types: declaredTypes(meta).map((t) => item("type", t.name!)),
    vars: meta.vars.map((v) => item("state", v.name, v.range)),
    actions: meta.actions.map((a) => item("action", a.name, a.range)),
    invariants: props("invariant", meta.invariants),
    globalInvariants: props("global-invariant", meta.globalInvariants),
    liveness: props("liveness", meta.liveness),
    globalLiveness: props("global-liveness", meta.globalLiveness),
  };
}

type Items = ReturnType<typeof specItems>;

function allItems(items: Items): Item[] {
  return [
    items.spec,
    ...items.types,
    ...items.vars,
    ...items.actions,
    ...items.invariants,
    ...items.globalInvariants,
    ...items.liveness,
    ...items.globalLiveness,
  ];
}

/** Items or, when the group is empty, the spec header (an export exists either way). */
function orSpec(group: readonly Item[], items: Items): readonly Item[] {
  return group.length > 0 ? group : [items.spec];
}

/** The component's exports (WIT world of the brief) and the items each implements. */
function componentExports(meta: SpecMeta, items: Items): [string, readonly Item[]][] {
  const state = [items.spec, ...items.vars];
  const out: [string, readonly Item[]][] = [
    ["create", state],
    ["reset", state],
    ["instance-count", [items.spec]],
    ["state-ptr", state],
    ["read-slot", state],
    ["write-slot", state],
  ];
  meta.actions.forEach((a, i) => {
    out.push([a.stepExport, [items.actions[i]!]], [a.checkExport, [items.actions[i]!]]);
  });
  out.push(
    [DISPATCH_EXPORTS.step, orSpec(items.actions, items)],
    [DISPATCH_EXPORTS.check, orSpec(items.actions, items)],
    ["check-invariants", orSpec(items.invariants, items)],
    ["liveness", orSpec(items.liveness, items)],
    ["global-check", orSpec(items.globalInvariants, items)],
    ["global-check-node", orSpec(items.globalInvariants, items)],
    ["global-liveness", orSpec(items.globalLiveness, items)],
    ["global-agg-size", orSpec([...items.globalInvariants, ...items.globalLiveness], items)],
    ["global-agg-add", orSpec([...items.globalInvariants, ...items.globalLiveness], items)],
    ["global-check-agg", orSpec(items.globalInvariants, items)],
    ["global-liveness-agg", orSpec(items.globalLiveness, items)],
  );
  if (globalAfterFits(meta)) {
    out.push([
      "global-after",
      orSpec([...items.globalInvariants, ...items.liveness, ...items.globalLiveness], items),
    ]);
  }
  if (globalAfterAggFits(meta)) {
    out.push([
      "global-agg-after",
      orSpec([...items.globalInvariants, ...items.liveness, ...items.globalLiveness], items),
    ]);
  }
  return out;
}

/** The generated TypeScript module's members, with their kind and the items each implements. */
function tsMembers(meta: SpecMeta, items: Items): [string, string, readonly Item[]][] {
  const n = tsNames(meta);
  const c = n.className;
  const out: [string, string, readonly Item[]][] = [
    [c, "ts-class", [items.spec]],
    [`${c}.constructor`, "ts-constructor", [items.spec, ...items.vars]],
    [`${c}.state`, "ts-accessor", items.vars],
    [n.stateName, "ts-type", items.vars],
    [n.verdictName, "ts-type", [items.spec]],
    [n.actionName, "ts-type", orSpec(items.actions, items)],
  ];
  n.types.forEach((t, i) => out.push([t.alias, "ts-type", [items.types[i]!]]));
  for (const a of n.actions) {
    const from = [items.actions[a.index]!];
    for (const m of [a.method, a.tryMethod, a.checkMethod]) {
      out.push([`${c}.${m}`, "ts-method", from]);
    }
  }
  return out;
}

function itemNode(item: Item, sourceId: string): JsonLdNode {
  return {
    "@id": item.id,
    "@type": "prov:Entity",
    "rdfs:label": `${item.kind.replace("-", " ")} ${item.name}`,
    "vigil:kind": item.kind,
    "vigil:name": item.name,
    ...span(item.range),
    "prov:wasDerivedFrom": ref(sourceId),
  };
}

function partNode(
  id: string,
  kind: string,
  label: string,
  from: readonly Item[],
  ctx: { artifact: string; activity: string },
): JsonLdNode {
  return {
    "@id": id,
    "@type": "prov:Entity",
    "rdfs:label": label,
    "vigil:kind": kind,
    "vigil:partOf": ref(ctx.artifact),
    "prov:wasDerivedFrom": refs(from),
    "prov:wasGeneratedBy": ref(ctx.activity),
  };
}

function artifactId(name: string, sha256: string): string {
  return `urn:vigil:artifact:${sha256}:${encodeURIComponent(name)}`;
}

function coreNodes(
  input: ProvenanceInput,
  ids: { source: string; agent: string; activity: string },
) {
  const { compiler, source, times } = input;
  return [
    {
      "@id": ids.source,
      "@type": "prov:Entity",
      "rdfs:label": source.name,
      "vigil:kind": "source",
      "vigil:fileName": source.name,
      "vigil:sha256": source.sha256,
      "vigil:mediaType": "text/plain",
    },
    {
      "@id": ids.agent,
      "@type": ["prov:SoftwareAgent", "prov:Agent"],
      "rdfs:label": `${compiler.name} ${compiler.version}`,
      "vigil:name": compiler.name,
      "vigil:version": compiler.version,
    },
    {
      "@id": ids.activity,
      "@type": "prov:Activity",
      "rdfs:label": `compile ${source.name}`,
      "prov:startedAtTime": dateTime(times.start),
      "prov:endedAtTime": dateTime(times.end),
      "prov:used": ref(ids.source),
      "prov:wasAssociatedWith": ref(ids.agent),
    },
  ];
}

function artifactNodes(
  input: ProvenanceInput,
  ids: { source: string; agent: string; activity: string },
) {
  return artifactsOf(input).map((a) => ({
    "@id": artifactId(a.name, a.sha256),
    "@type": "prov:Entity",
    "rdfs:label": a.name,
    "vigil:kind": a.role,
    "vigil:fileName": a.name,
    "vigil:sha256": a.sha256,
    "vigil:mediaType": a.mediaType,
    "prov:wasDerivedFrom": ref(ids.source),
    "prov:wasGeneratedBy": ref(ids.activity),
    "prov:wasAttributedTo": ref(ids.agent),
  }));
}

/** The file a group of parts belongs to: the named artifact, or a placeholder URN when absent. */
function fileId(input: ProvenanceInput, name: string, ns: string): string {
  const sha = input.artifacts[name];
  return sha === undefined ? `${ns}missing/${encodeURIComponent(name)}` : artifactId(name, sha);
}

/**
 * Builds the PROV-O JSON-LD document of a compile.
 *
 * @example Describe a compile's provenance
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateProvenance } from "./provenance.ts";
 * import type { ProvenanceInput } from "./provenance_input.ts";
 * import { DISPATCH_EXPORTS, type SpecMeta } from "../abi/meta.ts";
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
 * const doc = generateProvenance(input);
 * assert.ok(doc["@graph"].some((n) => n["rdfs:label"] === "LeaseMonitor.tryAcquire"));
 * ```
 */
export function generateProvenance(input: ProvenanceInput): ProvDocument {
  const { meta } = input;
  const ns = `urn:vigil:${input.source.sha256}:`;
  const ids = {
    source: `${ns}source`,
    agent: `urn:vigil:agent:${encodeURIComponent(input.compiler.name)}@${
      encodeURIComponent(input.compiler.version)
    }`,
    activity: `${ns}compile/${input.times.start}`,
  };
  const items = specItems(meta, ns);
  const base = baseName(input);
  const wasm = { artifact: fileId(input, `${base}.wasm`, ns), activity: ids.activity };
  const ts = { artifact: fileId(input, `${base}.monitor.ts`, ns), activity: ids.activity };
  const graph: JsonLdNode[] = [
    ...coreNodes(input, ids),
    ...allItems(items).map((i) => itemNode(i, ids.source)),
    ...artifactNodes(input, ids),
    ...componentExports(meta, items).map(([name, from]) =>
      partNode(`${wasm.artifact}#${name}`, "wit-export", name, from, wasm)
    ),
    ...tsMembers(meta, items).map(([name, kind, from]) =>
      partNode(`${ts.artifact}#${name}`, kind, name, from, ts)
    ),
  ];
  return { "@context": PROV_CONTEXT, "@graph": graph };
}
