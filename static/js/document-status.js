/*
 * Pages that wait for a PDF ("PDF'en dannes …") update themselves when it is ready.
 *
 * Each element marked data-document-status="<status URL>" is polled (JSON: {"state": "venter"|"klar"|"fejlet",
 * "label": …}) at a growing interval, 2 s up to 10 s, and for at most five minutes. When the state changes:
 *   - descendants marked data-document-status-field="label" (or another key of the answer) get that text;
 *   - descendants marked data-document-status-remove-when="<state>" are removed;
 *   - a <template data-document-status-when="<state>"> child, if any, takes the element's place;
 *   - the element's data-document-status-announce-<state> text is said through the page's polite live region
 *     (data-document-status-live).
 * Every text comes from the server-rendered page, so it is translated there. Without script the page keeps its
 * link to try again, which works on its own.
 */
(function () {
  "use strict";

  var FIRST_DELAY = 2000;
  var MAX_DELAY = 10000;
  var GIVE_UP_AFTER = 5 * 60 * 1000;
  var WAITING = "venter";

  function announce(text) {
    var region = document.querySelector("[data-document-status-live]");
    if (!region || !text) {
      return;
    }
    // Each message is added (not replaced), so two documents ready at once are both announced.
    var line = document.createElement("p");
    line.textContent = text;
    region.appendChild(line);
  }

  function settle(element, answer) {
    var state = answer.state;
    element.querySelectorAll("[data-document-status-field]").forEach(function (field) {
      var key = field.getAttribute("data-document-status-field");
      if (typeof answer[key] === "string") {
        field.textContent = answer[key];
      }
    });
    var template = null;
    element.querySelectorAll("template[data-document-status-when]").forEach(function (candidate) {
      if (candidate.getAttribute("data-document-status-when") === state) {
        template = candidate;
      }
    });
    var message = element.getAttribute("data-document-status-announce-" + state);
    var hadFocus = element.contains(document.activeElement);
    element.querySelectorAll("[data-document-status-remove-when]").forEach(function (node) {
      if (node.getAttribute("data-document-status-remove-when") === state) {
        node.remove();
      }
    });
    element.removeAttribute("data-document-status");
    var target = element.querySelector("[data-document-status-field='label']");
    if (template) {
      var content = template.content.cloneNode(true);
      var first = content.firstElementChild;
      element.replaceWith(content);
      target = first && (first.matches("a, button") ? first : first.querySelector("a, button"));
    }
    // A keyboard user whose link or button was taken away keeps their place: on what replaced it.
    if (hadFocus && target && (!document.activeElement || document.activeElement === document.body)) {
      if (!target.matches("a, button")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
    announce(message);
  }

  function watch(element) {
    var url = element.getAttribute("data-document-status");
    var started = Date.now();
    var delay = FIRST_DELAY;

    function schedule() {
      if (Date.now() - started > GIVE_UP_AFTER) {
        return; // the page's own link to try again is still there
      }
      window.setTimeout(poll, delay);
      delay = Math.min(MAX_DELAY, Math.round(delay * 1.5));
    }

    function poll() {
      if (document.hidden) {
        schedule();
        return;
      }
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          // 404 (no longer published) or a login page (the session ended): stop asking.
          return response.ok && type.indexOf("application/json") === 0 ? response.json() : null;
        })
        .then(function (answer) {
          if (answer === null || typeof answer.state !== "string") {
            return;
          }
          if (answer.state === WAITING) {
            schedule();
          } else {
            settle(element, answer);
          }
        })
        .catch(function () {
          schedule(); // the network or the server hiccuped: ask again later
        });
    }

    schedule();
  }

  function start() {
    document.querySelectorAll("[data-document-status]").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
