#!/usr/bin/env python3
"""The 1,000-element system of docs/performance.md's pytm comparison.

    python3 scripts/pytm-system.py > sys.json          # write the pytm JSON system
    python scripts/pytm-system.py --run sys.json       # what pytm is timed on (needs pytm)
    gambit import pytm sys.json -o sys.yaml --quiet    # the same system for Gambit

10 boundaries, 40 actors, 560 servers, 150 processes, 50 lambdas, 200 datastores, 20 data
sets and about two flows per element; deterministic.
"""
import json
import random
import sys


def system():
    rng = random.Random(1)
    boundaries = [{"name": "Internet"}] + [{"name": f"zone{i}"} for i in range(1, 10)]
    data = [
        {
            "name": f"data{i}",
            "classification": rng.choice(["PUBLIC", "RESTRICTED", "SENSITIVE", "SECRET"]),
            "isPII": i % 3 == 0,
            "isCredentials": i % 7 == 0,
        }
        for i in range(20)
    ]
    elements = [{"__class__": "Actor", "name": f"actor{i}", "inBoundary": "Internet"} for i in range(40)]
    for cls, prefix, count in [("Server", "server", 560), ("Process", "process", 150), ("Lambda", "lambda", 50)]:
        for i in range(count):
            e = {"__class__": cls, "name": f"{prefix}{i}", "inBoundary": f"zone{1 + i % 9}"}
            if cls == "Server":
                e.update({"OS": "Linux", "isHardened": i % 2 == 0, "sanitizesInput": i % 3 == 0})
            elements.append(e)
    for i in range(200):
        elements.append({
            "__class__": "Datastore",
            "name": f"db{i}",
            "inBoundary": f"zone{1 + i % 9}",
            "type": rng.choice(["SQL", "FILE_SYSTEM", "AWS_S3"]),
            "isEncrypted": i % 2 == 0,
        })
    callers = [e["name"] for e in elements if e["__class__"] != "Datastore"]
    stores = [e["name"] for e in elements if e["__class__"] == "Datastore"]
    inner = [e["name"] for e in elements[40:]]
    flows = []
    for i in range(2000):
        source = rng.choice(callers)
        sink = rng.choice(inner if i % 2 else stores)
        if sink == source:
            continue
        flows.append({
            "name": f"flow{i}",
            "source": source,
            "sink": sink,
            "protocol": rng.choice(["HTTPS", "HTTP", "SQL", "gRPC"]),
            "isEncrypted": i % 2 == 0,
            "data": [f"data{rng.randrange(20)}"],
        })
    return {"name": "Thousand elements", "description": "generated", "boundaries": boundaries,
            "data": data, "elements": elements, "flows": flows}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        from pytm.json import load

        with open(sys.argv[2]) as f:
            tm = load(f)
        tm.resolve()
        print(len(tm.findings), "findings")
    else:
        print(json.dumps(system(), indent=1))
