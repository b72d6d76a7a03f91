/* Warta editor: Quill on the body field, autosave, upload size checks.
   Without JavaScript the plain textarea still works; the server cleans all HTML. */
(function () {
  "use strict";
  var form = document.getElementById("post-form");
  if (!form) { return; }
  var source = form.querySelector("textarea.body-source");
  var holder = document.getElementById("body-editor");
  var quill = null;

  if (window.Quill && source && holder) {
    holder.hidden = false;
    source.hidden = true;
    quill = new window.Quill(holder, {
      theme: "snow",
      modules: {
        toolbar: [[{ header: [2, 3, false] }], ["bold", "italic", "underline"],
                  [{ list: "ordered" }, { list: "bullet" }], ["blockquote", "link"], ["clean"]]
      }
    });
    // Name every toolbar control for screen readers (Quill leaves some unnamed).
    var labels = { "ql-header": "Gaya paragraf", "ql-bold": "Tebal", "ql-italic": "Miring",
                   "ql-underline": "Garis bawah", "ql-list": "Daftar", "ql-blockquote": "Kutipan",
                   "ql-link": "Tautan", "ql-clean": "Hapus format" };
    Array.prototype.forEach.call(document.querySelectorAll(".ql-toolbar button, .ql-toolbar .ql-picker-label"), function (el) {
      if (el.getAttribute("aria-label")) { return; }
      var picker = el.closest(".ql-picker");
      var cls = (picker || el).className.split(/\s+/).filter(function (c) { return labels[c]; })[0];
      var label = labels[cls] || "Format";
      if (el.value) { label += " (" + (el.value === "ordered" ? "bernomor" : el.value === "bullet" ? "berbutir" : el.value) + ")"; }
      el.setAttribute("aria-label", label);
      el.setAttribute("title", label);
    });
    quill.clipboard.dangerouslyPasteHTML(source.value || "");
    // getSemanticHTML gives real <ul>/<ol> (Quill keeps bullets as <ol data-list>).
    var html = function () { return quill.getLength() <= 1 ? "" : quill.getSemanticHTML(); };
    var sync = function () { source.value = html(); };
    quill.on("text-change", function () { sync(); dirty = true; });
    form.addEventListener("submit", sync);
  }

  // Refuse oversized files before a long upload fails on the server.
  var limits = { featured_upload: +form.dataset.maxImage, attachment_uploads: +form.dataset.maxFile };
  form.addEventListener("submit", function (event) {
    Object.keys(limits).forEach(function (name) {
      var input = form.querySelector("input[name='" + name + "']");
      if (!input || !input.files || !limits[name]) { return; }
      Array.prototype.forEach.call(input.files, function (file) {
        if (file.size > limits[name]) {
          event.preventDefault();
          var mb = Math.round(limits[name] / 1048576);
          window.alert("Berkas \u201c" + file.name + "\u201d terlalu besar; maksimal " + mb + " MB.");
          input.value = "";
        }
      });
    });
  });

  // Autosave every 30 s while there are unsaved changes (kept aside, no new version).
  var dirty = false;
  var status = document.getElementById("autosave-status");
  form.addEventListener("input", function () { dirty = true; });
  var url = form.dataset.autosave;
  var token = form.querySelector("input[name='csrf_token']");
  function field(name) { var el = form.elements[name]; return el ? el.value : ""; }
  if (url) {
    window.setInterval(function () {
      if (!dirty) { return; }
      dirty = false;
      if (quill) { source.value = html(); }
      fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
        body: JSON.stringify({ title: field("title"), summary: field("summary"),
                               body_html: field("body_html"), dateline: field("dateline") })
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (status) { status.textContent = data.ok ? "Tersimpan otomatis " + data.saved_at : (data.error || ""); }
      }).catch(function () {
        dirty = true;
        if (status) { status.textContent = "Simpan otomatis gagal; periksa koneksi."; }
      });
    }, 30000);
  }

  var restore = document.getElementById("restore-autosave");
  var saved = document.getElementById("autosave-data");
  if (restore && saved) {
    restore.addEventListener("click", function () {
      var data = JSON.parse(saved.innerHTML);
      ["title", "summary", "dateline"].forEach(function (name) {
        if (data[name] !== undefined && form.elements[name]) { form.elements[name].value = data[name]; }
      });
      if (data.body_html !== undefined) {
        source.value = data.body_html;
        if (quill) { quill.clipboard.dangerouslyPasteHTML(data.body_html); }
      }
      if (status) { status.textContent = "Isian simpanan otomatis dipulihkan; tekan Simpan untuk menyimpannya."; }
    });
  }
}());
