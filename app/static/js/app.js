// Ons Plan: small enhancements only; every page works without this file.
(function () {
  "use strict";

  // Register the service worker and tell it the page language for the offline page.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {});
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ type: "lang", lang: document.documentElement.lang });
        }
      });
    });
  }

  // When a request cannot reach the server, say so in the alert region; the form keeps its text.
  document.addEventListener("htmx:sendError", function () {
    var alerts = document.getElementById("alerts");
    var template = document.getElementById("offline-alert");
    if (alerts && template) {
      alerts.innerHTML = "";
      alerts.appendChild(template.content.cloneNode(true));
    }
  });

  // Close the help panel with Escape and give focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.help-menu[open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });
})();
