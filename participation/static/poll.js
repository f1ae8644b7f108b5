/* The projector view of a live poll: server-sent events bring each new shown state (event "stand"); when they do not
   get through, the page asks the small JSON endpoint every few seconds instead. Without JavaScript the page reloads
   itself (<noscript> refresh). The figures are written as text; nothing from the server is parsed as HTML. */
(function () {
  "use strict";
  var box = document.querySelector("[data-poll-live]");
  if (!box || box.getAttribute("data-poll-live") !== "open") { return; }
  var result = box.querySelector("[data-poll-result]");
  var bars = result.querySelector("[data-bars]");
  function plural(name, n) {
    var text = box.getAttribute("data-" + name + (n === 1 ? "-one" : "-other")) || "{n}";
    return text.replace("{n}", String(n));
  }
  function bar(option) {
    var item = document.createElement("li");
    item.className = "poll-bar";
    var label = document.createElement("span");
    label.className = "poll-bar-label";
    label.textContent = option.label;
    var track = document.createElement("span");
    track.className = "poll-bar-track";
    var fill = document.createElement("span");
    fill.className = "poll-bar-fill poll-w-" + Math.max(0, Math.min(100, Math.round(option.percent)));
    track.appendChild(fill);
    var number = document.createElement("span");
    number.className = "poll-bar-number";
    number.textContent = option.count + " (" + Math.round(option.percent) + " %)";
    item.appendChild(label);
    item.appendChild(track);
    item.appendChild(number);
    return item;
  }
  function show(state) {
    result.querySelector("[data-received-line]").textContent = plural("received", state.received);
    result.querySelector("[data-hidden-line]").hidden = state.shown;
    result.querySelector("[data-shown-block]").hidden = !state.shown;
    if (state.shown) {
      result.querySelector("[data-step-line]").textContent = plural("step", state.voters);
      var items = state.options.map(bar);
      while (bars.firstChild) { bars.removeChild(bars.firstChild); }
      items.forEach(function (item) { bars.appendChild(item); });
    }
    if (state.status === "closed") {
      // Closed elsewhere (another screen): the page itself shows the stored result and the links.
      window.location.reload();
    }
  }
  var polling = false;
  function poll() {
    polling = true;
    fetch(box.getAttribute("data-state"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) { show(state); if (state.status !== "closed") { window.setTimeout(poll, 3000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (!window.EventSource) { poll(); return; }
  var source = new EventSource(box.getAttribute("data-stream"));
  var failures = 0;
  source.addEventListener("stand", function (event) {
    failures = 0;
    var state = JSON.parse(event.data);
    if (state.status === "closed") { source.close(); }
    show(state);
  });
  source.onerror = function () {
    failures += 1;
    if (failures >= 3 && !polling) { source.close(); poll(); }
  };
})();
