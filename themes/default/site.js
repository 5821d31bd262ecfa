/* Comment-form validation and click-to-load video; the page works without it. */
(function () {
  var form = document.querySelector('.comment-form');
  if (form) {
    form.addEventListener('submit', function (ev) {
      var first = null;
      [['comment', 'comment-error'], ['author', 'author-error']].forEach(function (p) {
        var field = document.getElementById(p[0]), msg = document.getElementById(p[1]);
        if (!field || !msg) return;
        var empty = !field.value.trim();
        msg.hidden = !empty;
        if (empty) {
          field.setAttribute('aria-invalid', 'true');
          if (!first) first = field;
        } else {
          field.removeAttribute('aria-invalid');
        }
      });
      if (first) {
        ev.preventDefault();
        first.focus();
      }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('.video[data-video]'), function (box) {
    var btn = box.querySelector('.video-play');
    if (!btn) return;
    btn.addEventListener('click', function () {
      var url = box.getAttribute('data-video');
      if (!/^https?:\/\//.test(url)) return;
      var frame = document.createElement('iframe');
      frame.src = url;
      frame.title = 'فيديو';
      frame.allow = 'autoplay; encrypted-media; picture-in-picture';
      frame.allowFullscreen = true;
      box.textContent = '';
      box.appendChild(frame);
    });
  });
})();
