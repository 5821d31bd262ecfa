/* The newsroom's small improvements; every form works without them.
 * A button with data-confirm asks before its form is sent. */
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var b = ev.submitter;
    var msg = (b && b.getAttribute("data-confirm")) || ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });
})();
