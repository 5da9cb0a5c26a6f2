"""Decodes a Vigil event batch with Python's msgpack (not msgpackr) and prints
it as JSON, one field per key, so a test can compare it with what was encoded.

Usage: python3 tests/wire_decode.py < batch.msgpack
"""
import base64
import json
import sys

import msgpack


def main() -> None:
    raw = sys.stdin.buffer.read()
    batch = msgpack.unpackb(raw, raw=False, strict_map_key=True)
    if batch.get("v") != 1:
        raise SystemExit(f"unsupported version {batch.get('v')!r}")
    events = []
    for i, ev in enumerate(batch["ev"]):
        key, dt, logical, action, args, state, verdict = ev
        assert isinstance(state, bytes), type(state)
        events.append({
            "seq": batch["seq"] + i,
            "key": key,
            "wall": batch["t0"] + dt,
            "logical": logical,
            "action": action,
            "args": args,
            "state": base64.b64encode(state).decode(),
            "verdict": verdict,
        })
    out = {
        "version": batch["v"],
        "spec": batch["spec"],
        "specName": batch["name"],
        "node": batch["node"],
        "boot": batch["boot"],
        "firstSeq": batch["seq"],
        "dropped": batch["drop"],
        "types": {k: type(v).__name__ for k, v in batch.items()},
        "events": events,
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
