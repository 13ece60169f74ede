// The agenda of the forum form: "Add agenda item" appends a row of the Django formset from
// its <template>, "Remove" ticks the row's delete box and hides it. Without JavaScript the
// form still works: one empty row and a visible delete box per row.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var prefix = formset.dataset.formsetPrefix;
    var total = formset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var rows = formset.querySelector("[data-formset-rows]");
    var template = formset.querySelector("template[data-formset-template]");
    var add = formset.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !add) return;

    function enhance(row) {
      var remove = row.querySelector("[data-formset-remove]");
      var box = row.querySelector('input[name$="-DELETE"]');
      if (!remove || !box) return;
      box.closest("[data-formset-delete]").hidden = true;
      remove.hidden = false;
      row.hidden = box.checked;
      remove.addEventListener("click", function () {
        box.checked = true;
        row.hidden = true;
        add.focus();
      });
    }

    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var row = rows.lastElementChild;
      enhance(row);
      row.querySelector("input:not([type=hidden])").focus();
    });

    rows.querySelectorAll("[data-formset-row]").forEach(enhance);
    add.hidden = false;
  });
});
