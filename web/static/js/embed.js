// embed.js runs in the embeds (/embed/…, layout/embed.html), before
// charts.js: it gives each chart canvas the height the server chose
// (data-height; the CSP allows no inline style), then tells the page that
// frames the embed how tall the document is, so that the iframe shows it
// whole without a scroll bar.
//
// Protocol (README, "Embeds"): the embed posts to its parent
//   {type: "cadrestats:resize", height: <CSS pixels>, path: location.pathname}
// once drawn and whenever its height changes (a phone turned, fonts
// loaded). The height is not secret, so any parent may read it; the host's
// listener checks that the message comes from our origin and from the
// iframe it resizes (public/embed.go EmbedSnippet).
(function () {
  'use strict';

  Array.prototype.forEach.call(document.querySelectorAll('.chart-canvas[data-height]'), function (el) {
    var h = parseInt(el.getAttribute('data-height'), 10);
    if (h > 0) el.style.height = h + 'px';
  });

  if (window.parent === window) return; // opened on its own

  var last = 0;
  function post() {
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h === last || h <= 0) return;
    last = h;
    window.parent.postMessage({ type: 'cadrestats:resize', height: h, path: location.pathname }, '*');
  }

  if (window.ResizeObserver) {
    new ResizeObserver(post).observe(document.documentElement);
  }
  window.addEventListener('resize', post);
  window.addEventListener('load', post);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', post);
  } else {
    post();
  }
})();
