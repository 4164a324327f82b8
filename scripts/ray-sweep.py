#!/usr/bin/env python3
"""Runs an Aurora sweep plan on Ray: each shard is a Ray task that runs
`aurora sweep run-shard PLAN --index N` (the same plan, result files and checks as Slurm's
tasks), retried by Ray when it fails; then `aurora sweep collect`.

    pip install ray
    python3 scripts/ray-sweep.py PLAN [--aurora PATH] [--address auto] [--retries 2]

PLAN and the binary must be on a path every Ray worker sees (a shared file system), as with
Slurm. Shards that already have a valid result return at once, so a rerun finishes a sweep.
"""
import argparse
import json
import os
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan")
    parser.add_argument("--aurora", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "aurora"))
    parser.add_argument("--address", default=None, help="a Ray cluster (default: start one here)")
    parser.add_argument("--retries", type=int, default=2)
    args = parser.parse_args()
    try:
        import ray
    except ImportError:
        print("ray-sweep: Ray is not installed (pip install ray)", file=sys.stderr)
        return 2
    plan, aurora = os.path.abspath(args.plan), os.path.abspath(args.aurora)
    with open(os.path.join(plan, "manifest.json")) as f:
        shards = [s["index"] for s in json.load(f)["shards"]]
    ray.init(address=args.address, include_dashboard=False, log_to_driver=False)

    @ray.remote(max_retries=args.retries, retry_exceptions=True, num_cpus=1)
    def run_shard(index: int) -> int:
        done = subprocess.run([aurora, "sweep", "run-shard", plan, "--index", str(index)], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"shard {index}: {done.stderr.strip()}")
        return index

    failed = []
    pending = {run_shard.remote(i): i for i in shards}
    for ref, index in pending.items():
        try:
            ray.get(ref)
        except Exception as error:  # a task that failed after its retries
            failed.append(index)
            print(f"ray-sweep: {error}", file=sys.stderr)
    ray.shutdown()
    if failed:
        print(f"ray-sweep: {len(failed)} shards failed ({', '.join(map(str, failed))}); run again to retry them", file=sys.stderr)
        return 1
    return subprocess.run([aurora, "sweep", "collect", plan]).returncode


if __name__ == "__main__":
    sys.exit(main())
