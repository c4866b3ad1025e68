"""Engine pieces that users meet indirectly: routing, form bodies, the clock and scheduler, JSON styles."""

import pytest

from simulator.clock import Clock, Scheduler
from simulator.engine.bodies import BodyError, parse_body, parse_php_form
from simulator.engine.router import Router
from simulator.jsonio import encoder


def test_router_prefers_literal_segments_and_collapses_slashes():
    r: Router[str] = Router(collapse_slashes=True)
    r.add("GET", "/pix/{id}", "get_pix")
    r.add("GET", "/pix/static", "static")
    r.add("POST", "/pix", "create")
    assert r.match("GET", "/pix/static") == ("static", {})
    assert r.match("GET", "/pix/abc") == ("get_pix", {"id": "abc"})
    assert r.match("POST", "//pix/") == ("create", {})
    assert r.match("DELETE", "/pix/abc") is None
    assert r.allowed_methods("/pix/abc") == ["GET"]


def test_router_serves_a_declared_base_alias_at_segment_boundaries():
    r: Router[str] = Router(aliases=("/smart",))
    r.add("GET", "/api/v1/carteiras/{wal_id}", "buscar")
    assert r.match("GET", "/smart/api/v1/carteiras/1") == ("buscar", {"wal_id": "1"})
    assert r.match("GET", "/api/v1/carteiras/1") == ("buscar", {"wal_id": "1"})
    assert r.match("GET", "/smartest/api/v1/carteiras/1") is None
    assert r.allowed_methods("/smart/api/v1/carteiras/1") == ["GET"]


def test_php_form_brackets_become_nested_data():
    body = parse_php_form("cliente[nome]=Ana&itens[0][descricao]=A&itens[0][valor]=1.5&itens[1][descricao]=B&tag[]=x&tag[]=y")
    assert body == {"cliente": {"nome": "Ana"}, "itens": [{"descricao": "A", "valor": "1.5"}, {"descricao": "B"}],
                    "tag": ["x", "y"]}


def test_parse_body_by_content_type():
    assert parse_body(b'{"a": 1}', "application/json; charset=utf-8") == {"a": 1}
    assert parse_body(b"a=1", "application/x-www-form-urlencoded") == {"a": "1"}
    assert parse_body(b"", "application/json") is None
    with pytest.raises(BodyError):
        parse_body(b"{", "application/json")
    with pytest.raises(BodyError):
        parse_body(b"<x/>", "application/xml")


async def test_scheduler_runs_due_jobs_in_order_on_the_manual_clock():
    clock = Clock("manual", start=1000)
    s = Scheduler(clock)
    ran: list[str] = []
    s.after(10, lambda: ran.append("b"))
    s.after(5, lambda: ran.append("a"))
    cancelled = s.after(1, lambda: ran.append("never"))
    s.cancel(cancelled)
    await s.run_due()
    assert ran == []
    clock.advance(10)
    await s.run_due()
    assert ran == ["a", "b"]
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_real_clock_follows_an_injected_wall_clock():
    wall = [100.0]
    clock = Clock("real", start=5000, wall=lambda: wall[0])
    wall[0] += 2.5
    assert clock.now() == 5002.5
    clock.advance(10)
    assert clock.now() == 5012.5


def test_php_json_style_matches_laravel():
    assert encoder("php")({"m": "à/é"}) == b'{"m":"\\u00e0\\/\\u00e9"}'
    assert encoder("plain")({"m": "à/é"}) == '{"m":"à/é"}'.encode()


def test_every_operation_of_every_spec_has_a_handler():
    """An operation without one would answer 501: each provider's registration table covers its whole spec."""
    from simulator.settings import Settings
    from simulator.sim import Sim

    sim = Sim(Settings(clock="manual"))
    assert {key: runtime.unimplemented for key, runtime in sim.providers.items()} == {
        key: [] for key in sim.providers}
