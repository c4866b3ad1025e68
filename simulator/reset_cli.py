"""The `provider-sim reset` command: clear a persistent store's state (every provider's, or one's) without a
server, e.g. between CI runs on a shared PostgreSQL database. Running instances see it as a POST /_sim/reset."""

from __future__ import annotations

import argparse
import os
import sys
import time


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    r = sub.add_parser("reset", help="clear a persistent store (sqlite:PATH or postgresql://...)")
    r.add_argument("--store", default=os.environ.get("PROVIDER_SIM_STORE"),
                   metavar="sqlite:PATH|postgresql://USER:PASS@HOST:PORT/DB",
                   help="the store to clear (default: PROVIDER_SIM_STORE)")
    r.add_argument("--provider", default=None, metavar="KEY", help="clear only this provider's state")


def run(args: argparse.Namespace) -> int:
    from simulator.sim import StoreError, make_store
    if not args.store or args.store == "memory":
        print("provider-sim: reset needs --store sqlite:PATH or postgresql://... (or PROVIDER_SIM_STORE)",
              file=sys.stderr)
        return 2
    try:
        store = make_store(args.store)
    except StoreError as exc:
        print(f"provider-sim: {exc}", file=sys.stderr)
        return 2
    try:
        store.reset(args.provider)
        from simulator.store.postgres import PostgresStore
        if isinstance(store, PostgresStore):  # running instances follow (simulator/shared.py)
            if args.provider is None:
                store.clock_reset(time.time())  # the shared clock back to its start
            store.new_epoch(args.provider)
    finally:
        store.close()
    print(f"provider-sim: reset {args.provider or 'every provider'} in the store")
    return 0
