// A Worker that steps the lease spec by name through the SDK's monitor and
// says which fast step the loaded spec took: workerd forbids code generation
// from strings, so it must be the generic one. GET /steps?n=<count> answers
// { evalRefused, generated, codes, state } for the seeded sequence of
// `lease_steps.ts`, which the test replays outside workerd.
import wasm from "./lease.core.wasm";
import { loadSpec } from "../../../runtime/monitor/load_spec.ts";
import { leaseSteps } from "./lease_steps.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/steps") return new Response("No such route\n", { status: 404 });
    let evalRefused = false;
    try {
      new Function("return 1");
    } catch (error) {
      evalRefused = error instanceof EvalError;
    }
    const spec = await loadSpec(wasm as WebAssembly.Module);
    const run = leaseSteps(spec, Number(url.searchParams.get("n") ?? "0"));
    const generated = (spec as unknown as { fastStepGenerated: boolean }).fastStepGenerated;
    return Response.json({ evalRefused, generated, ...run });
  },
};
