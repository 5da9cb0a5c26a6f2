# workerd configuration of the lease Worker: two nodes, edge-a and edge-b,
# each its own Worker (its own isolate, guard store, node id and token) on
# its own socket, both from the same bundle. Paths are relative to this file:
# build/worker.mjs is the esbuild bundle of worker.ts, build/lease.core.wasm
# the compiled spec's core module (see README.md).
#
#   VIGIL_COLLECTOR_URL=http://127.0.0.1:8080 VIGIL_TOKEN_A=ta VIGIL_TOKEN_B=tb \
#     npx workerd serve config.capnp
#
# Sockets can be moved at start: --socket-addr edge-a=127.0.0.1:0 (with
# --control-fd, workerd reports the port it bound).

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "edge-a", worker = .edgeA),
    (name = "edge-b", worker = .edgeB),
    # The Workers' global fetch: public addresses, and this machine's own
    # (where a development collector listens). Without "local", workerd
    # refuses to connect to 127.0.0.1.
    (name = "internet", network = (allow = ["public", "local"])),
  ],
  sockets = [
    (name = "edge-a", address = "127.0.0.1:8081", http = (), service = "edge-a"),
    (name = "edge-b", address = "127.0.0.1:8082", http = (), service = "edge-b"),
  ],
);

# The bundle and the compiled spec, imported by the bundle as
# "./lease.core.wasm": a module of type wasm is a WebAssembly.Module, so the
# Worker never compiles bytes at run time.
const leaseModules :List(Workerd.Worker.Module) = [
  (name = "worker.mjs", esModule = embed "build/worker.mjs"),
  (name = "lease.core.wasm", wasm = embed "build/lease.core.wasm"),
];

const edgeA :Workerd.Worker = (
  modules = .leaseModules,
  bindings = [
    (name = "NODE_ID", text = "edge-a"),
    (name = "VIGIL_COLLECTOR_URL", fromEnvironment = "VIGIL_COLLECTOR_URL"),
    (name = "VIGIL_TOKEN", fromEnvironment = "VIGIL_TOKEN_A"),
  ],
  compatibilityDate = "2026-11-01",
);

const edgeB :Workerd.Worker = (
  modules = .leaseModules,
  bindings = [
    (name = "NODE_ID", text = "edge-b"),
    (name = "VIGIL_COLLECTOR_URL", fromEnvironment = "VIGIL_COLLECTOR_URL"),
    (name = "VIGIL_TOKEN", fromEnvironment = "VIGIL_TOKEN_B"),
  ],
  compatibilityDate = "2026-11-01",
);
