#!/usr/bin/env python3
"""The ceiling: the least a simulator must do on ClicPay's create and status routes, as a plain Starlette app.

A bearer check, the request body parsed and validated by a compiled fastjsonschema function (the spec's own
request schema), a reference drawn, a dict store, a JSON answer; the status read looks the reference up and
answers. No journal, no state machine, no scheduler, no provider error tables. `bench/run.py` serves it with
the same uvicorn options and collector tuning as `provider-sim serve`, so a ratio against it says what the
simulator's own work costs.

    python bench/ceiling.py --port 8001 --token TOKEN
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sys
from pathlib import Path
from typing import Any

import fastjsonschema
import uvicorn
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "clicpay" / "openapi.yaml"
DIGITS = "0123456789"


def plain(node: Any) -> Any:
    """The schema without the spec's x- annotations and OpenAPI-only words."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items() if not k.startswith("x-") and k not in ("examples", "example")}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def build(tokens: set[str]) -> Starlette:
    schema = yaml.safe_load(SPEC.read_text())["components"]["schemas"]["MpesaTransactionRequest"]
    validate = fastjsonschema.compile(plain(schema), use_formats=True)
    store: dict[str, dict[str, Any]] = {}
    rng = random.Random(1)
    unauthenticated = JSONResponse({"message": "Unauthenticated."}, 401)
    counter = [0]

    def authorized(request: Request) -> bool:
        value = request.headers.get("authorization", "")
        return value[:7].lower() == "bearer " and value[7:] in tokens

    async def create(request: Request) -> Response:
        if not authorized(request):
            return unauthenticated
        try:
            body = validate(json.loads(await request.body()))
        except (ValueError, fastjsonschema.JsonSchemaException) as exc:
            return JSONResponse({"message": str(exc)}, 400)
        while True:
            reference = "CP" + "".join(rng.choices(DIGITS, k=9))
            if reference not in store:
                break
        counter[0] += 1
        store[reference] = {"transaction_id": counter[0], "clicpay_reference": reference,
                            "wallet_id": int(request.path_params["wallet_id"]), "amount": body["amount"],
                            "msisdn": body["msisdn"], "reference_description": body["reference_description"],
                            "internal_notes": body.get("internal_notes"), "status": "pending"}
        return JSONResponse({"message": "Transação iniciada com sucesso", "clicpay_reference": reference,
                             "status": "pending", "transaction_id": counter[0]})

    async def status(request: Request) -> Response:
        if not authorized(request):
            return unauthenticated
        tx = store.get(request.path_params["reference"])
        if tx is None:
            return JSONResponse({"message": "Transação não encontrada."}, 404)
        return JSONResponse({"clicpay_reference": tx["clicpay_reference"], "status": tx["status"],
                             "amount": tx["amount"], "message": "Pendente"})

    return Starlette(routes=[
        Route("/clicpay/api/v2/wallets/{wallet_id}/c2b/mpesa", create, methods=["POST"]),
        Route("/clicpay/api/v2/transactions/{reference}/status", status, methods=["GET"]),
    ])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", action="append", required=True)
    a = p.parse_args()
    app = build(set(a.token))
    sys.path.insert(0, str(ROOT))
    from simulator.cli import tune_gc  # the same collector tuning as `provider-sim serve`
    tune_gc()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", a.port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, http="httptools")
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
