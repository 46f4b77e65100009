// charts.js draws the charts whose ECharts options the server put into the
// page as JSON, and wires the buttons beside them. It is the only script of
// the pages: the CSP allows no inline script or style, so everything that
// needs a function (number formatting, empty charts) is added here.
//
// Contract with the HTML (internal/browsertest/browsertest_test.go follows it):
//   <html lang="vi">  (or "en": chooses number format, ECharts locale, texts)
//   <script src="/static/vendor/echarts/echarts.custom.min.js" defer></script>
//        (ECharts 5 with the Vietnamese locale 'VI': scripts/echarts/entry.js)
//   <script src="/static/js/charts.js" defer></script>
//   <figure class="chart" data-chart-id="X">
//     <div class="chart-canvas" id="chart-X" role="img" aria-label="…"
//          data-unit="người" data-empty-text="Không có số liệu"
//          data-null-text="chưa báo cáo"></div>            (data-* optional)
//     <script type="application/json" id="chart-X-options">{…}</script>
//     <div class="chart-table" id="chart-X-table" hidden>…</div>   (optional)
//     <button type="button" class="chart-toggle-table" data-target="chart-X"
//             data-label-table="Xem bảng" data-label-chart="Xem biểu đồ">Xem bảng</button>
//     <button type="button" class="chart-png" data-target="chart-X"
//             data-filename="x.png">PNG</button>
//   </figure>
// The script sets data-chart-state="ready", "empty" or "error" on each
// canvas. Data items may carry a string "label" to print instead of the
// number; null values are never labelled.
(function () {
  'use strict';

  var lang = /^vi\b/i.test(document.documentElement.lang || '') ? 'vi' : 'en';

  var texts = {
    vi: { empty: 'Không có số liệu', error: 'Không vẽ được biểu đồ.', missing: '–' },
    en: { empty: 'No data', error: 'The chart could not be drawn.', missing: '–' }
  }[lang];

  // ECharts prints 1,700 whatever the locale; Vietnamese readers expect
  // 1.700 and 62,5.
  var numberFormat = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', {
    maximumFractionDigits: 1
  });

  // An A4 page less the 15 mm print margins of app.css (180 mm) in CSS
  // pixels: the width charts get while the print layout is being built.
  var PRINT_WIDTH = 680;

  var charts = []; // {el, chart}

  function asArray(v) {
    if (v == null) return [];
    return Array.isArray(v) ? v : [v];
  }

  // valueOf returns the number of a data item, or null when it was not
  // reported. ECharts data items are numbers, strings, arrays or objects with
  // a value field; go-echarts writes a missing value as {}.
  function valueOf(item) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      item = item.value;
    }
    if (Array.isArray(item)) {
      // [x, y]: the last dimension is the value on a value axis.
      item = item[item.length - 1];
    }
    if (item == null || item === '' || item === '-') return null;
    var n = Number(item);
    return isFinite(n) ? n : null;
  }

  function formatNumber(v) {
    var n = valueOf(v);
    return n === null ? null : numberFormat.format(n);
  }

  function withUnit(s, unit) {
    if (!unit) return s;
    return unit === '%' ? s + unit : s + '\u00a0' + unit;
  }

  // hasData tells whether any series carries at least one reported value,
  // so that an empty chart shows a sentence instead of bare axes.
  function hasData(opts) {
    if (opts.dataset) return true;
    return asArray(opts.series).some(function (s) {
      if (!s) return false;
      if (s.type === 'sankey' || s.type === 'graph') {
        return asArray(s.links || s.edges).some(function (l) {
          return l && valueOf(l.value) !== null;
        });
      }
      return asArray(s.data).some(function (d) {
        return valueOf(d) !== null;
      });
    });
  }

  // Series whose labels are numbers; others (sankey, pie) label names.
  var numericSeries = { bar: true, line: true, scatter: true, pictorialBar: true };

  function prepare(opts, el) {
    var unit = el.getAttribute('data-unit') || '';
    var nullText = el.getAttribute('data-null-text') || texts.missing;

    opts.animation = false;
    // Canvas text gets the browser's default sans-serif otherwise, which on
    // Linux is often a font lacking Vietnamese letters such as ố.
    opts.textStyle = Object.assign({ fontFamily: pageFont(el) }, opts.textStyle);

    // ECharts would replace the server's aria-label with its own summary of
    // raw numbers; the server's sentence is written for the reader.
    opts.aria = Object.assign({}, opts.aria, { enabled: true });
    var label = el.getAttribute('aria-label');
    if (label && !(opts.aria.label && opts.aria.label.description)) {
      opts.aria.label = Object.assign({}, opts.aria.label, { description: label });
    }

    layout(opts, el);

    var tooltips = asArray(opts.tooltip);
    if (tooltips.length === 0) tooltips = [{}];
    opts.tooltip = tooltips.map(function (t) {
      t = Object.assign({}, t);
      // HTML tooltips write inline styles, which the CSP forbids; richText
      // draws on the canvas. It is not HTML, so nothing needs escaping.
      t.renderMode = 'richText';
      if (!t.valueFormatter) {
        t.valueFormatter = function (v) {
          if (Array.isArray(v)) {
            return v.map(function (x) { return formatNumber(x) || nullText; }).join(', ');
          }
          var s = formatNumber(v);
          return s === null ? nullText : withUnit(s, unit);
        };
      }
      return t;
    });

    ['xAxis', 'yAxis'].forEach(function (key) {
      asArray(opts[key]).forEach(function (axis) {
        if (!axis) return;
        // ECharts' own rule: an axis without a type is a category axis
        // when it has data.
        var type = axis.type || (axis.data ? 'category' : 'value');
        if (type !== 'value' && type !== 'log') return;
        axis.axisLabel = Object.assign({}, axis.axisLabel);
        if (!axis.axisLabel.formatter) {
          axis.axisLabel.formatter = function (v) { return formatNumber(v) || ''; };
        }
      });
    });

    asArray(opts.series).forEach(function (s) {
      // A Sankey's numbers are on its links: 1.700, not 1,700.
      if (s && s.type === 'sankey' && s.edgeLabel && !s.edgeLabel.formatter) {
        s.edgeLabel = Object.assign({}, s.edgeLabel, {
          formatter: function (p) { return formatNumber(p.value) || ''; }
        });
      }
    });

    asArray(opts.series).forEach(function (s) {
      if (!s || !numericSeries[s.type || 'bar']) return;
      asArray(s.data).forEach(function (d) {
        // A string label (e.g. a period, "2010–2018") replaces the number
        // on the bar. ECharts reads an item's label field as label options,
        // so it moves aside.
        if (d && typeof d === 'object' && typeof d.label === 'string') {
          d.labelText = d.label;
          delete d.label;
        }
      });
      s.label = Object.assign({}, s.label);
      if (!s.label.formatter) {
        s.label.formatter = function (p) {
          // A value that was not reported is never drawn as 0, nor labelled.
          if (valueOf(p.value) === null) return '';
          if (p.data && typeof p.data.labelText === 'string') return p.data.labelText;
          return formatNumber(p.value);
        };
      }
    });
    return opts;
  }

  // layout gives go-echarts' output room for its parts: ECharts centres the
  // legend on the title's line and starts the plot just below, so a long
  // Vietnamese title runs into both. Positions the server set are kept.
  function layout(opts, el) {
    var hasTitle = asArray(opts.title).some(function (t) { return t && t.text; });
    var top = hasTitle ? 34 : 4;
    asArray(opts.legend).forEach(function (l) {
      if (l && l.top == null && l.bottom == null) l.top = top;
    });
    var plotTop = top + (asArray(opts.legend).length ? 36 : 8);
    if (opts.xAxis || opts.yAxis) {
      if (opts.grid == null) {
        // containLabel: long province names and large numbers stay inside.
        opts.grid = { top: plotTop, left: 8, right: 24, bottom: 8, containLabel: true };
      }
    }
    // On a phone, a ring's names drawn beside it run off the canvas: they
    // move to a legend under it.
    var narrow = el && isNarrow(el);
    asArray(opts.series).forEach(function (s) {
      if (s && s.type === 'pie' && narrow) {
        s.label = { show: false }; // the legend's names carry the numbers and shares
        s.labelLine = { show: false };
        s.center = ['50%', Array.isArray(s.center) && typeof s.center[1] === 'number' ? s.center[1] - 10 : '45%'];
        opts.legend = { show: true, bottom: 0, left: 'center', orient: 'vertical', textStyle: { width: el.clientWidth - 40, overflow: 'break' } };
      }
    });
    asArray(opts.series).forEach(function (s) {
      if (s && s.type === 'sankey') {
        if (s.top == null) s.top = plotTop;
        // The last column's names are drawn right of its nodes; ECharts'
        // 20 % is too little on a phone.
        if (s.right == null) s.right = 120;
      }
    });
  }

  // emptyOption keeps the title and draws the empty text where the plot
  // would be: ECharts has no display of its own for a chart without data.
  function emptyOption(opts, el) {
    return {
      animation: false,
      aria: { enabled: true, label: { description: el.getAttribute('aria-label') || '' } },
      textStyle: { fontFamily: pageFont(el) },
      title: opts.title,
      graphic: [{
        type: 'text',
        left: 'center',
        top: 'middle',
        silent: true,
        style: {
          text: el.getAttribute('data-empty-text') || texts.empty,
          fontSize: 16,
          fill: '#4a4a4a'
        }
      }]
    };
  }

  function pageFont(el) {
    return window.getComputedStyle(el).fontFamily || 'sans-serif';
  }

  function showError(el) {
    el.setAttribute('data-chart-state', 'error');
    // Nothing to download: hide the PNG button; the table (if any) stays.
    Array.prototype.forEach.call(document.querySelectorAll('.chart-png'), function (b) {
      if (b.getAttribute('data-target') === el.id) b.hidden = true;
    });
    var p = document.createElement('p');
    p.className = 'chart-error';
    p.textContent = texts.error;
    el.parentNode.insertBefore(p, el);
    el.hidden = true;
  }

  function draw(el) {
    var script = document.getElementById(el.id + '-options');
    var opts;
    try {
      opts = JSON.parse(script ? script.textContent : '');
    } catch (e) {
      opts = null;
    }
    if (!opts || typeof opts !== 'object' || typeof echarts === 'undefined') {
      showError(el);
      return;
    }
    try {
      var chart = echarts.init(el, null, {
        locale: lang === 'vi' ? 'VI' : 'EN',
        renderer: 'canvas'
      });
      var ready = hasData(opts);
      if (ready) {
        chart.setOption(prepare(opts, el));
        el.setAttribute('data-chart-state', 'ready');
      } else {
        chart.setOption(emptyOption(opts, el));
        el.setAttribute('data-chart-state', 'empty');
      }
      // The options as sent, to lay the chart out again when the screen
      // becomes a phone's or stops being one.
      charts.push({ el: el, chart: chart, json: ready ? script.textContent : null, narrow: isNarrow(el) });
    } catch (e) {
      // A broken option must not break the other charts of the page.
      if (typeof echarts !== 'undefined' && echarts.getInstanceByDom(el)) {
        echarts.getInstanceByDom(el).dispose();
      }
      showError(el);
    }
  }

  function visible(el) {
    return !el.hidden && el.offsetParent !== null;
  }

  function isNarrow(el) { return el.clientWidth > 0 && el.clientWidth < 480; }

  function resizeAll(size) {
    charts.forEach(function (c) {
      // A hidden container measures 0×0; it is resized when shown again.
      if (!visible(c.el)) return;
      c.chart.resize(size);
      if (c.json && isNarrow(c.el) !== c.narrow) {
        c.narrow = isNarrow(c.el);
        c.chart.setOption(prepare(JSON.parse(c.json), c.el), true);
      }
    });
  }

  function chartOf(id) {
    for (var i = 0; i < charts.length; i++) {
      if (charts[i].el.id === id) return charts[i].chart;
    }
    return null;
  }

  function toggleTable(button) {
    var canvas = document.getElementById(button.getAttribute('data-target'));
    var table = canvas && document.getElementById(canvas.id + '-table');
    if (!table) return;
    var showTable = table.hidden;
    table.hidden = !showTable;
    canvas.hidden = showTable;
    button.setAttribute('aria-pressed', String(showTable));
    var text = button.getAttribute(showTable ? 'data-label-chart' : 'data-label-table');
    if (text) button.textContent = text;
    if (!showTable) {
      var chart = chartOf(canvas.id);
      if (chart) chart.resize();
    }
  }

  function downloadPNG(button) {
    var chart = chartOf(button.getAttribute('data-target'));
    if (!chart) return;
    var a = document.createElement('a');
    a.href = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    a.download = button.getAttribute('data-filename') || 'chart.png';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // copyEmbed copies a chart's embed code (the "Nhúng" disclosure) and
  // says so on the button; the code stays selected for Ctrl+C where the
  // clipboard API is refused.
  function copyEmbed(button) {
    var area = document.getElementById(button.getAttribute('data-target'));
    if (!area) return;
    area.focus();
    area.select();
    var done = function () {
      var t = button.getAttribute('data-label-copied');
      if (t) button.textContent = t;
    };
    var fallback = function () {
      if (document.execCommand && document.execCommand('copy')) done();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    var canvases = document.querySelectorAll('.chart-canvas');
    Array.prototype.forEach.call(canvases, draw);

    Array.prototype.forEach.call(document.querySelectorAll('.chart-toggle-table'), function (b) {
      var target = b.getAttribute('data-target');
      if (target) b.setAttribute('aria-controls', target + '-table');
      if (!b.hasAttribute('aria-pressed')) b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', function () { toggleTable(b); });
    });
    Array.prototype.forEach.call(document.querySelectorAll('.chart-png'), function (b) {
      b.addEventListener('click', function () { downloadPNG(b); });
    });

    Array.prototype.forEach.call(document.querySelectorAll('.chart-embed-copy'), function (b) {
      b.addEventListener('click', function () { copyEmbed(b); });
    });
    Array.prototype.forEach.call(document.querySelectorAll('.chart-embed-code'), function (a) {
      a.addEventListener('focus', function () { a.select(); });
    });

    if (charts.length === 0) return;

    var timer = 0;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { resizeAll(); }, 150);
    });
    // Canvas charts keep their screen size on paper unless told otherwise:
    // beforeprint fires before the print layout exists, so give the page
    // width; the media query fires once it exists, so measure again.
    window.addEventListener('beforeprint', function () { resizeAll({ width: PRINT_WIDTH }); });
    window.addEventListener('afterprint', function () { resizeAll(); });
    if (window.matchMedia) {
      var print = window.matchMedia('print');
      var onChange = function () { resizeAll(); };
      if (print.addEventListener) print.addEventListener('change', onChange);
      else if (print.addListener) print.addListener(onChange);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
