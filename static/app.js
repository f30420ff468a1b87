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
  document.addEventListener("DOMContentLoaded", function () {
    setupCopy(document);
  });
  document.addEventListener("htmx:load", function (event) {
    setupCopy(event.target);
  });
})();
