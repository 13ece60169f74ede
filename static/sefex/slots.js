// Free times on the proposal form: once as many are ticked as may be proposed
// (data-max-choices), the others are disabled until one is unticked again.
document.addEventListener("DOMContentLoaded", function () {
  var boxes = document.querySelectorAll("input[type=checkbox][data-max-choices]");
  if (!boxes.length) return;
  var max = parseInt(boxes[0].dataset.maxChoices, 10);
  function update() {
    var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; });
    boxes.forEach(function (box) {
      box.disabled = !box.checked && ticked.length >= max;
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
});
