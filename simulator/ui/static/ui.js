// provider-sim dashboard: every button here calls the /_sim JSON API (the same code as any other client).
"use strict";
(function () {
  const flash = document.getElementById("flash");

  function say(message, ok) {
    if (!flash) { if (!ok) { window.alert(message); } return; }
    flash.textContent = message;
    flash.className = ok ? "ok" : "";
    flash.hidden = false;
  }

  async function call(method, url, body, type) {
    const init = { method: method, headers: {} };
    if (body !== undefined && body !== null) {
      init.body = body;
      init.headers["Content-Type"] = type || "application/json";
    }
    const response = await fetch(url, init);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const message = data && data.error ? data.error : ("HTTP " + response.status);
      const err = new Error(message);
      err.status = response.status;
      throw err;
    }
    return data;
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 1200);
  }

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target.closest("button") : null;
    if (!target) { return; }
    if (target.dataset.copy !== undefined) { copy(target.dataset.copy, target); return; }
    if (target.dataset.print !== undefined) { window.print(); return; }
    if (target.dataset.post) {
      if (target.dataset.confirm && !window.confirm(target.dataset.confirm)) { return; }
      target.disabled = true;
      call("POST", target.dataset.post, target.dataset.body || null)
        .then(function () { window.location.reload(); })
        .catch(function (err) { target.disabled = false; say(err.message, false); });
    }
  });

  // Request journal: live view by short polling of GET /_sim/requests
  const journal = document.getElementById("journal");
  const live = document.getElementById("live");
  function cell(row, text, cls) {
    const td = document.createElement("td");
    if (cls) { td.className = cls; }
    td.textContent = text === null || text === undefined ? "" : String(text);
    row.appendChild(td);
    return td;
  }
  async function refresh() {
    if (!journal || !live || !live.checked || document.hidden) { return; }
    const query = journal.dataset.query ? journal.dataset.query + "&" : "";
    let data;
    try { data = await call("GET", "/_sim/requests?" + query + "limit=50"); } catch (e) { return; }
    const tbody = journal.tBodies[0];
    const rows = data.requests.slice().reverse();
    if (!rows.length) { return; }
    tbody.replaceChildren();
    rows.forEach(function (e) {
      const tr = document.createElement("tr");
      const link = document.createElement("a");
      link.href = "/_sim/ui/requests/" + e.id;
      link.textContent = e.id;
      cell(tr, "").appendChild(link);
      cell(tr, e.at); cell(tr, e.provider); cell(tr, e.method);
      cell(tr, e.path + (e.query ? "?" + e.query : ""), "url");
      cell(tr, e.operation);
      cell(tr, e.status, "num status-" + (e.status ? Math.floor(e.status / 100) : 0) + "xx");
      cell(tr, e.violations.length || "", "num");
      cell(tr, (e.warnings || []).length || "", "num");
      tbody.appendChild(tr);
    });
  }
  if (journal && live) { setInterval(refresh, 2000); }

  // Scenarios: upload a YAML file; a load error is shown at its line
  const upload = document.getElementById("scenario-upload");
  if (upload) {
    upload.addEventListener("submit", async function (event) {
      event.preventDefault();
      const file = upload.elements.file.files[0];
      if (!file) { return; }
      const text = await file.text();
      const box = document.getElementById("load-error");
      try {
        const loaded = await call("POST", "/_sim/scenarios", text, "application/yaml");
        box.hidden = true;
        say("Loaded " + (loaded && loaded.name ? loaded.name : file.name), true);
        setTimeout(function () { window.location.reload(); }, 600);
      } catch (err) {
        document.getElementById("load-message").textContent = err.message;
        const match = /line (\d+)/i.exec(err.message);
        const bad = match ? parseInt(match[1], 10) : -1;
        const source = document.getElementById("load-source");
        source.replaceChildren();
        text.split("\n").forEach(function (line, i) {
          const span = document.createElement("span");
          span.textContent = line;
          if (i + 1 === bad) { span.className = "bad"; span.id = "bad-line"; }
          source.appendChild(span);
        });
        box.hidden = false;
        const mark = document.getElementById("bad-line");
        if (mark) { mark.scrollIntoView({ block: "center" }); }
      }
    });
  }
})();
