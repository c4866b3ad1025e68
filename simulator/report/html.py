"""The report as one readable HTML page: a summary, then per provider the tables of operations, transitions,
webhook events, violations, warnings and documented examples."""

from __future__ import annotations

from html import escape
from simulator.report.model import ProviderReport, Report

STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
.miss{color:#999}.bad{background:#fde8e8}.warn{background:#fff6db}.ok{background:#eaf7ea}code{font-size:12px}h2{margin-top:2em}"""


def _table(caption: str, headers: list[str], rows: list[tuple[str, list[str]]], table_id: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(f"<tr class=\"{cls}\">" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
                   for cls, cells in rows) or f"<tr><td colspan=\"{len(headers)}\" class=\"miss\">none</td></tr>"
    return (f"<h3>{escape(caption)}</h3><table id=\"{escape(table_id)}\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _provider(p: ProviderReport) -> str:
    bad_ops = {v.get("operation") for v in p["violations"]}
    ops = [("bad" if o["id"] in bad_ops else "ok" if o["calls"] else "miss",
            [f"<code>{escape(o['id'])}</code>", escape(o["method"]), f"<code>{escape(o['path'])}</code>",
             str(o["calls"]), escape(", ".join(f"{s} ×{n}" for s, n in o["statuses"].items()))])
           for o in p["operations"]]
    trans = [("ok" if t["count"] else "miss",
              [escape(str(t["kind"])), escape(str(t["from"])), escape(str(t["to"])), str(t["count"]),
               "yes" if t.get("declared", True) else "no"]) for t in p["transitions"]]
    hooks = [("ok" if w["delivered"] else "bad" if w["failed"] else "miss",
              [escape(w["event"]), str(w["emitted"]), str(w["attempts"]), str(w["delivered"]), str(w["failed"])])
             for w in p["webhook_events"]]
    viol = [("bad", [str(v["id"]), escape(str(v.get("at"))), escape(str(v.get("operation") or "—")),
                     escape(f"{v['method']} {v['path']}"), str(v["status"]),
                     "<br>".join(escape(x) for x in v["violations"])]) for v in p["violations"]]
    warn = [("warn", [str(v["id"]), escape(str(v.get("at"))), escape(str(v.get("operation") or "—")),
                      escape(f"{v['method']} {v['path']}"), str(v["status"]),
                      "<br>".join(escape(x) for x in v["warnings"])]) for v in p.get("warnings") or []]
    ex = p.get("examples") or {"total": 0, "matched": 0, "examples": []}
    examples = [("ok" if e["matched"] else "miss",
                 [f"<code>{escape(e['id'])}</code>", escape(e["kind"]), f"<code>{escape(e['operation'])}</code>",
                  escape(str(e["status"] if e["status"] is not None else "—")), escape(e["section"]),
                  str(e["matched"]), escape(", ".join(f"#{r}" if isinstance(r, int) else str(r)
                                                     for r in e["requests"]))])
                for e in ex["examples"]]
    key = p["key"]
    return (f"<h2 id=\"{escape(key)}\">{escape(p['name'])} (<code>/{escape(key)}</code>)</h2>"
            f"<p>{p['operations_exercised']} of {p['operations_total']} operations exercised, "
            f"{p['transitions_exercised']} of {p['transitions_total']} transitions, "
            f"{p['unmatched_requests']} request(s) matched no operation, {len(p['violations'])} violation(s), "
            f"{len(warn)} warning(s), "
            f"{ex['matched']} of {ex['total']} documented examples matched.</p>"
            + _table("Operations", ["operation", "method", "path", "calls", "statuses"], ops, f"{key}-operations")
            + _table("Transitions", ["resource", "from", "to", "times", "declared"], trans, f"{key}-transitions")
            + _table("Webhook events", ["event", "emitted", "attempts", "delivered", "failed"], hooks,
                     f"{key}-webhooks")
            + _table("Violations", ["request", "at", "operation", "request line", "status", "reasons"], viol,
                     f"{key}-violations")
            + _table("Warnings (rules the provider's documents do not state; requests served)",
                     ["request", "at", "operation", "request line", "status", "warnings"], warn, f"{key}-warnings")
            + _table("Documented examples", ["example", "kind", "operation", "status", "section", "matched",
                                             "requests"], examples, f"{key}-examples"))


def render(report: Report) -> bytes:
    s = report["summary"]
    summary = (f"<p>Source <code>{escape(report['source'])}</code>, generated {escape(report['generated_at'])}: "
               f"{s['requests']} request(s), {s['operations_exercised']} of {s['operations_total']} operations "
               f"exercised, {s.get('examples_matched', 0)} of {s.get('examples_total', 0)} documented examples "
               f"matched, <strong>{s['violations']} violation(s)</strong>, {s.get('warnings', 0)} warning(s).</p>")
    nav = " · ".join(f"<a href=\"#{escape(p['key'])}\">{escape(p['name'])}</a>" for p in report["providers"])
    page = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>provider-sim contract report"
            f"</title><style>{STYLE}</style></head><body><h1>provider-sim contract report</h1>{summary}"
            f"<p>{nav}</p>" + "".join(_provider(p) for p in report["providers"]) + "</body></html>\n")
    return page.encode("utf-8")
