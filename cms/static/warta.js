/* Warta's only site-wide script (the CSP forbids inline scripts).
   Forms marked data-confirm ask before a destructive action; on a phone the
   main menu becomes a disclosure behind its button (without this script the
   menu simply stays open). */
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

(function () {
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  document.documentElement.classList.add("js-menu");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  setOpen(false);
})();

/* Staff tables scroll sideways on a phone instead of splitting words: each
   is put in a .table-wrap box, so no template has to remember to. */
(function () {
  if (!document.body.classList.contains("admin")) return;
  var tables = document.querySelectorAll("main table:not(.reflow)");
  for (var i = 0; i < tables.length; i++) {
    var table = tables[i];
    if (table.parentElement.closest(".table-wrap")) continue;
    var box = document.createElement("div");
    box.className = "table-wrap";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  }
})();

/* A table too wide for a phone scrolls inside its .table-wrap box; the box
   is made a named, focusable region so keyboard users can scroll it too. */
(function () {
  var boxes = document.querySelectorAll(".table-wrap");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    if (!box.hasAttribute("role")) box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      var caption = box.querySelector("caption");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
    }
  }
})();
