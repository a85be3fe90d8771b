// Forms: the error summary takes the focus, its links focus their fields, and a list of
// checkboxes marked data-pick-list gets a filter box. Everything works without this file.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
    if (!summary) {
      return;
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      var group = field.closest("fieldset, .field") || label || field;
      group.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  function fold(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function filterBox(list, number) {
    var input = document.createElement("input");
    input.type = "search";
    input.id = "pick-list-filter-" + number;
    input.className = "pick-list-filter";
    input.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = list.dataset.filterLabel;
    var empty = document.createElement("p");
    empty.className = "muted";
    empty.hidden = true;
    empty.setAttribute("role", "status");
    empty.textContent = list.dataset.filterEmpty;
    var rows = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var shown = 0;
      rows.forEach(function (box) {
        var row = box.closest("div") || box;
        var text = fold((box.closest("label") || row).textContent);
        var visible = box.checked || query === "" || text.indexOf(query) !== -1;
        row.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      empty.hidden = shown > 0;
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // filtering, not sending the form
      }
    });
    list.insertBefore(empty, list.firstChild);
    list.insertBefore(input, list.firstChild);
    list.insertBefore(label, list.firstChild);
  }

  function start() {
    focusSummary();
    Array.prototype.forEach.call(document.querySelectorAll("[data-pick-list]"), filterBox);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
