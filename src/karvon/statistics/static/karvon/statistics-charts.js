/* Karvon: draws the statistics dashboard's charts with the vendored Chart.js, from the page's json_script blocks.
 * Hidden (disclosure-controlled) cells arrive as null and are drawn as a gap with a hollow mark, never as zero.
 * No inline handlers and no network: everything the charts need is already in the page. */
(function () {
  "use strict";

  // Okabe-Ito: tells the series apart for readers with colour-vision deficiency, and in greyscale print.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"];

  function hiddenMarks(spec) {
    return {
      id: "karvonHiddenMarks",
      afterDatasetsDraw: function (chart) {
        var ctx = chart.ctx;
        var area = chart.chartArea;
        var category = spec.horizontal ? chart.scales.y : chart.scales.x;
        var marks = {};
        spec.datasets.forEach(function (series, i) {
          if (!chart.isDatasetVisible(i)) {
            return;
          }
          series.hidden.forEach(function (index) {
            (marks[index] = marks[index] || []).push(i);
          });
        });
        ctx.save();
        ctx.lineWidth = 1.5;
        Object.keys(marks).forEach(function (key) {
          var index = Number(key);
          var centre = category.getPixelForValue(index);
          marks[key].forEach(function (i, k) {
            var offset = (k - (marks[key].length - 1) / 2) * 9;
            var x = spec.horizontal ? chart.scales.x.getPixelForValue(0) + 6 + k * 9 : centre + offset;
            var y = spec.horizontal ? centre : area.bottom - 6;
            ctx.strokeStyle = COLOURS[spec.datasets[i].colour % COLOURS.length];
            ctx.setLineDash([2, 2]);
            ctx.beginPath();
            ctx.arc(x, y, 4, 0, 2 * Math.PI);
            ctx.stroke();
          });
        });
        ctx.restore();
      },
    };
  }

  function draw(canvas, spec, number) {
    var mirror = spec.mirror;
    var valueAxis = spec.horizontal ? "x" : "y";
    var categoryAxis = spec.horizontal ? "y" : "x";
    var datasets = spec.datasets.map(function (series, i) {
      var colour = COLOURS[series.colour % COLOURS.length];
      var data = series.data.map(function (value) {
        // The pyramid's first series (women) is drawn to the left of zero; labels show it unsigned.
        return mirror && i === 0 && value !== null ? -value : value;
      });
      var dataset = {
        label: series.label,
        data: data,
        type: series.kind,
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: false,
        pointRadius: series.kind === "line" ? 3 : 0,
        maxBarThickness: 48,
      };
      if (series.axis === "rate") {
        dataset.yAxisID = "rate";
        // Rates over the bars; the dashed total protection rate over the solid recognition rate, because the two
        // coincide when no one gets complementary protection and the dashes then let both show.
        dataset.order = -1 - (series.colour % 2);
        dataset.borderDash = series.colour % 2 ? [6, 4] : [];
      } else if (spec.stacked) {
        dataset.stack = "counts";
      }
      return dataset;
    });
    var scales = {};
    scales[categoryAxis] = { stacked: spec.stacked, reverse: spec.horizontal && mirror };
    scales[valueAxis] = {
      stacked: spec.stacked,
      beginAtZero: true,
      ticks: {
        callback: function (value) {
          return number.format(Math.abs(value));
        },
      },
    };
    if (spec.datasets.some(function (series) { return series.axis === "rate"; })) {
      scales.rate = {
        position: "right",
        min: 0,
        max: 100,
        stacked: false,
        grid: { drawOnChartArea: false },
        ticks: { callback: function (value) { return value + " %"; } },
      };
    }
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: categoryAxis,
        // Off: the dashboard is read on old office machines, and a screenshot must show the final chart.
        animation: false,
        responsive: true,
        aspectRatio: spec.horizontal ? 1.6 : 2.2,
        scales: scales,
        plugins: {
          title: { display: false },
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.raw === null ? "·" : number.format(Math.abs(item.raw));
                return item.dataset.label + ": " + value;
              },
            },
          },
        },
      },
      plugins: [hiddenMarks(spec)],
    });
  }

  function init() {
    if (!window.Chart) {
      return; // The tables under each chart carry every figure; without the library they are the page.
    }
    var number = new Intl.NumberFormat(document.documentElement.lang || "en");
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (source) {
        draw(canvas, JSON.parse(source.textContent), number);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
