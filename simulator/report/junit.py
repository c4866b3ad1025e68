"""The report as JUnit XML: a suite per provider, a case per operation (skipped when not exercised, failed when
a request broke the contract; warnings, rules the provider's documents do not state, only in its output), and a
case for requests that matched no documented operation."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from simulator.records import JSON
from simulator.report.model import Report


def _case(suite: ET.Element, provider: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", {"classname": f"provider_sim.{provider}", "name": name, "time": "0"})


def _fail(case: ET.Element, violations: list[dict[str, JSON]]) -> None:
    lines = [f"#{v['id']} {v['method']} {v['path']} -> {v['status']}: {'; '.join(v['violations'])}"
             for v in violations]
    failure = ET.SubElement(case, "failure", {"message": f"{len(violations)} contract violation(s)",
                                              "type": "ContractViolation"})
    failure.text = "\n".join(lines)


def render(report: Report) -> bytes:
    root = ET.Element("testsuites", {"name": "provider-sim contract", "tests": "0", "failures": "0",
                                     "skipped": "0", "errors": "0"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for p in report["providers"]:
        suite = ET.SubElement(root, "testsuite", {"name": p["key"], "errors": "0", "time": "0"})
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        by_op: dict[str | None, list[dict[str, JSON]]] = {}
        for v in p["violations"]:
            by_op.setdefault(v.get("operation"), []).append(v)
        warned: dict[str | None, list[str]] = {}
        for w in p.get("warnings") or []:
            warned.setdefault(w.get("operation"), []).extend(
                f"warning #{w['id']} {w['method']} {w['path']} -> {w['status']}: {text}" for text in w["warnings"])
        for op in p["operations"]:
            case = _case(suite, p["key"], op["id"])
            counts["tests"] += 1
            statuses = ", ".join(f"{s}x{n}" for s, n in op["statuses"].items())
            if op["id"] in by_op:
                _fail(case, by_op[op["id"]])
                counts["failures"] += 1
            elif not op["calls"]:
                ET.SubElement(case, "skipped", {"message": "not exercised"})
                counts["skipped"] += 1
            out = f"{op['method']} {op['path']} calls={op['calls']} {statuses}"
            ET.SubElement(case, "system-out").text = "\n".join([out, *warned.get(op["id"], [])])
        case = _case(suite, p["key"], "unmatched_requests")
        counts["tests"] += 1
        if None in by_op:
            _fail(case, by_op[None])
            counts["failures"] += 1
        for name, value in counts.items():
            suite.set(name, str(value))
            totals[name] += value
    for name, value in totals.items():
        root.set(name, str(value))
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"
