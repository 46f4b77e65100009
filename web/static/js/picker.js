// picker.js makes the locality picker of the filter forms search as one
// types. Without it the picker still works: the form's submit runs the
// search on the server and shows the matches as boxes to tick.
//
// Contract with the HTML (web/templates/layout/filters.html, "picker"):
//   <fieldset data-picker data-search="/api/localities" data-name="locality"
//             data-empty="…" data-short="…" data-error="…" [data-single]>
//     <ul class="picker-chosen"> <li><label><input type="checkbox" name="locality" value="slug" checked> …</label></li> </ul>
//     <input type="search" name="locality_q">
//     <div class="picker-results" aria-live="polite"></div>
//   </fieldset>
// /api/localities?q=… answers {"localities": [{slug, label, group}, …]} in
// display order, grouped by province and level. Text is set as text,
// never as HTML; no inline style (the CSP allows none).
(function () {
  'use strict';

  var MIN = 2;
  var DELAY = 200;

  function chosenSlugs(picker) {
    var out = {};
    picker.querySelectorAll('.picker-chosen input[type=checkbox]').forEach(function (box) {
      out[box.value] = box;
    });
    return out;
  }

  function message(results, text) {
    results.textContent = '';
    var p = document.createElement('p');
    p.className = 'hint';
    p.textContent = text;
    results.appendChild(p);
  }

  function checkbox(name, value, label, checked) {
    var l = document.createElement('label');
    l.className = 'check';
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.name = name;
    box.value = value;
    box.checked = checked;
    l.appendChild(box);
    l.appendChild(document.createTextNode(' ' + label));
    return l;
  }

  // choose moves a ticked match into the chosen list.
  function choose(picker, match) {
    var list = picker.querySelector('.picker-chosen');
    var name = picker.getAttribute('data-name');
    if (picker.hasAttribute('data-single')) {
      list.textContent = '';
    }
    var existing = chosenSlugs(picker)[match.slug];
    if (existing) {
      existing.checked = true;
      return;
    }
    var li = document.createElement('li');
    li.appendChild(checkbox(name, match.slug, match.label, true));
    list.appendChild(li);
    var all = picker.querySelector('.picker-all');
    if (all) all.hidden = true;
  }

  function render(picker, results, matches) {
    results.textContent = '';
    var chosen = chosenSlugs(picker);
    var group = null;
    var shown = 0;
    matches.forEach(function (m) {
      if (chosen[m.slug] && chosen[m.slug].checked) return;
      if (!group || group.getAttribute('data-group') !== m.group) {
        group = document.createElement('fieldset');
        group.className = 'picker-group';
        group.setAttribute('data-group', m.group);
        var legend = document.createElement('legend');
        legend.textContent = m.group;
        group.appendChild(legend);
        results.appendChild(group);
      }
      // A match is not a choice until ticked: it carries no name, so a
      // submit sends only what was chosen.
      var label = checkbox('', m.slug, m.label, false);
      var box = label.querySelector('input');
      box.addEventListener('change', function () {
        if (!box.checked) return;
        choose(picker, m);
        label.remove();
        if (group && !group.querySelector('input')) group.remove();
      });
      group.appendChild(label);
      shown++;
    });
    if (!shown) message(results, picker.getAttribute('data-empty'));
  }

  function setup(picker) {
    var input = picker.querySelector('input[type=search]');
    var results = picker.querySelector('.picker-results');
    var url = picker.getAttribute('data-search');
    if (!input || !results || !url || !window.fetch) return;
    var timer = null;
    var latest = 0;

    function search() {
      var q = input.value.trim();
      var n = ++latest;
      if (q === '') {
        results.textContent = '';
        return;
      }
      if (q.length < MIN) {
        message(results, picker.getAttribute('data-short'));
        return;
      }
      fetch(url + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
        .then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.json();
        })
        .then(function (body) {
          if (n === latest) render(picker, results, body.localities || []);
        })
        .catch(function () {
          if (n === latest) message(results, picker.getAttribute('data-error'));
        });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    // Enter searches at once instead of submitting the whole form.
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        clearTimeout(timer);
        search();
      }
    });
    // The search has done its work: it is not a filter of the page.
    var form = picker.closest('form');
    if (form) {
      form.addEventListener('submit', function () {
        input.removeAttribute('name');
      });
    }
  }

  function init() {
    document.querySelectorAll('[data-picker]').forEach(setup);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
