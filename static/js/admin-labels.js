/* Names for inputs the admin's widgets make without one: the search box and the choice box of an
   autocomplete (Select2) take the name of the field they belong to. */
(function () {
  "use strict";

  function nameOf(select) {
    const label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    return select.getAttribute("aria-label") || "Search";
  }

  function label(root) {
    (root || document).querySelectorAll(".select2-container").forEach(function (container) {
      const select = container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") return;
      container.querySelectorAll(".select2-search__field").forEach(function (input) {
        if (!input.hasAttribute("aria-label")) input.setAttribute("aria-label", "Search: " + nameOf(select));
      });
      container.querySelectorAll(".select2-selection[role='combobox'], .select2-selection__rendered[role='textbox']").forEach(function (box) {
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", nameOf(select));
      });
    });
  }

  function start() {
    label();
    new MutationObserver(function () { label(); }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
