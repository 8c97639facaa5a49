// Outreach console: live progress over server-sent events, confirmations.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var live = document.querySelector("[data-events]");
  if (live && window.EventSource) {
    var es = new EventSource(live.dataset.events);
    es.addEventListener("progress", function (e) { update(JSON.parse(e.data)); });
    es.addEventListener("done", function () {
      document.getElementById("finished").hidden = false;
      es.close();
    });
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) { if (!window.confirm(f.dataset.confirm)) { e.preventDefault(); } });
  });
});

function update(p) {
  document.getElementById("pct").textContent = p.percent + "%";
  document.getElementById("bar").value = p.percent;
  document.getElementById("done").textContent = p.done;
  document.getElementById("total").textContent = p.total;
  var tb = document.querySelector("#outcomes tbody");
  tb.replaceChildren();
  Object.keys(p.outcomes || {}).sort().forEach(function (k) {
    var tr = document.createElement("tr");
    [k, p.outcomes[k]].forEach(function (v) { var td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
    tb.appendChild(tr);
  });
  var ul = document.getElementById("calls");
  ul.replaceChildren();
  (p.live || []).forEach(function (c) {
    var li = document.createElement("li");
    li.textContent = c.phone + " · " + c.stage;
    ul.appendChild(li);
  });
  if (p.percent >= 100) { document.getElementById("finished").hidden = false; }
}
