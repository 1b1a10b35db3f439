/*
 * Samsök availability: progressive enhancement, no inline script (CSP-safe).
 *
 * Record page: templates/catalog/_holdings.html renders harvested status at once; this script
 * fetches live status from the section's data-availability-url and updates each row
 * (tr[data-holding-id]), then announces the update in the aria-live paragraph.
 *
 * Result lists: each hit's <p class="availability" data-cluster-id="ID"><span>…</span></p>
 * (or any element with data-availability-id="ID") gets the live summary; all ids on the page
 * are fetched in ONE request from /api/v1/availability?ids=... (or the URL in a
 * data-availability-batch attribute on <body>); classes availability--in/out/none follow.
 */
(function () {
  "use strict";
  if (window.samsokAvailability) {
    return;
  }
  window.samsokAvailability = true;
  var BATCH_SIZE = 100;

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      }
    );
  }

  function announce(section, message) {
    var region = section.querySelector(".availability-announcement");
    if (region && message) {
      region.textContent = message;
    }
  }

  function updateRow(row, holding) {
    ["status_label", "detail", "note", "freshness"].forEach(function (field) {
      var cell = row.querySelector('[data-field="' + field + '"]');
      if (cell) {
        cell.textContent = holding[field] || "";
      }
    });
    var status = row.querySelector('[data-field="status_label"]');
    if (status) {
      status.className = "status status--" + holding.status;
    }
    var source = row.querySelector('[data-field="freshness"]');
    if (source) {
      source.setAttribute("data-source", holding.source);
    }
  }

  function updateRecord(section) {
    var url = section.getAttribute("data-availability-url");
    if (!url) {
      return;
    }
    section.setAttribute("aria-busy", "true");
    announce(section, section.getAttribute("data-msg-checking"));
    getJson(url)
      .then(function (data) {
        (data.holdings || []).forEach(function (holding) {
          var row = section.querySelector('tr[data-holding-id="' + holding.holding_id + '"]');
          if (row) {
            updateRow(row, holding);
          }
        });
        announce(section, section.getAttribute("data-msg-updated"));
      })
      .catch(function () {
        announce(section, section.getAttribute("data-msg-failed"));
      })
      .then(function () {
        section.removeAttribute("aria-busy");
      });
  }

  function clusterId(node) {
    return node.getAttribute("data-availability-id") || node.getAttribute("data-cluster-id");
  }

  function updateSummary(node, summary) {
    var text = node.querySelector("span") || node;
    text.textContent = summary.text;
    ["in", "out", "none"].forEach(function (state) {
      node.classList.toggle("availability--" + state, summary.state === state);
    });
  }

  function updateResults() {
    var nodes = Array.prototype.slice.call(
      document.querySelectorAll("[data-availability-id], .availability[data-cluster-id]")
    );
    if (!nodes.length) {
      return;
    }
    var endpoint = document.body.getAttribute("data-availability-batch") || "/api/v1/availability";
    var ids = [];
    nodes.forEach(function (node) {
      var id = clusterId(node);
      if (/^\d+$/.test(id) && ids.indexOf(id) === -1) {
        ids.push(id);
      }
    });
    for (var start = 0; start < ids.length; start += BATCH_SIZE) {
      getJson(endpoint + "?ids=" + ids.slice(start, start + BATCH_SIZE).join(","))
        .then(function (data) {
          nodes.forEach(function (node) {
            var summary = (data.records || {})[clusterId(node)];
            if (summary) {
              updateSummary(node, summary);
            }
          });
        })
        .catch(function () {
          /* the summary the server rendered stays */
        });
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("section[data-availability-url]"), updateRecord);
    updateResults();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
