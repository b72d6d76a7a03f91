/* Warta gallery editor: move photos up/down (renumbering the order fields)
   and insert a photo's code into the body.  Without JavaScript the order
   numbers and the typed codes do the same. */
(function () {
  "use strict";
  var form = document.getElementById("gallery-form");
  if (!form) { return; }
  var list = form.querySelector(".gallery-list");
  var status = document.getElementById("gallery-status");
  var say = function (text) { if (status) { status.textContent = text; } };

  var renumber = function () {
    if (!list) { return; }
    Array.prototype.forEach.call(list.children, function (row, i) {
      var input = row.querySelector(".gallery-position");
      if (input) { input.value = i + 1; }
    });
  };

  var insertCode = function (code) {
    var holder = document.getElementById("body-editor");
    var quill = window.Quill && holder && !holder.hidden ? window.Quill.find(holder) : null;
    if (quill && quill.insertText) {
      var range = quill.getSelection() || { index: Math.max(quill.getLength() - 1, 0) };
      quill.insertText(range.index, "\n" + code + "\n", "user");
      quill.setSelection(range.index + code.length + 2, 0);
      return true;
    }
    var source = document.querySelector("#post-form textarea.body-source");
    if (!source) { return false; }
    var at = source.selectionStart || source.value.length;
    source.value = source.value.slice(0, at) + "\n<p>" + code + "</p>\n" + source.value.slice(at);
    source.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  };

  var button = function (label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn secondary small";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  };

  if (list) {
    Array.prototype.forEach.call(list.children, function (row) {
      var tools = row.querySelector(".gallery-tools");
      var code = row.getAttribute("data-code");
      tools.appendChild(button("Naik", function (event) {
        var prev = row.previousElementSibling;
        if (prev) { list.insertBefore(row, prev); renumber(); say("Foto dipindah ke urutan " + row.querySelector(".gallery-position").value + "."); }
        event.currentTarget.focus();
      }));
      tools.appendChild(button("Turun", function (event) {
        var next = row.nextElementSibling;
        if (next) { list.insertBefore(next, row); renumber(); say("Foto dipindah ke urutan " + row.querySelector(".gallery-position").value + "."); }
        event.currentTarget.focus();
      }));
      tools.appendChild(button("Sisipkan ke isi", function () {
        say(insertCode(code) ? "Kode " + code + " disisipkan ke isi naskah. Simpan naskah." : "Salin kode " + code + " ke isi naskah.");
      }));
      tools.hidden = false;
    });
  }

  // New photos need their alt text: ask for it at the field, before the
  // upload, instead of a refusal flashed at the top of a long page.
  var uploads = form.querySelector("input[name='gallery_uploads']");
  var alt = form.querySelector("input[name='gallery_alt']");
  function altNeeded() {
    alt.required = uploads.files.length > 0;
    alt.setAttribute("aria-required", alt.required ? "true" : "false");
    return alt.required && !alt.value.trim();
  }
  if (uploads && alt) {
    uploads.addEventListener("change", altNeeded);
    altNeeded();  // photos chosen before this script ran (slow connection)
    // The form may be sent before "change" reached us: check again on submit.
    form.addEventListener("submit", function (event) {
      if (altNeeded()) { event.preventDefault(); alt.reportValidity(); alt.focus(); }
    });
  }

  // Refuse oversized photos before a long upload fails on the server.
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[name='gallery_uploads']");
    var limit = +form.dataset.maxImage;
    if (!input || !input.files || !limit) { return; }
    Array.prototype.forEach.call(input.files, function (file) {
      if (file.size > limit) {
        event.preventDefault();
        window.alert("Foto \u201c" + file.name + "\u201d terlalu besar; maksimal " + Math.round(limit / 1048576) + " MB.");
        input.value = "";
      }
    });
  });

  // The page reloads after the gallery is saved: store the writer's pending
  // text first (autosave), and keep the page if that fails.
  var unsaved = document.getElementById("gallery-unsaved");
  if (window.WartaEditor) {
    window.WartaEditor.submitAfterFlush(form, function () {
      if (unsaved) { unsaved.hidden = false; unsaved.scrollIntoView({ block: "center" }); }
    });
    form.addEventListener("input", function () { if (unsaved) { unsaved.hidden = true; } });
  }
})();
