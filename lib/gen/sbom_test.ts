import assert from "node:assert/strict";
import { contentUuid, generateCycloneDx, generateSpdx } from "./sbom.ts";
import { LEASE_INPUT } from "../../tests/provenance/lease_input.ts";
import { cycloneDx16, hasSpdxSchema, spdx23 } from "../../tests/provenance/validators.ts";

type Obj = Record<string, unknown>;
const at = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce((v: unknown, k) => (v as Record<string | number, unknown> | undefined)?.[k], o);

Deno.test("the CycloneDX document is valid against the CycloneDX 1.6 JSON schema", () => {
  const validate = cycloneDx16();
  const bom = generateCycloneDx(LEASE_INPUT);
  assert.equal(validate(bom), null);
  assert.equal(validate(JSON.parse(JSON.stringify(bom))), null, "after a JSON round trip");
});

Deno.test("the CycloneDX schema check rejects a malformed BOM", () => {
  const validate = cycloneDx16();
  const bom = generateCycloneDx(LEASE_INPUT) as Obj;
  const meta = bom.metadata as Obj;
  const component = meta.component as Obj;
  const broken = {
    ...bom,
    metadata: { ...meta, component: { ...component, hashes: [{ alg: "SHA256", content: "xyz" }] } },
  };
  assert.notEqual(validate(broken), null);
  assert.notEqual(validate({ ...bom, serialNumber: "lease-1" }), null);
});

Deno.test("the CycloneDX component carries the wasm SHA-256 and the spec as its pedigree", () => {
  const bom = generateCycloneDx(LEASE_INPUT);
  const component = at(bom, "metadata", "component");
  assert.equal(at(component, "name"), "lease.wasm");
  assert.deepEqual(at(component, "hashes"), [
    { alg: "SHA-256", content: LEASE_INPUT.artifacts["lease.wasm"] },
  ]);
  assert.deepEqual(at(component, "pedigree", "ancestors", 0, "hashes"), [
    { alg: "SHA-256", content: LEASE_INPUT.source.sha256 },
  ]);
  const names = (bom.components as Obj[]).map((c) => c.name).sort();
  assert.deepEqual(
    names,
    Object.keys(LEASE_INPUT.artifacts).filter((n) => n !== "lease.wasm").sort(),
  );
  assert.equal(at(bom, "metadata", "timestamp"), LEASE_INPUT.times.end);
});

Deno.test("the serial number is stable for the same content and changes with any hash", () => {
  const a = contentUuid(LEASE_INPUT);
  assert.equal(contentUuid(LEASE_INPUT), a);
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const changed = {
    ...LEASE_INPUT,
    artifacts: { ...LEASE_INPUT.artifacts, "lease.js": "a".repeat(63) + "0" },
  };
  assert.notEqual(contentUuid(changed), a);
  const source = {
    ...LEASE_INPUT,
    source: { ...LEASE_INPUT.source, sha256: "1" + "a1".repeat(31) + "a" },
  };
  assert.notEqual(contentUuid(source), a);
});

Deno.test({
  name: "the SPDX document is valid against the SPDX 2.3 JSON schema",
  // The official schema is not available from npm or Debian here; see tests/provenance/spdx/README.md.
  ignore: !hasSpdxSchema(),
  fn() {
    const validate = spdx23();
    assert.equal(validate(generateSpdx(LEASE_INPUT)), null);
    assert.notEqual(
      validate({ ...generateSpdx(LEASE_INPUT), creationInfo: { created: "today" } }),
      null,
    );
  },
});

Deno.test("every SPDX package has a SHA256 checksum and is GENERATED_FROM the spec source", () => {
  const doc = generateSpdx(LEASE_INPUT);
  assert.equal(doc.spdxVersion, "SPDX-2.3");
  assert.equal(doc.dataLicense, "CC0-1.0");
  assert.equal(at(doc, "creationInfo", "created"), "2026-01-01T00:00:01Z");
  const packages = doc.packages as Obj[];
  const source = packages.find((p) => p.name === "lease.vigil")!;
  for (const [name, sha] of Object.entries(LEASE_INPUT.artifacts)) {
    const p = packages.find((p) => p.name === name);
    assert.ok(p !== undefined, name);
    assert.deepEqual(p.checksums, [{ algorithm: "SHA256", checksumValue: sha }]);
    assert.ok(
      (doc.relationships as Obj[]).some((r) =>
        r.spdxElementId === p.SPDXID && r.relationshipType === "GENERATED_FROM" &&
        r.relatedSpdxElement === source.SPDXID
      ),
      `${name} is not GENERATED_FROM the source`,
    );
  }
});
