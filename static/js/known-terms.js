// Terms a reader already knows: their definition tips stop appearing, on every page.
// Progressive enhancement: the "I know this term" buttons are made here, the list lives in this
// browser only (localStorage), and without script (or storage) every tip works as before.
(function () {
  "use strict";
  var KEY = "briefs:known-terms";
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (e) {
    return; // storage refused (private mode, settings): leave the page as it is
  }

  function load() {
    try {
      var list = JSON.parse(storage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (s) { return typeof s === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function save(list) {
    try {
      storage.setItem(KEY, JSON.stringify(list));
    } catch (e) { /* full or refused: the choice lasts for this page only */ }
  }

  var known = load();

  function isKnown(slug) { return known.indexOf(slug) !== -1; }

  // Tips of known terms: hidden, no longer announced as the link's description, no tap button.
  function applyTips() {
    var links = document.querySelectorAll(".term-ref__link[data-term]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var ref = link.closest(".term-ref");
      var quiet = isKnown(link.getAttribute("data-term"));
      if (quiet) {
        if (link.hasAttribute("aria-describedby")) {
          link.setAttribute("data-tip", link.getAttribute("aria-describedby"));
          link.removeAttribute("aria-describedby");
        }
      } else if (link.hasAttribute("data-tip")) {
        link.setAttribute("aria-describedby", link.getAttribute("data-tip"));
        link.removeAttribute("data-tip");
      }
      if (ref) ref.classList.toggle("term-ref--known", quiet);
    }
  }

  var buttons = [];

  function renderButton(button) {
    var slug = button.getAttribute("data-term");
    var pressed = isKnown(slug);
    // A toggle keeps its name; aria-pressed (and the check mark the stylesheet draws) says its state.
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    button.title = pressed ? "Tips hidden. Press to show them again." : "Hide the definition tips of this term";
  }

  function toggle(event) {
    var button = event.currentTarget;
    var slug = button.getAttribute("data-term");
    known = load(); // another tab may have changed the list
    if (isKnown(slug)) {
      known = known.filter(function (s) { return s !== slug; });
    } else {
      known.push(slug);
    }
    save(known);
    buttons.forEach(renderButton);
    applyTips();
    var status = document.getElementById("known-terms-status");
    if (status) {
      var name = button.getAttribute("data-term-name");
      status.textContent = isKnown(slug)
        ? "Definition tips for “" + name + "” are now hidden."
        : "Definition tips for “" + name + "” are shown again.";
    }
  }

  function addButtons() {
    var places = document.querySelectorAll("[data-known-term]");
    if (!places.length) return;
    for (var i = 0; i < places.length; i++) {
      var place = places[i];
      var button = document.createElement("button");
      button.type = "button";
      button.className = "known-toggle";
      button.textContent = "I know this term";
      button.setAttribute("data-term", place.getAttribute("data-known-term"));
      button.setAttribute("data-term-name", place.getAttribute("data-term-name") || "");
      button.addEventListener("click", toggle);
      renderButton(button);
      // In a definition list the button goes in the definition: a <dl> holds only terms and definitions.
      var target = place.matches("dl > div") ? place.querySelector("dd:last-of-type") || place : place;
      target.appendChild(button);
      buttons.push(button);
    }
    var status = document.createElement("p");
    status.id = "known-terms-status";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.appendChild(status);
  }

  function start() {
    applyTips();
    addButtons();
  }

  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      known = load();
      buttons.forEach(renderButton);
      applyTips();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
