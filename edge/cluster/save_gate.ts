/**
 * The gate a partition's saves pass (`partition_store.ts`): closed while the
 * member is unsure it still holds the partition's lease (its last renewal's
 * time-to-live ran out with a renewal still in flight, `lease_keeper/`),
 * so nothing is saved, and so nothing acknowledged, until the renewal
 * answers: success opens it again (the compare-and-set proves the lease was
 * never expired nor taken in between), anything else makes the partition
 * lost (its store is fenced, then the gate opened: the save waiting fails).
 *
 * @module
 */

/**
 * Open or closed; saves wait while it is closed.
 *
 * @example Closed, then opened
 * ```ts
 * import assert from "node:assert/strict";
 * import { SaveGate } from "./save_gate.ts";
 * const gate = new SaveGate();
 * gate.close();
 * let passed = false;
 * const waiting = gate.wait().then(() => (passed = true));
 * await Promise.resolve();
 * assert.equal(passed, false);
 * gate.open();
 * await waiting;
 * assert.equal(passed, true);
 * ```
 */
export class SaveGate {
  #closed: { promise: Promise<void>; open: () => void } | null = null;

  /** True while saves wait. */
  get closed(): boolean {
    return this.#closed !== null;
  }

  /** Saves wait from now on (nothing when already closed). */
  close(): void {
    if (this.#closed !== null) return;
    let open = () => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.#closed = { promise, open };
  }

  /** Lets the waiting saves and the next ones pass. */
  open(): void {
    const c = this.#closed;
    this.#closed = null;
    c?.open();
  }

  /** Resolves once the gate is open. */
  wait(): Promise<void> {
    return this.#closed?.promise ?? Promise.resolve();
  }
}
