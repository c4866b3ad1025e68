"""The diff report as text (for people), JSON (for tools) or JUnit XML (for CI): a test case per operation."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from simulator.record.jsondiff import Difference, DifferenceJSON
from simulator.record.replay import DiffReport


def render(report: DiffReport, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(report.public(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "junit":
        return junit(report)
    return text(report).encode("utf-8")


def _lines(differences: list[Difference]) -> list[str]:
    return [f"    {d.exchange or '-':<30} {d.kind:<12} {f'{d.where} {d.path}'.rstrip()}  {d.detail()}"
            for d in differences]


def text(report: DiffReport) -> str:
    data = report.public()
    s = data["summary"]
    out = [f"provider-sim diff: {data['cassette']} ({data['provider']}): {s['replayed']} exchange(s) replayed, "
           f"{s['webhooks_recorded']} webhook(s) recorded, {s['webhooks_simulated']} simulated"]
    for op in data["operations"]:
        n = len(op["differences"])
        verdict = "same" if not n else f"{n} difference(s)"
        out.append(f"  {op['operation']}  {op['method']} {op['path']}  ({op['exchanges']} exchange(s)): {verdict}")
        out.extend(_lines(report.operations[op["operation"]].differences))
    hooks = data["webhooks"]
    if hooks["recorded"] or hooks["simulated"]:
        n = len(hooks["differences"])
        out.append(f"  webhooks  ({hooks['recorded']} recorded, {hooks['simulated']} simulated): "
                   f"{'same' if not n else f'{n} difference(s)'}")
        out.extend(_lines(report.webhook_differences))
    for skipped in data["skipped"]:
        out.append(f"  skipped {skipped['exchange']}: {skipped['reason']}")
    for note in data["notes"]:
        out.append(f"  note: {note}")
    total = s["differences"]
    if total:
        where = s["operations_with_differences"] + (1 if hooks["differences"] else 0)
        out.append(f"{total} difference(s) in {where} place(s)")
    else:
        out.append("no differences: the simulator answered as the recording did")
    return "\n".join(out) + "\n"


def _case(suite: ET.Element, provider: str, name: str, differences: list[DifferenceJSON], out: str) -> bool:
    case = ET.SubElement(suite, "testcase", {"classname": f"provider_sim.diff.{provider}", "name": name,
                                             "time": "0"})
    if differences:
        failure = ET.SubElement(case, "failure", {"message": f"{len(differences)} difference(s) from the recording",
                                                  "type": "ProviderDrift"})
        failure.text = "\n".join(f"{d['exchange'] or '-'} {d['kind']} {d['where']}: {d['message']}"
                                 for d in differences)
    ET.SubElement(case, "system-out").text = out
    return bool(differences)


def junit(report: DiffReport) -> bytes:
    data = report.public()
    provider = data["provider"]
    root = ET.Element("testsuites", {"name": "provider-sim diff"})
    suite = ET.SubElement(root, "testsuite", {"name": provider, "errors": "0", "skipped": "0", "time": "0"})
    tests = failures = 0
    for op in data["operations"]:
        tests += 1
        failures += _case(suite, provider, op["operation"], op["differences"],
                          f"{op['method']} {op['path']} exchanges={op['exchanges']}")
    hooks = data["webhooks"]
    if hooks["recorded"] or hooks["simulated"]:
        tests += 1
        failures += _case(suite, provider, "webhooks", hooks["differences"],
                          f"recorded={hooks['recorded']} simulated={hooks['simulated']}")
    for element in (root, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", "0")
    ET.indent(root)
    payload: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return payload + b"\n"
