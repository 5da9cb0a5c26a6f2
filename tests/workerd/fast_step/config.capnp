# The fast-step probe (probe.ts, bundled to build/probe.mjs with
# lease.core.wasm beside it) on one socket; tests/workerd_fast_step_test.ts
# builds it and moves the socket to a free port.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "probe", worker = .probe)],
  sockets = [(name = "probe", address = "127.0.0.1:8090", http = (), service = "probe")],
);

const probe :Workerd.Worker = (
  modules = [
    (name = "probe.mjs", esModule = embed "build/probe.mjs"),
    (name = "lease.core.wasm", wasm = embed "build/lease.core.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
