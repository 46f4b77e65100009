// admin.js helps the admin forms; every form works without it.
//   - Choosing an indicator sets the category and unit it belongs to
//     (<option data-category data-unit> of #indicator).
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
