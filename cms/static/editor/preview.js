/* Warta editor: word count, reading time, search result and social card,
   updated while typing.  The cut rules mirror cms/newsroom/editor/reading.py. */
(function () {
  "use strict";
  var form = document.getElementById("post-form");
  var aids = document.getElementById("writing-aids");
  if (!form || !aids) { return; }
  var wpm = +aids.dataset.wpm || 200;
  var titleCut = +aids.dataset.titleCut || 60;
  var descriptionCut = +aids.dataset.descriptionCut || 158;

  function cut(text, limit) {
    text = (text || "").split(/\s+/).filter(Boolean).join(" ");
    if (text.length <= limit) { return text; }
    var head = text.slice(0, limit - 1);
    if (head.indexOf(" ") >= 0) { head = head.slice(0, head.lastIndexOf(" ")); }
    return head.replace(/[\s,.;:\u2014-]+$/, "") + " \u2026";
  }

  function bodyText() {
    var editor = document.querySelector("#body-editor .ql-editor");
    if (editor && !document.getElementById("body-editor").hidden) { return editor.innerText || ""; }
    var holder = document.createElement("div");
    holder.innerHTML = (form.elements.body_html.value || "").replace(/<\/(p|li|h\d)>|<br\s*\/?>/gi, " ");
    return holder.textContent || "";
  }

  function set(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }

  function update() {
    var body = bodyText();
    var words = body.split(/\s+/).filter(Boolean).length;
    set("word-count", String(words));
    set("reading-minutes", String(words ? Math.ceil(words / wpm) : 0));
    var title = form.elements.title ? form.elements.title.value : "";
    var summary = (form.elements.summary ? form.elements.summary.value : "").trim();
    // An empty summary is taken from the body when saved (posts.summary_from): show that.
    var description = summary || cut(body, 280);
    set("serp-title", cut(title, titleCut) || "(judul)");
    set("serp-description", cut(description, descriptionCut));
    set("card-title", title.trim());
    set("card-description", description);
  }

  form.addEventListener("input", update);
  form.addEventListener("warta:body", update);
  update();
}());
