/* Warta editor: Quill on the body field, autosave from the first keystroke,
   the unsaved-changes warning, read-only mode and upload size checks.
   Without JavaScript the plain textarea still works; the server cleans all HTML. */
(function () {
  "use strict";
  var form = document.getElementById("post-form");
  if (!form) { return; }
  var source = form.querySelector("textarea.body-source");
  var holder = document.getElementById("body-editor");
  var fields = document.getElementById("post-fields");
  var status = document.getElementById("autosave-status");
  var quill = null;
  var AUTOSAVED = ["title", "summary", "body_html", "dateline"];
  var state = {
    dirty: false,         // autosaved fields changed since the last autosave
    other: false,         // other fields changed (saved only by "Simpan")
    inFlight: false,
    stopped: false,
    readOnly: !!form.dataset.readOnly,
    submitting: false,
    timer: null,
    backoff: 0
  };
  var delay = +form.dataset.autosaveDelay || 1500;

  function say(text, isError) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("error", !!isError);
    status.setAttribute("role", isError ? "alert" : "status");
  }

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
    if (window.WartaPaste) { window.WartaPaste.register(quill); }
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
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    quill.root.setAttribute("aria-label", "Isi naskah");
    quill.root.setAttribute("aria-describedby", "body-hint");
    quill.clipboard.dangerouslyPasteHTML(source.value || "", "silent");
    quill.on("text-change", function (delta, old, who) {
      sync();
      form.dispatchEvent(new CustomEvent("warta:body"));
      if (who === "user") { changed(true); }
    });
    form.addEventListener("submit", sync);
  }
  // getSemanticHTML gives real <ul>/<ol> (Quill keeps bullets as <ol data-list>).
  function html() { return quill.getLength() <= 1 ? "" : quill.getSemanticHTML(); }
  function sync() { if (quill) { source.value = html(); } }

  // ---------------------------------------------------------------- autosave
  var url = form.dataset.autosave;
  var token = form.querySelector("input[name='csrf_token']");
  function value(name) { var el = form.elements[name]; return el ? el.value : ""; }

  function changed(autosaved) {
    if (state.readOnly) { return; }
    if (!autosaved) { state.other = true; return; }
    state.dirty = true;
    if (!state.stopped) { later(delay); }
  }

  function later(ms) {
    if (state.timer) { return; }
    state.timer = window.setTimeout(function () { state.timer = null; save(); }, ms);
  }

  function adopt(data) {
    // A new post's first autosave created its draft: from now on this is its edit page.
    draftExists = true;
    url = data.autosave_url;
    form.dataset.autosave = url;
    form.action = data.edit_url;
    if (form.elements.version) { form.elements.version.value = data.version; }
    window.history.replaceState(null, "", data.edit_url);
    // The page now shows what the server shows for a draft: its heading and "Ajukan".
    var heading = document.getElementById("editor-heading");
    if (heading && heading.dataset.draftHeading) {
      var before = heading.textContent;
      heading.textContent = heading.dataset.draftHeading;
      document.title = document.title.replace(before, data.title || before);
    }
    var stateLine = document.getElementById("draft-state");
    var version = document.getElementById("draft-version");
    if (version) { version.textContent = data.version; }
    if (stateLine) { stateLine.hidden = false; }
    var submitNew = document.getElementById("submit-new-draft");
    if (submitNew && data.submit_url) {
      submitNew.action = data.submit_url;
      submitNew.hidden = false;
    }
  }

  function stop(message) {
    state.stopped = true;
    say(message + " Simpan otomatis dihentikan; salin isian Anda sebelum meninggalkan halaman.", true);
  }

  function retry() {
    state.backoff = Math.min(state.backoff ? state.backoff * 2 : 5000, 300000);
    say("Simpan otomatis gagal (koneksi atau server); dicoba lagi dalam " + Math.round(state.backoff / 1000) + " detik.", true);
    later(state.backoff);
  }

  var current = null;  // the autosave request in flight, if any
  // A new post has no draft until its first autosave answers (adopt); while
  // that request is out, "creating" is it, and the form waits for it (below).
  var draftExists = !document.getElementById("draft-state");
  var creating = null;

  function save() {
    if (!state.dirty || state.inFlight || state.stopped || state.readOnly || state.submitting || !url) {
      return Promise.resolve(!state.dirty);
    }
    state.dirty = false;
    state.inFlight = true;
    sync();
    var body = {};
    AUTOSAVED.forEach(function (name) { body[name] = value(name); });
    current = fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { code: response.status, data: data };
      });
    }).then(function (result) {
      state.inFlight = false;
      var data = result.data;
      if (result.code < 300 && data.ok) {
        state.backoff = 0;
        if (data.created) { adopt(data); }
        say("Tersimpan otomatis " + data.saved_at + ".");
        if (state.dirty) { later(delay); }
        return true;
      }
      state.dirty = true;  // not stored: still unsaved
      if (result.code >= 400 && result.code < 500) {
        if (data.read_only) { readOnly(data.error); return false; }
        stop(data.error || ("Simpan otomatis ditolak server (kode " + result.code + ")."));
        return false;
      }
      retry();
      return false;
    }).catch(function () {
      state.inFlight = false;
      state.dirty = true;
      retry();
      return false;
    });
    if (!draftExists) {
      var answered = current.then(function () { if (creating === answered) { creating = null; } });
      creating = answered;
    }
    return current;
  }

  // Save the pending text now (skipping the delay); resolves true once the
  // server has everything autosave covers, false if it could not be stored.
  function flush() {
    if (state.timer) { window.clearTimeout(state.timer); state.timer = null; }
    return Promise.resolve(state.inFlight ? current : null).then(function () {
      if (!state.dirty) { return true; }
      if (state.stopped || state.readOnly) { return false; }
      return save();
    });
  }

  // A form that reloads the page (gallery, "Ajukan") first stores the text;
  // if that fails it does not submit and onFail says why.
  function submitAfterFlush(target, onFail) {
    var going = false;
    target.addEventListener("submit", function (event) {
      if (event.defaultPrevented || going) { return; }
      event.preventDefault();
      flush().then(function (ok) {
        if (!ok) { onFail(); return; }
        going = true;
        HTMLFormElement.prototype.submit.call(target);
      });
    });
  }
  window.WartaEditor = { flush: flush, submitAfterFlush: submitAfterFlush };
  Array.prototype.forEach.call(document.querySelectorAll("form.flush-first"), function (target) {
    submitAfterFlush(target, function () {
      say("Naskah belum diajukan: isian terakhir belum tersimpan otomatis. Tekan Simpan lalu coba lagi.", true);
    });
  });

  form.addEventListener("input", function (event) {
    var name = event.target && event.target.name;
    if (!name || (quill && event.target === source)) { return; }
    changed(AUTOSAVED.indexOf(name) >= 0);
  });
  form.addEventListener("change", function (event) {
    var name = event.target && event.target.name;
    if (name && AUTOSAVED.indexOf(name) < 0) { changed(false); }
  });
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.formTarget === "_blank") { return; }  // preview: the page stays
    // The form carries everything: a late autosave would only re-take the edit lock.
    state.submitting = true;
    if (state.timer) { window.clearTimeout(state.timer); state.timer = null; }
  });

  // Leaving with changes the server does not have yet asks first.
  window.addEventListener("beforeunload", function (event) {
    if (state.submitting || state.readOnly) { return; }
    if (state.dirty || state.inFlight || state.other) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ---------------------------------------------------------------- read-only
  function readOnly(reason) {
    state.readOnly = true;
    state.dirty = false;
    state.other = false;
    if (state.timer) { window.clearTimeout(state.timer); state.timer = null; }
    if (fields) { fields.disabled = true; }
    if (quill) { quill.enable(false); }
    Array.prototype.forEach.call(document.querySelectorAll("button[form='post-form']"), function (b) { b.disabled = true; });
    var banner = document.getElementById("read-only-banner");
    var why = document.getElementById("read-only-reason");
    if (why && reason) { why.textContent = reason; }
    if (banner) { banner.hidden = false; }
    say("Simpan otomatis berhenti: naskah hanya dapat dibaca.", true);
  }
  if (state.readOnly && quill) { quill.enable(false); }

  // ---------------------------------------------------------------- uploads
  // Refuse oversized files before a long upload fails on the server.
  var limits = { featured_upload: +form.dataset.maxImage, attachment_uploads: +form.dataset.maxFile };
  form.addEventListener("submit", function (event) {
    Object.keys(limits).forEach(function (name) {
      var input = form.querySelector("input[name='" + name + "']");
      if (!input || !input.files || !limits[name]) { return; }
      Array.prototype.forEach.call(input.files, function (file) {
        if (file.size > limits[name]) {
          event.preventDefault();
          state.submitting = false;
          var mb = Math.round(limits[name] / 1048576);
          window.alert("Berkas \u201c" + file.name + "\u201d terlalu besar; maksimal " + mb + " MB.");
          input.value = "";
        }
      });
    });
  });

  // "Simpan" while the first autosave is still creating the draft: the form
  // would go to /posts/new and make a second post.  Wait for the answer, then
  // send the form again, to the draft's own address (adopt).
  var queued = false;
  form.addEventListener("submit", function (event) {
    if (!creating || event.defaultPrevented) { return; }
    if (event.submitter && event.submitter.formTarget === "_blank") { return; }  // preview
    event.preventDefault();
    if (queued) { return; }  // a second click sends it once
    queued = true;
    var submitter = event.submitter;
    creating.then(function () {
      queued = false;
      if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    });
  });

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
      form.dispatchEvent(new CustomEvent("warta:body"));
      state.other = true;
      say("Isian simpanan otomatis dipulihkan; tekan Simpan untuk menyimpannya.");
    });
  }
}());
