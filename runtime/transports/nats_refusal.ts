/**
 * Which failures of a NATS client are refusals (sending the batch again
 * would be refused again) rather than failures worth retrying: a publish
 * permission violation, a payload over the server's `max_payload`, a
 * JetStream API error other than a 5xx (e.g. the expected stream does not
 * match). Errors are recognized by name and shape rather than by class,
 * so a client from another copy of the NATS packages is recognized too.
 *
 * @module
 */
import { BatchRefusedError } from "./transport.ts";

interface Named {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly operation?: unknown;
}

/** `error` and its causes, nearest first (at most a few levels). */
function* chain(error: unknown): Generator<Named> {
  let e = error;
  for (let depth = 0; depth < 4 && typeof e === "object" && e !== null; depth++) {
    yield e as Named;
    e = (e as Named).cause;
  }
}

interface ApiErrorLike {
  readonly message: string;
  readonly code: number;
  readonly status: number;
  apiError(): Record<string, unknown>;
}

function isApiError(e: Named): e is Named & ApiErrorLike {
  const x = e as Partial<ApiErrorLike>;
  return typeof x.apiError === "function" && typeof x.code === "number" &&
    typeof x.status === "number";
}

/**
 * The refusal a NATS client's error stands for, or `null` when sending
 * again may succeed (a timeout, no responders, a closed connection, a
 * JetStream API error with a 5xx status).
 *
 * @example A publish the server's permissions deny is a refusal; a timeout is not
 * ```ts
 * import assert from "node:assert/strict";
 * import { PermissionViolationError, TimeoutError } from "@nats-io/nats-core";
 * import { natsRefusal } from "./nats_refusal.ts";
 * const denied = new PermissionViolationError(
 *   'Permissions Violation for Publish to "vigil.events.Lease"',
 *   "publish",
 *   "vigil.events.Lease",
 * );
 * assert.equal(natsRefusal("nats", denied)?.reason, "permission");
 * assert.equal(natsRefusal("jetstream", new TimeoutError()), null);
 * ```
 */
export function natsRefusal(transport: string, error: unknown): BatchRefusedError | null {
  for (const e of chain(error)) {
    const message = typeof e.message === "string" ? e.message : "";
    if (e.name === "PermissionViolationError" && e.operation !== "subscription") {
      return new BatchRefusedError(transport, { reason: "permission", detail: message }, {
        cause: error,
      });
    }
    if (e.name === "InvalidArgumentError" && message.includes("max_payload")) {
      const detail = "The batch is larger than the server's max_payload";
      return new BatchRefusedError(transport, { reason: "too_large", detail }, { cause: error });
    }
    if (isApiError(e)) {
      if (e.status >= 500) return null;
      return new BatchRefusedError(transport, {
        reason: `jetstream_${e.code}`,
        detail: e.message,
        status: e.status,
        problem: e.apiError(),
      }, { cause: error });
    }
  }
  return null;
}
