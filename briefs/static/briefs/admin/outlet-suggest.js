/* Suggest a source link's outlet from the address pasted into it.
   Progressive enhancement: without this script the server fills the outlet from the domain on save.
   It only fills an empty outlet field; a choice the editor made is never replaced. */
(function () {
  "use strict";

  var URL_FIELD = /^links-\d+-url$/;

  function endpoint() {
    var path = window.location.pathname;
    var at = path.indexOf("/briefs/brief/");
    return at < 0 ? null : path.slice(0, at) + "/briefs/brief/suggest-outlet/";
  }

  function outletSelect(urlInput) {
    var name = urlInput.name.replace(/-url$/, "-outlet");
    return urlInput.form ? urlInput.form.elements.namedItem(name) : null;
  }

  function note(select, text) {
    var id = select.id + "-suggestion";
    var hint = document.getElementById(id);
    if (!hint) {
      hint = document.createElement("p");
      hint.id = id;
      hint.className = "help outlet-suggestion";
      hint.setAttribute("aria-live", "polite");
      select.parentNode.appendChild(hint);
    }
    hint.textContent = text;
  }

  function suggest(urlInput) {
    var select = outletSelect(urlInput);
    var base = endpoint();
    var url = urlInput.value.trim();
    if (!select || !base || select.value || !/^https?:\/\/./i.test(url)) {
      return;
    }
    fetch(base + "?url=" + encodeURIComponent(url), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data || select.value) {
          return;
        }
        if (data.outlet) {
          var option = new Option(data.outlet.name, String(data.outlet.id), true, true);
          select.appendChild(option);
          select.dispatchEvent(new Event("change", { bubbles: true }));
          note(select, "Suggested from the address: " + data.outlet.name + ".");
        } else if (data.domain) {
          note(select, "No outlet is known for " + data.domain + " yet: choose one, or type the publisher's name.");
        }
      })
      .catch(function () {});
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && URL_FIELD.test(target.name)) {
      suggest(target);
    }
  });
  document.addEventListener("paste", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && URL_FIELD.test(target.name)) {
      window.setTimeout(function () { suggest(target); }, 0);
    }
  });
})();
