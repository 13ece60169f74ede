// Selects marked data-autosubmit send their form as soon as another option is chosen
// (the filter above a list); without JavaScript the form shows its own button.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
