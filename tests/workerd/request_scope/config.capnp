# The request-scope probe (probe.mjs) on one socket; tests/workerd_test.ts moves it to a free port.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "probe", worker = .probe)],
  sockets = [(name = "probe", address = "127.0.0.1:8090", http = (), service = "probe")],
);

const probe :Workerd.Worker = (
  modules = [(name = "probe.mjs", esModule = embed "probe.mjs")],
  compatibilityDate = "2026-11-01",
);
