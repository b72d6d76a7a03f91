/* Warta's only site-wide script (the CSP forbids inline scripts).
   Forms marked data-confirm ask before a destructive action. */
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
