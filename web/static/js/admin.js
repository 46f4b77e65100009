// admin.js helps the admin forms; every form works without it.
//   - Choosing an indicator sets the category and unit it belongs to
//     (<option data-category data-unit> of #indicator).
//   - The review queue (/admin/review, [data-review-item]) answers single
//     keys: v confirms the current item (the one holding the focus, else
//     the first), r moves to its reason field, j and k move the focus to the
//     next or previous item's confirm button, Escape leaves a reason field.
//     Keys typed into a field are text, never commands.
(function () {
  'use strict';
  var ind = document.getElementById('indicator');
  if (!ind) return;
  ind.addEventListener('change', function () {
    var opt = ind.options[ind.selectedIndex];
    if (!opt) return;
    [['category', opt.getAttribute('data-category')], ['unit', opt.getAttribute('data-unit')]].forEach(function (pair) {
      var el = document.getElementById(pair[0]);
      if (el && pair[1]) el.value = pair[1];
    });
  });
})();

(function () {
  'use strict';
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-review-item]'));
  if (!items.length) return;
  items.forEach(function (it) {
    var confirm = it.querySelector('[data-review-confirm]');
    var reason = it.querySelector('[data-review-reason]');
    if (confirm) confirm.setAttribute('aria-keyshortcuts', 'v');
    if (reason) reason.setAttribute('aria-keyshortcuts', 'r');
  });
  var sent = false; // one confirmation per page: a second key would post a stale version

  function typing(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
    return el.tagName === 'INPUT' && !/^(button|submit|reset|checkbox|radio|image)$/i.test(el.type);
  }

  // The index of the item holding the focus, or -1.
  function current() {
    var a = document.activeElement;
    var it = a && a.closest ? a.closest('[data-review-item]') : null;
    return it ? items.indexOf(it) : -1;
  }

  function focusConfirm(i) {
    var b = items[i] && items[i].querySelector('[data-review-confirm]');
    if (b) b.focus();
  }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var i = current();
    if (typing(e.target)) {
      if (e.key === 'Escape' && e.target.hasAttribute('data-review-reason') && i >= 0) {
        focusConfirm(i);
        e.preventDefault();
      }
      return;
    }
    switch (e.key) {
    case 'v':
      var b = items[Math.max(i, 0)].querySelector('[data-review-confirm]');
      if (!b || sent) break;
      sent = true;
      if (b.form.requestSubmit) b.form.requestSubmit(b); else b.click();
      break;
    case 'r':
      var r = items[Math.max(i, 0)].querySelector('[data-review-reason]');
      if (r) r.focus();
      break;
    case 'j':
      focusConfirm(Math.min(i + 1, items.length - 1));
      break;
    case 'k':
      focusConfirm(Math.max(i - 1, 0));
      break;
    default:
      return;
    }
    e.preventDefault();
  });
})();
