/* Comment form (validation, replying under a comment) and click-to-load
   video. Only an enhancement: without it the server validates, ?replytocom=N
   pages carry the reply, and the video link still plays. */
(function () {
  var form = document.getElementById('comment-form') || document.querySelector('.comment-form');
  // characters as the server counts them: code points, not UTF-16 units
  function chars(s) { return s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '.').length; }
  // field, its message, most characters, message when empty, when too long
  var checks = [['comment', 'comment-error', 5000, 'من فضلك ادخل تعليقك', 'التعليق أطول من 5000 حرف'],
    ['author', 'author-error', 100, 'من فضلك ادخل اسمك هنا', 'الاسم أطول من 100 حرف']];
  if (form) {
    form.addEventListener('submit', function (ev) {
      var first = null;
      // only these fields' messages are touched: the server's others stay shown
      checks.forEach(function (c) {
        var field = document.getElementById(c[0]), msg = document.getElementById(c[1]);
        if (!field || !msg) return;
        var v = field.value.trim(), problem = !v ? c[3] : chars(v) > c[2] ? c[4] : '';
        msg.hidden = !problem;
        if (problem) {
          msg.textContent = problem;
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
    replies();
  }

  /* «رد» moves the form under the comment and sets its parent; «إلغاء الرد»
     puts it back where the page had it (a comment node marks the place). */
  function replies() {
    var respond = document.getElementById('respond'), parent = document.getElementById('comment-parent'),
      text = document.getElementById('comment'), line = document.getElementById('reply-to'),
      who = document.getElementById('reply-name'), cancel = document.getElementById('cancel-reply'), home = null;
    if (!respond || !parent || !text) return;
    function moveUnder(id) {
      var li = document.getElementById('comment-' + id), body = li && li.querySelector('.comment-body');
      if (!li) return false;
      if (!home) {
        home = document.createComment(' respond ');
        respond.parentNode.insertBefore(home, respond);
      }
      li.insertBefore(respond, body && body.parentNode === li ? body.nextSibling : null);
      return true;
    }
    Array.prototype.forEach.call(document.querySelectorAll('a.comment-reply[data-id]'), function (a) {
      a.addEventListener('click', function (ev) {
        var id = a.getAttribute('data-id');
        if (!moveUnder(id)) return;
        ev.preventDefault();
        parent.value = id;
        if (who) who.textContent = a.getAttribute('data-author') || '';
        if (line) line.hidden = false;
        text.focus();
      });
    });
    if (cancel) {
      cancel.addEventListener('click', function (ev) {
        ev.preventDefault();
        if (home) home.parentNode.insertBefore(respond, home);
        parent.value = '';
        if (line) line.hidden = true;
        text.focus();
      });
    }
    // a page that already carries a reply (?replytocom=N, or refused) shows the form under it too
    if (parent.value) moveUnder(parent.value);
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
