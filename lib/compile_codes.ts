/**
 * Diagnostic codes of the compile pipeline (VIG500-599): properties of the
 * spec that only evaluation at compile time reveals.
 *
 * @module
 */

/** Codes raised by `compile` after checking. */
export const COMPILE_CODES = {
  VIG501: {
    title: "Initial state fails",
    help:
      "The state defaults followed by the `init` block produce a state that violates a range, an invariant, or raises an arithmetic error. Every monitor would start in violation, so the spec is rejected; the diagnostic points at what fails.",
  },
} as const;
