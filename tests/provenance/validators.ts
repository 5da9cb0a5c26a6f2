/**
 * Schema validators for the generated SBOMs, built with ajv from the official
 * JSON schemas vendored in this directory (see `cyclonedx/README.md` and
 * `spdx/README.md` for their origin and why they are vendored).
 *
 * @module
 */
import Ajv from "../../tools/dev_deps/ajv.ts";
import addFormats from "../../tools/dev_deps/ajv_formats.ts";

const HERE = new URL(".", import.meta.url);

/** A validation result: `null` when valid, else ajv's error list as text. */
export type Validate = (doc: unknown) => string | null;

function readSchema(path: string): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(new URL(path, HERE)));
}

// Typed wall around ajv's CommonJS default exports.
type AjvCtor = new (options: Record<string, unknown>) => {
  addFormat(name: string, format: true | RegExp): unknown;
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown };
};
const AjvClass = Ajv as unknown as AjvCtor;
const formats = addFormats as unknown as (ajv: unknown) => unknown;

function build(schema: Record<string, unknown>, schemas: Record<string, unknown>): Validate {
  // The options of @cyclonedx/cyclonedx-library's ajv JSON validator.
  const ajv = new AjvClass({
    useDefaults: false,
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    schemas,
    loadSchema: (uri: string) => {
      throw new Error(`Remote schemas are disabled: ${uri}`);
    },
  });
  formats(ajv);
  ajv.addFormat("iri-reference", true);
  ajv.addFormat("idn-email", /^[^\s@]+@[^\s@]+$/u);
  const validate = ajv.compile(schema);
  return (doc) => validate(doc) ? null : JSON.stringify(validate.errors, null, 2);
}

/** Validates a document against the CycloneDX 1.6 JSON schema. */
export function cycloneDx16(): Validate {
  return build(readSchema("cyclonedx/bom-1.6.SNAPSHOT.schema.json"), {
    "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json": readSchema(
      "cyclonedx/spdx.SNAPSHOT.schema.json",
    ),
    "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json": readSchema(
      "cyclonedx/jsf-0.82.SNAPSHOT.schema.json",
    ),
  });
}

/** The vendored SPDX 2.3 JSON schema's path, relative to this directory. */
export const SPDX_SCHEMA = "spdx/spdx-schema-2.3.json";

/** Whether the SPDX 2.3 schema is present (see `spdx/README.md`). */
export function hasSpdxSchema(): boolean {
  try {
    return Deno.statSync(new URL(SPDX_SCHEMA, HERE)).isFile;
  } catch {
    return false;
  }
}

/** Validates a document against the SPDX 2.3 JSON schema. */
export function spdx23(): Validate {
  return build(readSchema(SPDX_SCHEMA), {});
}
