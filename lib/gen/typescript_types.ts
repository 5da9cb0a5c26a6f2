/**
 * TypeScript type text and doc phrases for spec types, used by the class
 * generator (`typescript.ts`).
 *
 * @module
 */
import type { TypeDesc } from "../abi/meta.ts";
import type { TypeName } from "./ts_names.ts";
import { callLines, LINE_WIDTH, objectDecl, unionDecl } from "./typescript_layout.ts";

/** The spec's declared type names mapped to their TypeScript aliases. */
export type AliasMap = ReadonlyMap<string, TypeName>;

/**
 * The TypeScript type of a value of `type`. Every integer (`int`, any range)
 * is a `number`, in arguments and in the state alike: the typed class
 * refuses a value beyond ±(2^53 - 1) with a `RangeError` rather than change
 * its type. `partial`: a map's entries are optional (a reported state may
 * name only some).
 */
export function tsType(type: TypeDesc, aliases: AliasMap, partial = false): string {
  switch (type.kind) {
    case "bool":
      return "boolean";
    case "int":
      return "number";
    case "range":
      return type.name !== undefined ? aliases.get(type.name)?.alias ?? "number" : "number";
    case "enum":
      return aliases.get(type.name)?.alias ?? labelUnion(type.labels);
    case "map": {
      // A mapped type names no global type, so no declared type can hide one.
      const key = `[$K in ${keyType(type.key, aliases)}]${partial ? "?" : ""}`;
      return `{ readonly ${key}: ${tsType(type.value, aliases)} }`;
    }
  }
}

function keyType(key: TypeDesc, aliases: AliasMap): string {
  return key.kind === "bool" ? `"false" | "true"` : tsType(key, aliases);
}

/** `"free" | "held"`. */
export function labelUnion(labels: readonly string[]): string {
  return labels.length === 0 ? "never" : labels.map((l) => JSON.stringify(l)).join(" | ");
}

/** A phrase describing a type for JSDoc: `` `Client`, an integer in `0..3` ``. */
export function describeType(type: TypeDesc): string {
  switch (type.kind) {
    case "bool":
      return "`bool`";
    case "int":
      return "`int`, a 64-bit integer";
    case "range": {
      const bounds = `an integer in \`${type.lo}..${type.hi}\``;
      return type.name !== undefined ? `\`${type.name}\`, ${bounds}` : bounds;
    }
    case "enum":
      return `\`${type.name}\`, one of ${type.labels.map((l) => `\`${l}\``).join(", ")}`;
    case "map":
      return `a map from ${shortType(type.key)} to ${shortType(type.value)}`;
  }
}

/** A short name of a map's key or value type: `` `Client` (`0..3`) ``. */
function shortType(type: TypeDesc): string {
  switch (type.kind) {
    case "range": {
      const bounds = `\`${type.lo}..${type.hi}\``;
      return type.name !== undefined ? `\`${type.name}\` (${bounds})` : bounds;
    }
    case "enum":
      return `\`${type.name}\``;
    default:
      return `\`${type.kind}\``;
  }
}

/** The type alias declaration of a declared type, with its JSDoc. */
export function typeAliasLines(t: TypeName, source: string): string[] {
  if (t.type.kind === "enum") {
    return [
      `/** Type \`${t.name}\` (${source}): an enum; values are its labels. */`,
      ...unionDecl(`export type ${t.alias} =`, t.type.labels.map((l) => JSON.stringify(l))),
    ];
  }
  return [
    `/** Type \`${t.name}\` (${source}): an integer in \`${t.type.lo}..${t.type.hi}\`. */`,
    `export type ${t.alias} = number;`,
  ];
}

/**
 * The `label -> index` lookup table of an enum type, used on the hot path.
 * It has no prototype, so a label named like an `Object` member
 * (`__proto__`, `toString`, `constructor`) is just a label, and any other
 * string gives `undefined`, which the spec answers `bad_argument`.
 */
export function enumIndexLines(t: TypeName): string[] {
  if (t.type.kind !== "enum" || t.indexConst === undefined) return [];
  const entries = t.type.labels.map((l, i) => `${literalKey(l)}: ${i}`);
  const head =
    `const ${t.indexConst}: { readonly [$L in ${t.alias}]: number } = Object.setPrototypeOf`;
  const table = objectDecl("", entries);
  const one = `{ ${entries.join(", ")} }`;
  return [
    `/** Index of each \`${t.name}\` label, as the compiled spec encodes it (no prototype). */`,
    ...(table.length === 1 && `  ${one},`.length <= LINE_WIDTH
      ? callLines("", head, [one, "null"], ";")
      : [`${head}(`, "  {", ...entries.map((e) => `    ${e},`), "  },", "  null,", ");"]),
  ];
}

/** A property name in a type: bare when it is an identifier (spec names always are). */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * A property name in an object literal: like {@link propertyKey}, but
 * `__proto__` is computed (`["__proto__"]`): a plain `__proto__:` in a
 * literal sets the object's prototype instead of a property.
 */
export function literalKey(name: string): string {
  return name === "__proto__" ? `["__proto__"]` : propertyKey(name);
}
