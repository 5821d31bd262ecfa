/* The article editor's live preview: the body sent to /admin/preview a
 * moment after the last keystroke, and the site's own rendering of it
 * (sanitised on the server) shown under the text. Without JavaScript the
 * editor works the same, with the preview link instead. */
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  var body = document.getElementById("ed-body");
  var out = document.getElementById("ed-preview");
  if (!form || !body || !out || !window.fetch) return;
  var timer = 0, sent = 0;

  function render() {
    var n = ++sent;
    var data = new URLSearchParams();
    data.set("csrf", form.elements.csrf.value);
    data.set("format", body.getAttribute("data-format") || "markdown");
    data.set("body", body.value);
    fetch("/admin/preview", { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (n === sent) out.innerHTML = html; })
      .catch(function () { if (n === sent) out.textContent = "تعذّرت المعاينة الآن."; });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(render, 400);
  });
  render();
})();
