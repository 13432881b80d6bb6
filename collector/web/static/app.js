// The dashboard's only script: matrix cells open in a dialog, sign-off/confirmation ask first, deadlines count down, language sticks.
(function () {
  'use strict';
  var dialog = document.getElementById('cell');
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('#matrix .cell a:not(.tk)');
    if (a && dialog && typeof dialog.showModal === 'function') {
      e.preventDefault();
      fetch(a.getAttribute('href') + '&fragment=1', { credentials: 'same-origin' })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          dialog.querySelector('.content').innerHTML = html;
          dialog.showModal();
        });
    }
    // Sign-off and confirmation: the button opens its dialog (question, remark, the real submit).
    var opener = e.target.closest && e.target.closest('button[data-dialog]');
    var target = opener && document.getElementById(opener.getAttribute('data-dialog'));
    if (target && typeof target.showModal === 'function') target.showModal();
    var closer = e.target.closest && e.target.closest('dialog button[data-close]');
    if (closer) closer.closest('dialog').close();
    var lang = e.target.closest && e.target.closest('a[data-lang]');
    if (lang) document.cookie = 'xj_lang=' + lang.getAttribute('data-lang') + '; Path=/; SameSite=Strict; Max-Age=31536000';
  });
  function tick() {
    var now = Date.now();
    document.querySelectorAll('.countdown[data-due]').forEach(function (el) {
      var ms = Date.parse(el.getAttribute('data-due')) - now;
      var abs = Math.abs(ms);
      var text = Math.floor(abs / 3600000) + 'h ' + Math.floor((abs % 3600000) / 60000) + 'm';
      el.textContent = ms < 0 ? el.getAttribute('data-overdue') + ' ' + text : text + ' ' + el.getAttribute('data-left');
      el.classList.toggle('abnormal', ms < 0);
    });
  }
  setInterval(tick, 30000);
})();
