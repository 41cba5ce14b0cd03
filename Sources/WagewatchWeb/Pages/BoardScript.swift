/// The escalation board's only script (`/static/board.js`, allowed by the page's
/// `script-src 'self'`): it follows `/escalations/stream` and, on each event, shows the alert
/// above the board and re-reads the board itself from the server, so rows, labels and forms are
/// the server's. Text goes in through `textContent` only. Without JavaScript the board works by
/// reloading.
enum BoardScript {
    static let js = #"""
(function () {
  "use strict";
  var live = document.getElementById("escalation-live");
  var alertBox = document.getElementById("live-alert");
  if (!live || !alertBox || !window.EventSource || !window.fetch || !window.DOMParser) { return; }
  function refresh() {
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("escalation-live");
        if (fresh) { live.replaceWith(fresh); live = fresh; }
      });
  }
  var source = new EventSource("/escalations/stream");
  var opened = false;
  // html[data-stream] says whether the board is live ("open") or reconnecting ("closed").
  source.addEventListener("open", function () {
    document.documentElement.dataset.stream = "open";
    if (opened) { refresh(); }
    opened = true;
  });
  source.addEventListener("error", function () { document.documentElement.dataset.stream = "closed"; });
  source.addEventListener("escalation", function (message) {
    var e = JSON.parse(message.data);
    var words = [e.mass_incident ? alertBox.dataset.mass : alertBox.dataset.raised];
    if (e.employer_name) { words.push(e.employer_name); }
    if (e.workers_involved) { words.push(alertBox.dataset.workers.replace("%d", e.workers_involved)); }
    alertBox.textContent = words.join(" · ") + " ";
    if (e.complaint_id) {
      var link = document.createElement("a");
      link.href = "/complaints/" + encodeURIComponent(e.complaint_id);
      link.textContent = alertBox.dataset.open;
      alertBox.appendChild(link);
    }
    alertBox.hidden = false;
    refresh();
  });
})();
"""#
}
