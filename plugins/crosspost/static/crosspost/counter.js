// Live counter for per-account messages: asks the server, which counts exactly
// as the network does (graphemes, weighted characters, 23-character URLs).
(function () {
  "use strict";
  var form = document.querySelector("form[data-count-url]");
  if (!form) { return; }
  var url = form.getAttribute("data-count-url");
  var token = form.querySelector("input[name=csrf_token]");
  function update(area) {
    var out = document.getElementById(area.getAttribute("aria-describedby").split(" ")[0]);
    var text = area.value || area.getAttribute("data-default") || "";
    var headers = {"Content-Type": "application/json"};
    if (token) { headers["X-CSRFToken"] = token.value; }
    fetch(url, {method: "POST", headers: headers, credentials: "same-origin",
      body: JSON.stringify({channel: area.getAttribute("data-channel"), text: text,
                            has_image: !!area.getAttribute("data-has-image")})})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        out.textContent = data.count + (data.limit ? " / " + data.limit : "") + " " + data.rule;
        var over = data.limit && data.count > data.limit;
        out.classList.toggle("over", !!over);
        area.setAttribute("aria-invalid", over ? "true" : "false");
      })
      .catch(function () { /* the server check on save still applies */ });
  }
  var timers = {};
  form.querySelectorAll("textarea[data-channel]").forEach(function (area) {
    area.addEventListener("input", function () {
      clearTimeout(timers[area.id]);
      timers[area.id] = setTimeout(function () { update(area); }, 250);
    });
  });
})();
