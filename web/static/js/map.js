// map.js draws the province map of /map: the server puts the ECharts
// options (a map series and its visualMap) into the page as JSON and names
// the boundaries to fetch; this script registers them and draws. It is
// loaded only by the map page, with the map bundle
// (vendor/echarts/echarts.map.min.js, scripts/echarts/map-entry.js), so
// that no other page loads either.
//
// Contract with the HTML (web/templates/pages/map.html):
//   <div class="map-canvas" id="chart-X" role="img" aria-label="…"
//        data-map="vn63" data-geo="/static/…/vn63.json" data-null-text="…"></div>
//   <script type="application/json" id="chart-X-options">{…}</script>
// Data items are {name, value, text}: text is the value as the page writes
// it, with unit and period. Provinces without an item are drawn grey
// (itemStyle.areaColor), never as zero. The script sets
// data-chart-state="ready" or "error" on the canvas. islandLabels
// ({text, coord: [lon, lat]}) are names written on the map (the Hoàng Sa
// and Trường Sa archipelagos): graphic texts placed at their coordinates,
// again after each resize.
(function () {
  'use strict';

  var lang = /^vi\b/i.test(document.documentElement.lang || '') ? 'vi' : 'en';
  var errorText = lang === 'vi' ? 'Không vẽ được bản đồ.' : 'The map could not be drawn.';
  var numberFormat = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 1 });

  function showError(el) {
    el.setAttribute('data-chart-state', 'error');
    var p = document.createElement('p');
    p.className = 'chart-error';
    p.textContent = errorText;
    el.parentNode.insertBefore(p, el);
    el.hidden = true;
  }

  function prepare(opts, el) {
    var nullText = el.getAttribute('data-null-text') || '–';
    opts.animation = false;
    // Canvas text gets a font with Vietnamese letters only when told.
    opts.textStyle = Object.assign({ fontFamily: window.getComputedStyle(el).fontFamily || 'sans-serif' }, opts.textStyle);
    opts.aria = { enabled: true, label: { description: el.getAttribute('aria-label') || '' } };
    // richText: the HTML tooltip writes inline styles, which the CSP forbids.
    opts.tooltip = Object.assign({}, opts.tooltip, {
      renderMode: 'richText',
      formatter: function (p) {
        var text = p.data && typeof p.data.text === 'string' ? p.data.text : nullText;
        return p.name + ': ' + text;
      }
    });
    (Array.isArray(opts.visualMap) ? opts.visualMap : [opts.visualMap]).forEach(function (v) {
      if (v) v.formatter = function (x) { return numberFormat.format(x); };
    });
    return opts;
  }

  // placeLabels writes the labels at their coordinates on the map series.
  function placeLabels(chart, labels, font) {
    var elements = [];
    labels.forEach(function (l, i) {
      var px = chart.convertToPixel({ seriesIndex: 0 }, l.coord);
      if (!px) return;
      elements.push({
        type: 'text', id: 'island-' + i, x: px[0], y: px[1], silent: true,
        style: { text: l.text, fill: '#333', font: '11px ' + font, align: 'center', verticalAlign: 'bottom' }
      });
    });
    chart.setOption({ graphic: elements });
  }

  function draw(el) {
    var script = document.getElementById(el.id + '-options');
    var opts;
    try {
      opts = JSON.parse(script ? script.textContent : '');
    } catch (e) {
      opts = null;
    }
    if (!opts || typeof echarts === 'undefined' || !window.fetch) {
      showError(el);
      return;
    }
    fetch(el.getAttribute('data-geo'), { credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('boundaries: ' + res.status);
        return res.json();
      })
      .then(function (geo) {
        echarts.registerMap(el.getAttribute('data-map'), geo);
        var chart = echarts.init(el, null, { locale: lang === 'vi' ? 'VI' : 'EN', renderer: 'canvas' });
        var labels = opts.islandLabels || [];
        delete opts.islandLabels;
        chart.setOption(prepare(opts, el));
        var place = function () { placeLabels(chart, labels, opts.textStyle.fontFamily); };
        place();
        el.setAttribute('data-chart-state', 'ready');
        window.addEventListener('resize', function () { chart.resize(); place(); });
        window.addEventListener('beforeprint', function () { chart.resize(); place(); });
      })
      .catch(function () {
        if (echarts.getInstanceByDom(el)) echarts.getInstanceByDom(el).dispose();
        showError(el);
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll('.map-canvas'), draw);
})();
