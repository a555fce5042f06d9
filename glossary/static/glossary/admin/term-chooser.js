/* The term chooser on the brief form: a chosen term shows its name only (the list shows its status
   and definition too), and "Create … as a new draft term" opens the proposal form in a popup whose
   new term is then chosen. Without this script the chooser still works; the choice reads longer. */
"use strict";
{
  const $ = window.django && window.django.jQuery;
  if ($) {
    $(document).on("select2:selecting", "select.admin-autocomplete", function (event) {
      const data = event.params.args.data;
      if (!data.create_url) {
        if (data.name) {
          data.text = data.name; // the choice keeps its name; select2 renders the selection from it
        }
        return;
      }
      event.preventDefault();
      $(this).select2("close");
      const link = document.createElement("a");
      link.id = "add_" + this.id;
      link.href = new URL(data.create_url, window.location.href).href;
      window.showRelatedObjectPopup(link);
    });
  }
}
