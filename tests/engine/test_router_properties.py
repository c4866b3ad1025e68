"""Properties of the router every provider's requests go through: literal and templated paths, parameters,
trailing and doubled slashes, and the methods a 405 names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.router import Router

SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=8)
VALUE = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~%@:+", min_size=1,
                max_size=12)
METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"])


@st.composite
def templates(draw: st.DrawFn) -> tuple[list[str | None], str]:
    """A path template: segments, None where a parameter stands, and its text with {p0}, {p1}, ..."""
    shape = draw(st.lists(st.one_of(SEGMENT, st.none()), min_size=1, max_size=5))
    text, n = [], 0
    for seg in shape:
        if seg is None:
            text.append(f"{{p{n}}}")
            n += 1
        else:
            text.append(seg)
    return shape, "/" + "/".join(text)


@given(st.lists(SEGMENT, min_size=0, max_size=5), METHODS)
def test_a_literal_path_matches_itself_with_no_parameters(parts: list[str], method: str) -> None:
    router: Router[str] = Router()
    path = "/" + "/".join(parts)
    router.add(method, path, "target")
    assert router.match(method, path) == ("target", {})
    assert router.match(method, path + "/") == ("target", {})  # a trailing slash is the same route
    other = "POST" if method != "POST" else "GET"
    assert router.match(other, path) is None
    assert router.allowed_methods(path) == [method]


@given(templates(), st.data(), METHODS)
def test_a_template_matches_any_values_and_names_them(template: tuple[list[str | None], str], data: st.DataObject,
                                                       method: str) -> None:
    shape, text = template
    router: Router[str] = Router()
    router.add(method, text, "target")
    values = [data.draw(VALUE) if seg is None else seg for seg in shape]
    hit = router.match(method, "/" + "/".join(values))
    assert hit is not None
    expected = {f"p{i}": v for i, v in enumerate(v for seg, v in zip(shape, values) if seg is None)}
    assert hit == ("target", expected)
    # one segment more or less never matches
    assert router.match(method, "/" + "/".join(values + ["extra"])) is None
    if len(values) > 1:
        assert router.match(method, "/" + "/".join(values[:-1])) is None


@given(st.lists(SEGMENT, min_size=1, max_size=4), st.integers(min_value=0, max_value=3), METHODS)
def test_a_literal_route_wins_over_a_template_of_the_same_shape(parts: list[str], where: int, method: str) -> None:
    where = where % len(parts)
    template = ["{id}" if i == where else p for i, p in enumerate(parts)]
    router: Router[str] = Router()
    router.add(method, "/" + "/".join(template), "template")
    router.add(method, "/" + "/".join(parts), "literal")
    assert router.match(method, "/" + "/".join(parts)) == ("literal", {})
    changed = list(parts)
    changed[where] = parts[where] + "x"
    assert router.match(method, "/" + "/".join(changed)) == ("template", {"id": changed[where]})


@given(st.lists(SEGMENT, min_size=1, max_size=4), st.lists(st.integers(min_value=1, max_value=3), min_size=5,
                                                              max_size=5), METHODS)
def test_doubled_slashes_collapse_only_when_the_provider_says_so(parts: list[str], slashes: list[int],
                                                                  method: str) -> None:
    path = "/" + "/".join(parts)
    messy = "".join("/" * slashes[i % len(slashes)] + p for i, p in enumerate(parts))
    collapsing: Router[str] = Router(collapse_slashes=True)
    collapsing.add(method, path, "target")
    assert collapsing.match(method, messy) == ("target", {})
    strict: Router[str] = Router()
    strict.add(method, path, "target")
    assert strict.match(method, messy) == (("target", {}) if messy == path else None)


@given(templates(), st.sets(METHODS, min_size=1), st.data())
def test_allowed_methods_are_exactly_those_that_match(template: tuple[list[str | None], str], methods: set[str],
                                                       data: st.DataObject) -> None:
    shape, text = template
    router: Router[str] = Router()
    for method in methods:
        router.add(method, text, method)
    path = "/" + "/".join(data.draw(VALUE) if seg is None else seg for seg in shape)
    assert router.allowed_methods(path) == sorted(methods)
    for method in methods:
        hit = router.match(method, path)
        assert hit is not None and hit[0] == method


@given(st.text(max_size=40), METHODS)
def test_any_path_either_matches_or_not_but_never_raises(path: str, method: str) -> None:
    router: Router[str] = Router(collapse_slashes=True)
    router.add("GET", "/pix/{id}", "get")
    router.add("POST", "/pix", "create")
    hit = router.match(method, "/" + path)
    assert hit is None or hit[0] in ("get", "create")
