/**
 * A command that cannot run as configured (a stored state that belongs to
 * another stream, a port in use, a spec with errors, a missing package):
 * exit code 1 and its message as one line on standard error, never a
 * stack trace. Usage errors (a flag or argument that is wrong as typed)
 * are `UsageError` (exit code 2).
 *
 * @module
 */

/**
 * A configuration or environment error: `vigil` prints `vigil <command>:
 * <message>` and exits with {@link CommandError.exitCode}.
 *
 * @example A refused start
 * ```ts
 * import assert from "node:assert/strict";
 * import { CommandError } from "./command_error.ts";
 * const e = new CommandError("Port 8080 on 127.0.0.1 is in use");
 * assert.equal(e.exitCode, 1);
 * assert.equal(e.name, "CommandError");
 * ```
 */
export class CommandError extends Error {
  /** The process exit code. */
  readonly exitCode: number;

  /** An error with `message` (one line) and exit code `exitCode` (default 1). */
  constructor(
    message: string,
    options: { readonly exitCode?: number; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CommandError";
    this.exitCode = options.exitCode ?? 1;
  }
}
