/* The brief form's helpers, all progressive: without this script the Move buttons reorder by
   posting the form, the Update preview button posts it to the preview frame, and a share link
   is plain text to copy.

   - Ordered rows: Move up/down buttons and dragging move a row and renumber the positions.
   - Live preview: the form is posted to the preview frame a moment after typing stops; the
     frame shows a desktop or a phone width.
   - Copy buttons for share links. */
(function () {
  "use strict";

  /* Ordered rows */

  function positionInput(row) {
    return row.querySelector("input[type='hidden'][name$='-position']");
  }

  function rowsOf(group) {
    return Array.from(group.querySelectorAll("input[type='hidden'][name$='-position']"))
      .filter(function (input) { return input.name.indexOf("__prefix__") === -1; })
      .map(function (input) { return input.closest("tr.form-row") || input.closest(".inline-related"); })
      .filter(function (row) { return row && !row.classList.contains("empty-form"); });
  }

  function groupName(group) {
    const heading = group.querySelector(".inline-heading");
    return heading ? heading.textContent.trim() : "Row";
  }

  function renumber(group) {
    const rows = rowsOf(group);
    rows.forEach(function (row, index) {
      positionInput(row).value = String(index);
      row.querySelectorAll(".sortable-move__button").forEach(function (button) {
        const up = button.dataset.move === "up";
        button.setAttribute("aria-label", "Move row " + (index + 1) + (up ? " up" : " down"));
        button.disabled = up ? index === 0 : index === rows.length - 1;
      });
    });
    return rows;
  }

  function announce(group, text) {
    let live = group.querySelector(".sortable-status");
    if (!live) {
      live = document.createElement("p");
      live.className = "sortable-status";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      group.appendChild(live);
    }
    live.textContent = text;
  }

  function changed(row) {
    row.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function place(group, row) {
    const rows = renumber(group);
    announce(group, groupName(group) + ": moved to place " + (rows.indexOf(row) + 1) + " of " + rows.length + ".");
    changed(row);
  }

  function move(button) {
    const row = button.closest("tr.form-row") || button.closest(".inline-related");
    const group = row.closest(".inline-group");
    const rows = rowsOf(group);
    const index = rows.indexOf(row);
    const other = rows[button.dataset.move === "up" ? index - 1 : index + 1];
    if (!other) return;
    if (button.dataset.move === "up") {
      other.parentNode.insertBefore(row, other);
    } else {
      other.parentNode.insertBefore(row, other.nextSibling);
    }
    place(group, row);
    const again = row.querySelector(".sortable-move__button[data-move='" + button.dataset.move + "']");
    (again.disabled ? row.querySelector(".sortable-move__button:not(:disabled)") : again).focus();
  }

  function enableDragging(group) {
    let dragged = null;
    group.addEventListener("pointerdown", function (event) {
      const handle = event.target.closest(".sortable-move__handle");
      const row = handle && (handle.closest("tr.form-row") || handle.closest(".inline-related"));
      if (row) row.draggable = true;
    });
    group.addEventListener("dragstart", function (event) {
      dragged = event.target.closest && (event.target.closest("tr.form-row") || event.target.closest(".inline-related"));
      if (!dragged) return;
      dragged.classList.add("sortable-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    group.addEventListener("dragover", function (event) {
      if (!dragged) return;
      const target = rowsOf(group).find(function (row) { return row.contains(event.target); });
      if (!target || target === dragged) return;
      event.preventDefault();
      const box = target.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      target.parentNode.insertBefore(dragged, after ? target.nextSibling : target);
    });
    group.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    group.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("sortable-dragging");
      dragged.draggable = false;
      place(group, dragged);
      dragged = null;
    });
  }

  function startSorting() {
    document.querySelectorAll(".inline-group").forEach(function (group) {
      if (!group.querySelector(".sortable-move")) return;
      group.classList.add("sortable-ready");
      // After a refused save the rows come back in form order: put them back in the order chosen.
      const rows = rowsOf(group);
      if (rows.length) {
        const anchor = rows[rows.length - 1].nextSibling;
        rows
          .map(function (row, index) { return { row: row, key: Number(positionInput(row).value || index), index: index }; })
          .sort(function (a, b) { return a.key - b.key || a.index - b.index; })
          .forEach(function (item) { item.row.parentNode.insertBefore(item.row, anchor); });
      }
      renumber(group);
      enableDragging(group);
    });
    document.addEventListener("click", function (event) {
      const button = event.target.closest(".sortable-move__button");
      if (!button) return;
      event.preventDefault();
      move(button);
    });
    document.addEventListener("formset:added", function (event) {
      const group = event.target.closest(".inline-group");
      if (group && group.querySelector(".sortable-move")) renumber(group);
    });
    document.addEventListener("formset:removed", function () {
      document.querySelectorAll(".inline-group.sortable-ready").forEach(renumber);
    });
  }

  /* Live preview */

  const DELAY_MS = 700;

  function startPreview() {
    const section = document.querySelector(".live-preview");
    const form = document.getElementById("brief_form");
    if (!section || !form) return;
    const frame = section.querySelector(".live-preview__frame");
    const viewport = section.querySelector(".live-preview__viewport");
    const refresh = section.querySelector(".live-preview__refresh");
    const status = section.querySelector(".live-preview__status");
    const widths = { desktop: 1280, mobile: 390 };
    let width = "desktop";
    let timer = null;
    let scrollY = 0;
    let shown = null;
    let saving = false;

    function typed() {
      const data = new FormData(form);
      return Array.from(data.entries())
        .filter(function (entry) { return typeof entry[1] === "string"; })
        .map(function (entry) { return entry[0] + "=" + entry[1]; })
        .join("&");
    }

    function fit() {
      section.classList.toggle("live-preview--mobile", width === "mobile");
      const room = viewport.clientWidth;
      const wanted = widths[width];
      const scale = Math.min(1, room / wanted);
      frame.style.width = wanted + "px";
      frame.style.height = Math.round(viewport.clientHeight / scale) + "px";
      frame.style.transform = "scale(" + scale + ")";
    }

    function update(force) {
      timer = null;
      const now = typed();
      if (now === shown && force !== true) return; // a change event after the same typing
      shown = now;
      section.dataset.state = "updating";
      try {
        scrollY = frame.contentWindow ? frame.contentWindow.scrollY : 0;
      } catch (error) {
        scrollY = 0;
      }
      // The image is previewed once saved; sending it with every keystroke would cost an upload each time.
      const files = Array.from(form.querySelectorAll("input[type='file']")).filter(function (input) { return !input.disabled; });
      files.forEach(function (input) { input.disabled = true; });
      try {
        form.requestSubmit(refresh);
      } finally {
        files.forEach(function (input) { input.disabled = false; });
      }
      status.textContent = "Updating the preview…";
    }

    function later(event) {
      if (saving || (event && event.target && event.target.type === "file")) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(update, DELAY_MS);
    }

    frame.addEventListener("load", function () {
      if (section.dataset.state === "loading") { // the saved version, shown before any typing
        section.dataset.state = "idle";
        return;
      }
      if (section.dataset.state !== "updating") return;
      try {
        frame.contentWindow.scrollTo(0, scrollY);
      } catch (error) { /* nothing to restore */ }
      const now = new Date();
      status.textContent = "Preview updated at " + now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) + ". Nothing is saved until you press Save.";
      section.dataset.updates = String(Number(section.dataset.updates || 0) + 1);
      section.dataset.state = "idle";
    });
    section.querySelectorAll(".live-preview__width").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        width = button.dataset.width;
        section.querySelectorAll(".live-preview__width").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        fit();
      });
    });
    refresh.addEventListener("click", function (event) {
      event.preventDefault();
      update(true);
    });
    // Once the form is being saved, the preview waits: the page is about to be replaced.
    form.addEventListener("submit", function (event) {
      if (event.submitter === refresh) return;
      if (timer) clearTimeout(timer);
      saving = true;
    });
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", later);
    window.addEventListener("resize", fit);
    section.classList.add("live-preview--live");
    fit();
    shown = typed(); // the frame starts on the saved version; typing changes it
    if (document.querySelector("[data-unsaved-input]")) update(true); // a refused post: show what was typed
  }

  /* Copy buttons */

  function startCopying() {
    document.querySelectorAll(".workflow-copy").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        const status = document.querySelector(".workflow-copy-status");
        const said = function (text) { if (status) status.textContent = text; };
        const text = button.dataset.copy;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(
            function () { said("Link copied: " + text); },
            function () { said("Copying was refused by the browser; select the link and copy it."); }
          );
          return;
        }
        const link = button.parentNode.querySelector(".workflow-share-url");
        const range = document.createRange();
        range.selectNodeContents(link);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        said(document.execCommand("copy") ? "Link copied: " + text : "The link is selected: copy it.");
      });
    });
  }

  function start() {
    startSorting();
    startPreview();
    startCopying();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
