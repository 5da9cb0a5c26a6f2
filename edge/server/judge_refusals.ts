/**
 * The causal judge's refusals `vigil collector` says in its log as their
 * counts grow (`service.ts` reads each from `Collector.metrics()`; the
 * throttled log says the first at once and sums up the rest). Each is also
 * on `/metrics`, named in its lines. A node whose clock runs ahead is said
 * by its own notification (`clock_ahead`), naming the node.
 *
 * @module
 */

/** A count of the causal judge's refusals the service says in its log as it grows. */
export interface JudgeRefusal {
  /** The count in `Collector.metrics()`. */
  readonly counter: "causalLaneDrops" | "causalStampsRefused" | "causalStampsOfRetired";
  /** The throttled log's key. */
  readonly key: string;
  /** The first line, with how much the count grew. */
  readonly first: (grew: number) => string;
  /** The line summing up later growths. */
  readonly summary: (times: number, seconds: number) => string;
}

const plural = (n: number, one: string, many: string) => n === 1 ? one : many;

/** The judge's refusals said in the log (each is also on `/metrics`, named in its lines). */
export const judgeRefusals: readonly JudgeRefusal[] = [
  {
    counter: "causalLaneDrops",
    key: "causal/lane_cap",
    first: (n) =>
      `vigil collector: causal verdicts dropped ${n} state interval${
        plural(n, "", "s")
      } a later judgement could still meet (a node changed state faster than its lane keeps over 4S plus the window; counted in vigil_causal_lane_drops): a violation needing them can be missed`,
    summary: (n, secs) =>
      `vigil collector: causal verdicts dropped intervals ${n} more time${
        plural(n, "", "s")
      } in the last ${secs} s (vigil_causal_lane_drops)`,
  },
  {
    counter: "causalStampsRefused",
    key: "causal/stamp_after_event",
    first: (n) =>
      `vigil collector: causal verdicts refused ${n} dependenc${
        plural(n, "y", "ies")
      } whose stamp is not before the event naming it (the SDK's clocks never write one: a writer outside the SDK or a corrupted log; counted in vigil_causal_stamps_refused): those events are judged without that ordering`,
    summary: (n, secs) =>
      `vigil collector: causal verdicts refused dependencies ${n} more time${
        plural(n, "", "s")
      } in the last ${secs} s (vigil_causal_stamps_refused)`,
  },
  {
    counter: "causalStampsOfRetired",
    key: "causal/stamp_of_retired",
    first: (n) =>
      `vigil collector: causal verdicts did not record ${n} dependenc${
        plural(n, "y", "ies")
      } naming a node retired past --retire-idle (its events taken as ordered before; counted in vigil_causal_stamps_of_retired)`,
    summary: (n, secs) =>
      `vigil collector: causal verdicts did not record dependencies naming retired nodes ${n} more time${
        plural(n, "", "s")
      } in the last ${secs} s (vigil_causal_stamps_of_retired)`,
  },
];
