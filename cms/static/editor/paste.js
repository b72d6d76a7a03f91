/* Warta editor: keep the formatting of a paste from Google Docs or Word.
   Docs marks bold and italic with inline styles (<span style="font-weight:700">).
   Quill reads element.style, which is empty under our content-security policy
   (inline styles are refused, and must stay refused), so bold was lost.  These
   matchers read the style *attribute text* instead and turn it into real
   <strong>/<em>; Docs' <b style="font-weight:normal"> wrapper is dropped by
   Quill's own Docs normaliser, Word's <b>/<i>, links, headings and lists pass
   through Quill.  The server sanitises the result as always (cms/sanitize.py). */
(function () {
  "use strict";

  function declared(node, property) {
    var style = (node.getAttribute && node.getAttribute("style")) || "";
    var match = style.toLowerCase().match(new RegExp("(?:^|;)\\s*" + property + "\\s*:\\s*([^;]+)"));
    return match ? match[1].replace("!important", "").trim() : "";
  }

  function isBold(node) {
    var weight = declared(node, "font-weight");
    return weight === "bold" || weight === "bolder" || parseInt(weight, 10) >= 600;
  }

  function isItalic(node) {
    var style = declared(node, "font-style");
    return style === "italic" || style === "oblique";
  }

  function withFormat(Delta, delta, name) {
    return new Delta(delta.ops.map(function (op) {
      if (typeof op.insert !== "string" || op.insert === "\n" || (op.attributes && op.attributes[name] !== undefined)) {
        return op;
      }
      var attributes = Object.assign({}, op.attributes);
      attributes[name] = true;
      return { insert: op.insert, attributes: attributes };
    }));
  }

  /** Add the matchers to a Quill instance (called by editor.js). */
  function register(quill) {
    var Delta = window.Quill.import("delta");
    quill.clipboard.addMatcher(Node.ELEMENT_NODE, function (node, delta) {
      if (isBold(node)) { delta = withFormat(Delta, delta, "bold"); }
      if (isItalic(node)) { delta = withFormat(Delta, delta, "italic"); }
      return delta;
    });
    // The page title is the only <h1>: a pasted "Heading 1" becomes a section heading.
    quill.clipboard.addMatcher("h1", function (node, delta) {
      return new Delta(delta.ops.map(function (op) {
        if (op.attributes && op.attributes.header === 1) {
          return { insert: op.insert, attributes: Object.assign({}, op.attributes, { header: 2 }) };
        }
        return op;
      }));
    });
  }

  window.WartaPaste = { register: register, isBold: isBold, isItalic: isItalic };
}());
