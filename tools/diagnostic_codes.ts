/**
 * All diagnostic code tables of the compiler, merged and sorted.
 *
 * @module
 */
import { PARSE_CODES } from "../lib/syntax/parse_codes.ts";
import { CHECK_CODES } from "../lib/types/type_codes.ts";
import { COMPILE_CODES } from "../lib/compile_codes.ts";

/** A code's title and help text. */
export interface CodeDoc {
  readonly title: string;
  readonly help: string;
}

/** Every code with its documentation, sorted by code. */
export function allCodes(): [string, CodeDoc][] {
  const tables: Record<string, CodeDoc>[] = [PARSE_CODES, CHECK_CODES, COMPILE_CODES];
  const all: [string, CodeDoc][] = [];
  for (const t of tables) for (const [k, v] of Object.entries(t)) all.push([k, v]);
  return all.sort((a, b) => a[0].localeCompare(b[0]));
}
