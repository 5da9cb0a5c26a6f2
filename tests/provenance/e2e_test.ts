/**
 * End to end: compile `specs/lease.vigil` with the real pipeline, use the
 * generated `LeaseMonitor` through the real loader, and validate the real
 * provenance documents with the formats' own tooling.
 */
import assert from "node:assert/strict";
import { GuardError } from "../../lib/abi/mod.ts";
import { compile } from "../../lib/compile.ts";
import { sha256Hex } from "../../lib/gen/hash.ts";
import { VIGIL_VOCAB } from "../../lib/gen/provenance.ts";
import { Graph, toTriples } from "./rdf.ts";
import { cycloneDx16, hasSpdxSchema, spdx23 } from "./validators.ts";

const ROOT = new URL("../../", import.meta.url);
/** The SDK entry point the generated class imports (`loadSpec`, `TypedMonitor`). */
const SDK = new URL("mod.ts", ROOT).href;
const TIMES = { start: "2026-01-01T00:00:00.000Z", end: "2026-01-01T00:00:01.000Z" };

interface Compiled {
  readonly dir: string;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

let compiled: Promise<Compiled> | undefined;

/** Compiles specs/lease.vigil once, importing the SDK by file URL, into a temp dir. */
function compileLease(): Promise<Compiled> {
  compiled ??= (async () => {
    const source = await Deno.readTextFile(new URL("specs/lease.vigil", ROOT));
    const result = await compile(source, {
      fileName: "lease.vigil",
      importFrom: SDK,
      times: TIMES,
    });
    assert.deepEqual(result.diagnostics, []);
    const dir = await Deno.makeTempDir({ prefix: "vigil-e2e-gen-" });
    for (const [name, bytes] of result.files) await Deno.writeFile(`${dir}/${name}`, bytes);
    return { dir, files: result.files };
  })();
  return compiled;
}

function json(files: ReadonlyMap<string, Uint8Array>, name: string): unknown {
  const bytes = files.get(name);
  assert.ok(bytes !== undefined, `the compile wrote no ${name}`);
  return JSON.parse(new TextDecoder().decode(bytes));
}

Deno.test({
  name:
    "generated LeaseMonitor type-checks, steps acquire(2) and refuses acquire(3) with GuardError",
  async fn() {
    const { dir } = await compileLease();
    const check = await new Deno.Command(Deno.execPath(), {
      args: [
        "check",
        "--quiet",
        "--config",
        new URL("deno.json", ROOT).pathname,
        `${dir}/lease.monitor.ts`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
    const { LeaseMonitor } = await import(`file://${dir}/lease.monitor.ts`);
    await LeaseMonitor.load();
    const m = new LeaseMonitor({ key: "lock:orders" });
    assert.equal(m.acquire(2).kind, "ok");
    assert.equal(m.state.mode, "held");
    assert.equal(m.state.owner, 2);
    assert.throws(() => m.acquire(3), (e: unknown) => {
      assert.ok(e instanceof GuardError, `not a GuardError: ${e}`);
      assert.equal(e.verdict.kind, "guard_failed");
      assert.equal(e.verdict.item, "action acquire");
      assert.equal(e.verdict.detail, "require mode == free");
      assert.equal(e.verdict.line, 14);
      assert.match(e.message, /lease\.vigil:14:/);
      return true;
    });
    assert.equal(m.state.owner, 2, "the refused step left the state unchanged");
    assert.equal(m.tryRelease(1).kind, "guard_failed");
    assert.equal(m.checkRelease(2).kind, "ok");
    assert.equal(m.state.mode, "held", "check does not apply");
    assert.equal(m.release(2).kind, "ok");
  },
});

Deno.test({
  name: "the compile's PROV-O traces every export and method to a spec line, with the wasm hash",
  async fn() {
    const { files } = await compileLease();
    const { triples } = await toTriples(json(files, "lease.prov.jsonld"));
    const g = new Graph(triples);
    const [wasm] = g.subjects(`${VIGIL_VOCAB}fileName`, "lease.wasm");
    assert.equal(
      g.literal(wasm!, `${VIGIL_VOCAB}sha256`),
      await sha256Hex(files.get("lease.wasm")!),
    );
    const parts = [
      ...g.subjects(`${VIGIL_VOCAB}kind`, "wit-export"),
      ...g.subjects(`${VIGIL_VOCAB}kind`, "ts-method"),
    ];
    const wit = new TextDecoder().decode(files.get("lease.wit"));
    const witExports = [...wit.matchAll(/^\s*export %?([a-z0-9-]+): func/gm)].map((m) => m[1]!);
    const label = (s: string) => g.literal(s, "http://www.w3.org/2000/01/rdf-schema#label")!;
    const provExports = g.subjects(`${VIGIL_VOCAB}kind`, "wit-export").map(label);
    assert.deepEqual(provExports.sort(), witExports.sort(), "PROV-O names exactly the WIT exports");
    const ids = triples.flatMap((t) => [t.s, t.o.value]).filter((x) => x.includes("missing/"));
    assert.deepEqual(ids, [], "every artifact PROV-O names is one the compile wrote");
    for (const part of parts) {
      const from = g.iris(part, "http://www.w3.org/ns/prov#wasDerivedFrom");
      assert.ok(from.length > 0, `${part} is derived from nothing`);
      for (const item of from) {
        assert.ok(g.literal(item, `${VIGIL_VOCAB}line`) !== undefined, `${item} has no line`);
      }
    }
  },
});

Deno.test({
  name: "the compile's CycloneDX BOM is schema-valid and names the SHA-256 of lease.wasm",
  async fn() {
    const { files } = await compileLease();
    const bom = json(files, "lease.cdx.json") as { metadata: { component: { hashes: unknown } } };
    assert.equal(cycloneDx16()(bom), null);
    assert.deepEqual(bom.metadata.component.hashes, [
      { alg: "SHA-256", content: await sha256Hex(files.get("lease.wasm")!) },
    ]);
  },
});

Deno.test({
  name: "the compile's SPDX document is valid against the SPDX 2.3 schema",
  // The schema is not vendored yet: see tests/provenance/spdx/README.md.
  ignore: !hasSpdxSchema(),
  async fn() {
    const { files } = await compileLease();
    assert.equal(spdx23()(json(files, "lease.spdx.json")), null);
  },
});
