// A Worker that probes what outlives a request in workerd. Module state is kept across
// requests; each route says what happened to what an earlier request left behind.
//
// POST /timer   sets a 20 ms timer and answers at once (the request is then over)
// POST /promise makes a promise with a continuation, keeps its resolver, answers at once
// GET  /later   resolves the kept promise, waits 200 ms on a timer of its own, then answers
//               which of the earlier timer and continuation ran
const ran = { timer: false, continuation: false };
let resolveKept = null;

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/timer") {
      setTimeout(() => (ran.timer = true), 20);
      return new Response("timer set\n");
    }
    if (request.method === "POST" && pathname === "/promise") {
      new Promise((resolve) => (resolveKept = resolve)).then(() => (ran.continuation = true));
      return new Response("promise made\n");
    }
    if (request.method === "GET" && pathname === "/later") {
      if (resolveKept === null) return new Response("No promise was made\n", { status: 409 });
      resolveKept();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return Response.json(ran);
    }
    return new Response(`No route '${request.method} ${pathname}'\n`, { status: 404 });
  },
};
