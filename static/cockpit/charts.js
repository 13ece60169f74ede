// Draws the cockpit's charts from the JSON the page carries (#cockpit-charts); the same
// numbers are in the tables beside each chart, so nothing is lost without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("cockpit-charts");
  if (!source || !window.Chart) return;
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) return;
    new window.Chart(canvas, {
      type: chart.type,
      data: { labels: chart.labels, datasets: chart.datasets },
      options: Object.assign(
        { responsive: true, maintainAspectRatio: false, animation: false },
        chart.options
      ),
    });
  });
});
