// picker.js makes the pickers search as one types: the locality pickers
// of the filter forms, and the single choices of the admin forms (one
// locality, one source). Without it a picker still works: the form's
// submit runs the search on the server and shows the matches as inputs
// to tick.
//
// Contract with the HTML (web/templates/layout/filters.html, "picker"):
//   <fieldset data-picker data-search="/api/localities" data-name="locality"
//             data-list="localities" data-value="slug"
//             data-empty="…" data-short="…" data-error="…" [data-single]>
//     <ul class="picker-chosen"> <li><label><input type="checkbox" name="locality" value="slug" checked> …</label></li> </ul>
//     [<label class="picker-extra"><input type="radio" name="…" value="new"> …</label>]
//     <input type="search" name="locality_q">
//     <div class="picker-results" aria-live="polite"></div>
//   </fieldset>
// data-search?q=… answers {"localities": [{slug, label, group}, …]} (the
// list named by data-list, each match's value in its data-value member)
// in display order, grouped by province and level where matches have a
// group. A single choice (data-single) has radios: a pick replaces the
// chosen one and empties the search box, and text left in the box is
// sent, for the server to take as a slug or key. Text is set as text,
// never as HTML; no inline style (the CSP allows none).
(function () {
  'use strict';

  var MIN = 2;
  var DELAY = 200;

  function valueOf(picker, match) {
    return String(match[picker.getAttribute('data-value') || 'slug']);
  }

  function chosenValues(picker) {
    var out = {};
    picker.querySelectorAll('.picker-chosen input').forEach(function (box) {
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

  function checkbox(picker, name, value, label, checked) {
    var l = document.createElement('label');
    l.className = 'check';
    var box = document.createElement('input');
    box.type = picker.hasAttribute('data-single') ? 'radio' : 'checkbox';
    if (name) box.name = name;
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
    var value = valueOf(picker, match);
    if (picker.hasAttribute('data-single')) {
      list.textContent = '';
    }
    var existing = chosenValues(picker)[value];
    if (existing) {
      existing.checked = true;
      return;
    }
    var li = document.createElement('li');
    li.appendChild(checkbox(picker, name, value, match.label, true));
    list.appendChild(li);
    var all = picker.querySelector('.picker-all');
    if (all) all.hidden = true;
  }

  function render(picker, results, matches) {
    results.textContent = '';
    var chosen = chosenValues(picker);
    var group = null;
    var shown = 0;
    matches.forEach(function (m) {
      var value = valueOf(picker, m);
      if (chosen[value] && chosen[value].checked) return;
      var into = results;
      if (m.group) {
        if (!group || group.getAttribute('data-group') !== m.group) {
          group = document.createElement('fieldset');
          group.className = 'picker-group';
          group.setAttribute('data-group', m.group);
          var legend = document.createElement('legend');
          legend.textContent = m.group;
          group.appendChild(legend);
          results.appendChild(group);
        }
        into = group;
      }
      // A match is not a choice until ticked: it carries no name, so a
      // submit sends only what was chosen.
      var label = checkbox(picker, '', value, m.label, false);
      var box = label.querySelector('input');
      var from = into;
      box.addEventListener('change', function () {
        if (!box.checked) return;
        choose(picker, m);
        if (picker.hasAttribute('data-single')) {
          // The search has found its one: the box and its matches go.
          picker.querySelector('input[type=search]').value = '';
          results.textContent = '';
          return;
        }
        label.remove();
        if (from !== results && !from.querySelector('input')) from.remove();
      });
      into.appendChild(label);
      shown++;
    });
    if (!shown) message(results, picker.getAttribute('data-empty'));
  }

  function setup(picker) {
    var input = picker.querySelector('input[type=search]');
    var results = picker.querySelector('.picker-results');
    var url = picker.getAttribute('data-search');
    var list = picker.getAttribute('data-list') || 'localities';
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
          if (n === latest) render(picker, results, body[list] || []);
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
    // The search of a filter has done its work: it is not a filter of
    // the page. A single choice's text is a slug or key typed.
    var form = picker.closest('form');
    if (form && !picker.hasAttribute('data-single')) {
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
