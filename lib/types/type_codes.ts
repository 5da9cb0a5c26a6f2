/**
 * Stable diagnostic codes of the checker: VIG200-299 names and scopes,
 * VIG300-399 types and constants, VIG400-499 other static rules. Each code is
 * one kind of error; the message of each diagnostic names the values involved.
 *
 * @module
 */

/**
 * Checker codes, used by `lib/checker*.ts`.
 *
 * @example Look up a code's title
 * ```ts
 * import assert from "node:assert/strict";
 * import { CHECK_CODES } from "./type_codes.ts";
 * assert.ok(CHECK_CODES.VIG202.title === "Unknown name");
 * ```
 */
export const CHECK_CODES = {
  VIG201: {
    title: "Unknown type",
    help: "A type is 'bool', 'int', a range 'lo..hi', 'map[K, V]' or the name of a 'type' item",
  },
  VIG202: {
    title: "Unknown name",
    help: "An expression may name a state variable, a constant, an enum label, a parameter " +
      "of the enclosing action, or a variable bound by an enclosing quantifier",
  },
  VIG203: {
    title: "Unknown state variable",
    help: "The target of ':=' must be a state variable declared with 'state'",
  },
  VIG204: {
    title: "Duplicate name",
    help: "Constants, types, state variables and enum labels share one namespace: each name " +
      "is declared once",
  },
  VIG205: {
    title: "Duplicate action",
    help: "Each action is declared once",
  },
  VIG206: {
    title: "Duplicate property",
    help: "Invariants, liveness properties (local and global) and terminal items share one " +
      "namespace: each name is declared once",
  },
  VIG207: {
    title: "Enum label clash",
    help: "Enum labels are unique within a spec and must not reuse the name of a constant, " +
      "type or state variable, so a bare label always names one value",
  },
  VIG208: {
    title: "Shadowed name",
    help: "A parameter or quantifier variable may not reuse a name already in scope; " +
      "rename it",
  },
  VIG209: {
    title: "Unknown field",
    help: "In 'a.x', 'x' must be a state variable of the spec",
  },
  VIG210: {
    title: "Field access on a non-node",
    help: "'a.x' reads state variable 'x' of the monitor that 'a' ranges over; 'a' must be " +
      "bound by a quantifier over 'nodes'",
  },
  VIG211: {
    title: "Not a value",
    help: "A type name cannot be used as a value in an expression",
  },
  VIG212: {
    title: "Not a type",
    help: "Only 'bool', 'int' and names declared with 'type' can be used as types",
  },
  VIG213: {
    title: "Definition cycle",
    help: "A type or constant may not be defined in terms of itself",
  },
  VIG214: {
    title: "Constant used before its declaration",
    help: "A constant's value may use only constants declared above it",
  },
  VIG301: {
    title: "Expected an integer",
    help: "Arithmetic, ordering comparisons, unary '-' and 'sum' bodies take 'int' or " +
      "range values",
  },
  VIG302: {
    title: "Expected a bool",
    help: "'and', 'or', 'not', 'implies', 'if' conditions, 'require', invariants, 'when', " +
      "'eventually' and the bodies of 'forall', 'exists' and 'count' take bool values",
  },
  VIG303: {
    title: "Incomparable values",
    help: "'==' and '!=' compare values of the same type: integers and ranges with each " +
      "other, bools with bools, labels of the same enum, node variables with node variables",
  },
  VIG304: {
    title: "Incompatible branches",
    help: "Both branches of 'if' must have compatible types",
  },
  VIG305: {
    title: "Type mismatch",
    help: "The value must fit the target's type: an integer or range for an 'int' or range " +
      "target (ranges are checked when the step runs), a label of the same enum, a bool " +
      "for a bool",
  },
  VIG306: {
    title: "Map outside a state type",
    help: "'map[K, V]' is only allowed as the type of a 'state' variable",
  },
  VIG307: {
    title: "Map keyed by int",
    help: "A map's key type must be finite: use a range such as '0..100', an enum or bool " +
      "instead of 'int'",
  },
  VIG308: {
    title: "Map key not finite",
    help: "A map's key type must be bool, a range or an enum",
  },
  VIG309: {
    title: "Map value not scalar",
    help: "A map's value type must be bool, int, a range or an enum",
  },
  VIG310: {
    title: "Quantifier over int",
    help: "Quantifiers range over finite types: use a range such as '0..100', an enum or " +
      "bool instead of 'int'",
  },
  VIG311: {
    title: "Domain not finite",
    help: "A quantifier ranges over bool, a range or an enum (or 'nodes' in global items)",
  },
  VIG312: {
    title: "Enum outside a type definition",
    help: "'enum { ... }' may only appear as 'type T = enum { ... }'; use the type's name",
  },
  VIG313: {
    title: "Domain too large",
    help: "A map key type or quantifier domain has at most 65536 values",
  },
  VIG314: {
    title: "Index on a non-map",
    help: "'m[k]' reads or assigns an entry of a map state variable",
  },
  VIG315: {
    title: "Map used as a value",
    help: "A map is read one entry at a time, 'm[k]', and assigned one entry at a time, " +
      "'m[k] := e'",
  },
  VIG316: {
    title: "Key type mismatch",
    help: "A map key must have the map's key type (integers and ranges for a range key)",
  },
  VIG317: {
    title: "Node value misuse",
    help: "A variable bound over 'nodes' supports only '==', '!=' and 'a.x'",
  },
  VIG318: {
    title: "Map assigned without a key",
    help: "A map is assigned one entry at a time: 'm[k] := e'",
  },
  VIG330: {
    title: "Not a constant",
    help: "Constants, range bounds and state defaults are constant expressions: literals, " +
      "constants, enum labels, arithmetic, comparisons, logic and 'if'",
  },
  VIG331: {
    title: "Constant evaluation fails",
    help: "The constant expression overflows 64-bit integers or divides by zero",
  },
  VIG332: {
    title: "Empty range",
    help: "In 'lo..hi' the lower bound must not exceed the upper bound",
  },
  VIG333: {
    title: "Constant of wrong type",
    help: "A 'const' is an integer or a bool",
  },
  VIG334: {
    title: "Default out of range",
    help: "A state default must be within the variable's type",
  },
  VIG401: {
    title: "'prev' outside an invariant",
    help: "'prev(e)' reads the pre-state and is only allowed in local invariants",
  },
  VIG402: {
    title: "Nested 'prev'",
    help: "'prev' inside 'prev' means nothing more: remove the inner one",
  },
  VIG403: {
    title: "Assignment to a non-variable",
    help: "Only state variables can be assigned; constants, parameters, labels and " +
      "quantifier variables cannot",
  },
  VIG404: {
    title: "Variable assigned twice",
    help: "Assignments are simultaneous: a variable is assigned at most once per action " +
      "(and once in 'init')",
  },
  VIG405: {
    title: "Map assigned twice",
    help: "A map may be assigned several times in one action only when every key is a " +
      "distinct constant",
  },
  VIG406: {
    title: "Uninitialized variable",
    help: "Give the variable a default ('state x: T = v') or assign it in 'init'; a map " +
      "without a default needs 'init' to assign every key with a constant key",
  },
  VIG407: {
    title: "Read before initialization",
    help: "'init' reads the state defaults; this variable has no default",
  },
  VIG408: {
    title: "Duplicate init",
    help: "A spec has at most one 'init' block",
  },
  VIG409: {
    title: "Bare state in a global item",
    help: "Global items read each monitor's state through a node variable: " +
      "'forall n in nodes: n.x ...'",
  },
  VIG410: {
    title: "Nodes quantifier outside a global item",
    help: "Quantifiers over 'nodes' are only allowed in 'global invariant' and " +
      "'global liveness'",
  },
  VIG411: {
    title: "Require never holds",
    help: "The 'require' is constant false, so the action can never run",
  },
  VIG412: {
    title: "Zero duration",
    help: "A liveness duration must be greater than zero",
  },
  VIG413: {
    title: "Expression too deep",
    help: "An expression tree nests at most 1000 levels (a chain 'a + b + ...' counts one " +
      "level per operator); split it with constants or intermediate invariants",
  },
  VIG414: {
    title: "Too many liveness items",
    help: "A spec has at most 16 'liveness' and 16 'global liveness' items: the compiled " +
      "monitor reports their predicates as two bits each of one 32-bit mask",
  },
  VIG415: {
    title: "Quantifiers too costly",
    help: "An expression may evaluate quantifier bodies at most 1048576 (2^20) times: a " +
      "quantifier costs its domain size (per binder) times the cost of its body, so nested " +
      "quantifiers multiply; separate quantifiers in one expression add up; a quantifier over " +
      "'nodes' counts once per tuple of monitors. Quantify over smaller types, or split the " +
      "property",
  },
} as const;

/** A checker diagnostic code. */
export type CheckCode = keyof typeof CHECK_CODES;
