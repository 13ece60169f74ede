// Long dropdowns (260 companies, 780 contacts) become searchable: every
// <select data-searchable> is turned into a Tom Select (static/vendor/tom-select) that
// filters as the person types. Its texts come from the select's data attributes, which the
// server renders in the page's language (metalldialog/widgets.py). No inline script: this
// file runs on every page, and again on what htmx swaps in.
(function () {
  "use strict";

  function escapeText(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    const texts = select.dataset;
    new TomSelect(select, {
      maxOptions: 100,
      // The empty choice ("---------") is the placeholder; an optional field gets a button
      // that empties it again.
      allowEmptyOption: false,
      placeholder: texts.placeholder || "",
      plugins: select.required ? {} : { clear_button: { title: texts.clear || "" } },
      // Search the visible text only, as people read it.
      searchField: ["text"],
      render: {
        no_results: () => `<div class="no-results">${escapeText(texts.noResults || "")}</div>`,
      },
    });
    // Tom Select's input is the field now (the label points at it); the original select,
    // hidden and out of the tab order, is hidden from screen readers too.
    select.setAttribute("aria-hidden", "true");
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[data-searchable]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  document.addEventListener("htmx:load", (event) => enhanceAll(event.target));
})();
