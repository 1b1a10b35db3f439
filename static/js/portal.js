/* Samsök progressive enhancement. Every page works without this file; it only saves clicks. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Sort keeps its explicit button: changing a select must not navigate (WCAG 3.2.2 On Input).

  // Search box: title and author completions from /api/v1/suggest in a native <datalist>,
  // which browsers and screen readers already know how to offer; typing stays unaffected.
  document.querySelectorAll("input[type=search][name=q]").forEach(function (input, index) {
    var list = document.createElement("datalist");
    list.id = "q-suggestions-" + index;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 3 || text === asked) { return; }
      timer = window.setTimeout(function () {
        asked = text;
        fetch("/api/v1/suggest?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.suggestions || []).forEach(function (suggestion) {
              var option = document.createElement("option");
              option.value = suggestion;
              list.appendChild(option);
            });
          })
          .catch(function () { /* no completions; the search box works as before */ });
      }, 200);
    });
  });

  // Permalink field: select the whole address on focus so it can be copied at once.
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  // Facet groups remember whether the patron opened or closed them during the visit.
  var store = window.sessionStorage;
  document.querySelectorAll("details[data-facet]").forEach(function (details) {
    var key = "samsok-facet-" + details.getAttribute("data-facet");
    try {
      var saved = store.getItem(key);
      if (saved === "open") { details.open = true; }
      if (saved === "closed" && !details.querySelector("[aria-current='true']")) { details.open = false; }
    } catch (e) { /* storage may be disabled; nothing to remember then */ }
    details.addEventListener("toggle", function () {
      try { store.setItem(key, details.open ? "open" : "closed"); } catch (e) { /* ignore */ }
    });
  });
})();
