// MCP Router admin UI: small progressive enhancements (the pages work without this file).
"use strict";
(function () {
  function setupCopy(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        const target = document.querySelector(button.getAttribute("data-copy"));
        if (!target || !navigator.clipboard) return;
        navigator.clipboard.writeText(target.textContent || "").then(function () {
          const before = button.textContent;
          button.textContent = "Copied";
          setTimeout(function () {
            button.textContent = before;
          }, 1500);
        });
      });
    });
  }
  // Env rows: the value field is a password field the moment "Secret" is ticked (the server
  // renders it so too; this only saves the round trip).
  function secretToggled(event) {
    const box = event.target;
    if (!box.matches || !box.matches('input[type="checkbox"][name^="env."][name$=".secret"]')) {
      return;
    }
    const row = box.closest("tr");
    const value = row && row.querySelector('input[name$=".value"]');
    if (!value) return;
    value.type = box.checked ? "password" : "text";
    value.autocomplete = box.checked ? "new-password" : "off";
  }

  // Plan form: the chosen runtime's launch fields up front, the others under "Advanced". Each
  // field carries the runtimes (and transports) it is for; moving keeps what was typed.
  function placeLaunchFields(form) {
    const main = form.querySelector("[data-launch-main]");
    const more = form.querySelector("[data-launch-more]");
    const runtime = form.querySelector('select[name="runtime"]');
    const transport = form.querySelector('select[name="transport"]');
    if (!main || !more || !runtime || !transport) return;
    const cells = Array.prototype.slice.call(form.querySelectorAll("[data-launch]"));
    cells.sort(function (a, b) {
      return Number(a.dataset.order) - Number(b.dataset.order);
    });
    cells.forEach(function (cell) {
      const runtimes = (cell.dataset.runtimes || "").split(" ");
      const transports = cell.dataset.transports ? cell.dataset.transports.split(" ") : null;
      const shown = runtimes.indexOf(runtime.value) >= 0 &&
        (!transports || transports.indexOf(transport.value) >= 0);
      (shown ? main : more).appendChild(cell);
    });
  }
  function launchChanged(event) {
    const select = event.target;
    if (!select.matches || !select.matches('select[name="runtime"], select[name="transport"]')) {
      return;
    }
    const form = select.closest("form.plan-form");
    if (form) placeLaunchFields(form);
  }

  // <time datetime data-local>: the browser's local time with its zone; the UTC text stays
  // the title.
  function pad(n) {
    return String(n).padStart(2, "0");
  }
  function setupLocalTimes(root) {
    root.querySelectorAll("time[datetime][data-local]").forEach(function (el) {
      if (el.dataset.ready) return;
      el.dataset.ready = "1";
      const d = new Date(el.getAttribute("datetime"));
      if (isNaN(d.getTime()) || typeof Intl === "undefined") return;
      const part = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" })
        .formatToParts(d).find(function (p) {
          return p.type === "timeZoneName";
        });
      if (!part || !part.value) return;
      el.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
        " " + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + " " +
        part.value;
    });
  }

  // Try-it: raw JSON arguments override the fields, so the fields' `required` no longer holds.
  function rawArgsTyped(event) {
    const area = event.target;
    if (!area.matches || !area.matches('textarea[name="_json"]')) return;
    const form = area.closest("form");
    if (form) form.noValidate = area.value.trim() !== "";
  }
  // Result images: natural size; a click zooms in (and out again).
  function zoomClicked(event) {
    const button = event.target.closest && event.target.closest("button[data-zoom]");
    if (!button) return;
    const zoomed = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", zoomed ? "true" : "false");
    button.classList.toggle("zoomed", zoomed);
  }

  document.addEventListener("input", rawArgsTyped);
  document.addEventListener("click", zoomClicked);
  document.addEventListener("change", secretToggled);
  document.addEventListener("change", launchChanged);
  document.addEventListener("DOMContentLoaded", function () {
    setupCopy(document);
    setupLocalTimes(document);
    document.querySelectorAll("[data-nojs-only]").forEach(function (el) {
      el.hidden = true;
    });
    // An error summary takes focus (the autofocus attribute does it too where supported).
    const summary = document.querySelector("[data-autofocus]");
    if (summary && document.activeElement !== summary) summary.focus();
  });
  document.addEventListener("htmx:load", function (event) {
    event.target.querySelectorAll("[data-nojs-only]").forEach(function (el) {
      el.hidden = true;
    });
    if (event.target.matches && event.target.matches("[data-nojs-only]")) {
      event.target.hidden = true;
    }
    setupCopy(event.target);
    setupLocalTimes(event.target);
  });
})();
