// Forms: a page that comes back with errors opens at their summary
// (templates/includes/error_summary.html), and each of its links puts the cursor into the
// field it names. No inline script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      const target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      const field = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input:not([type=hidden]), select, textarea");
      target.scrollIntoView({ block: "center" });
      (field || target).focus({ preventScroll: true });
    });
  });
})();
