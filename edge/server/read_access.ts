/**
 * The read side's gate: a Hono middleware that lets a request through when
 * it carries a read token, as `Authorization: Bearer <token>` or as the
 * `vigil_read` cookie. A browser gets the cookie by visiting `/?token=<read
 * token>` once: the answer sets the cookie (`HttpOnly`, `SameSite=Strict`,
 * `Path=/`, `Secure` over https or with `X-Forwarded-Proto: https`) and redirects to `/`, so the token leaves
 * the address bar; the dashboard's `EventSource`, which cannot send
 * headers, then sends the cookie. Anything else gets 401 problem+json and
 * the connection is closed. Ingest tokens are not read tokens
 * (`edge/server/auth.ts`).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { bearerToken, type ReadAuth } from "./auth.ts";
import { problemResponse, problemType } from "../../lib/wire/problem.ts";

/**
 * The cookie holding the read token.
 *
 * @example The cookie the dashboard's read token travels in
 * ```ts
 * import assert from "node:assert/strict";
 * import { cookieValue, READ_COOKIE } from "./read_access.ts";
 * assert.equal(cookieValue(`theme=dark; ${READ_COOKIE}=r3ad`, READ_COOKIE), "r3ad");
 * ```
 */
export const READ_COOKIE = "vigil_read";

/**
 * The value of cookie `name` in a `Cookie` header, or `null`.
 *
 * @example Read the read-token cookie
 * ```ts
 * import assert from "node:assert/strict";
 * import { cookieValue, READ_COOKIE } from "./read_access.ts";
 * assert.equal(cookieValue(`theme=dark; ${READ_COOKIE}=r3ad`, READ_COOKIE), "r3ad");
 * assert.equal(cookieValue("theme=dark", READ_COOKIE), null);
 * ```
 */
export function cookieValue(header: string | null | undefined, name: string): string | null {
  if (header == null) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The 401 of the read side (problem+json; the connection closes).
 *
 * @example Refuse a read
 * ```ts
 * import assert from "node:assert/strict";
 * import { readUnauthorized } from "./read_access.ts";
 * const res = readUnauthorized("Unknown read token");
 * assert.equal(res.status, 401);
 * assert.equal(res.headers.get("connection"), "close");
 * ```
 */
export function readUnauthorized(detail: string): Response {
  return problemResponse(
    {
      type: problemType("read_unauthorized"),
      title: "Missing or invalid read token",
      status: 401,
      detail,
    },
    { headers: { "www-authenticate": 'Bearer realm="vigil-read"', "connection": "close" } },
  );
}

/**
 * Creates the gate for the read routes.
 *
 * @example Guard a route
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { readAuth } from "./auth.ts";
 * import { readAccess } from "./read_access.ts";
 * const app = new Hono();
 * app.use("/api/*", readAccess(readAuth(["r3ad"])));
 * app.get("/api/x", (c) => c.text("secret"));
 * assert.equal((await app.request("/api/x")).status, 401);
 * const ok = await app.request("/api/x", { headers: { authorization: "Bearer r3ad" } });
 * assert.equal(await ok.text(), "secret");
 * ```
 */
export function readAccess(auth: ReadAuth): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const query = url.searchParams.get("token");
    if (query !== null && c.req.method === "GET" && url.pathname === "/") {
      if (!auth.allows(query)) {
        return readUnauthorized("The 'token' in the address is no read token");
      }
      // Behind a TLS-terminating proxy the request arrives over http: trust its forwarded scheme
      // (it can only add `Secure`).
      const https = url.protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
      const secure = https ? "; Secure" : "";
      return new Response(null, {
        status: 303,
        headers: {
          "location": "/",
          "set-cookie": `${READ_COOKIE}=${
            encodeURIComponent(query)
          }; Path=/; HttpOnly; SameSite=Strict${secure}`,
          "cache-control": "no-store",
          "referrer-policy": "no-referrer",
        },
      });
    }
    const header = c.req.header("authorization");
    const token = header === undefined
      ? cookieValue(c.req.header("cookie"), READ_COOKIE)
      : bearerToken(header);
    if (!auth.allows(token)) {
      return readUnauthorized(
        token === null
          ? "Send a read token: 'Authorization: Bearer <token>', or open '/?token=<token>' once in a browser"
          : "Unknown read token",
      );
    }
    await next();
  };
}
