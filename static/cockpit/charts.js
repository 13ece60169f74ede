// Draws the cockpit's charts from the JSON the page carries (#cockpit-charts); the same
// numbers are in the tables beside each chart, so nothing is lost without JavaScript.
// Counts have integer axes; a chart without data says so instead of drawing an empty axis.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("cockpit-charts");
  if (!source || !window.Chart) return;
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) return;
    if (chart.empty) {
      var note = document.createElement("p");
      note.className = "text-body-secondary chart-empty";
      note.textContent = chart.empty_text;
      canvas.parentNode.replaceWith(note);
      return;
    }
    var options = { responsive: true, maintainAspectRatio: false, animation: false };
    if (chart.type !== "doughnut" && chart.type !== "pie") {
      var valueAxis = chart.options.indexAxis === "y" ? "x" : "y";
      options.scales = {};
      options.scales[valueAxis] = { beginAtZero: true, ticks: { precision: 0 } };
    }
    new window.Chart(canvas, {
      type: chart.type,
      data: { labels: chart.labels, datasets: chart.datasets },
      options: Object.assign(options, chart.options),
    });
  });
});
