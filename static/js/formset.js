/* The kommissorium editor's lists of rows (deliverables, milestones): add and remove rows without a save.
 *
 * Progressive enhancement of templates/committees/staff/includes/formset.html. Without this script the
 * "Tilføj" button submits the form and the server sends it back as typed with one more row, and each row has its
 * "Slet" checkbox. With it, "Tilføj" copies the formset's empty form from its <template> and "Fjern" removes a
 * row: a row not yet saved is taken out (the rows after it move up a number), a saved row is marked for deletion
 * and hidden. The server stays the authority: it checks every row and the number of rows again on save.
 * Every text comes from the page (data attributes), so it follows the user's language.
 * Loaded with defer on the editor page only; no inline script (Content-Security-Policy: script-src 'self').
 */
(function () {
  "use strict";

  var FIELD = "input:not([type=hidden]):not([type=checkbox]), textarea, select";
  var RENAMED = ["id", "name", "for", "aria-describedby", "aria-labelledby"];

  function fill(text, values) {
    return text.replace(/%\((\w+)\)[sd]/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function Formset(root) {
    var prefix = root.getAttribute("data-formset");
    var management = function (name) {
      return root.querySelector('input[name="' + prefix + "-" + name + '"]');
    };
    this.root = root;
    this.prefix = prefix;
    this.total = management("TOTAL_FORMS");
    this.initial = parseInt(management("INITIAL_FORMS").value, 10) || 0;
    this.max = parseInt(management("MAX_NUM_FORMS").value, 10);
    this.min = parseInt(management("MIN_NUM_FORMS").value, 10) || 0;
    this.rows = root.querySelector("[data-formset-rows]");
    this.template = root.querySelector("template[data-formset-empty]");
    this.addButton = root.querySelector("[data-formset-add]");
    this.status = root.querySelector("[data-formset-status]");
    if (!this.total || !this.rows || !this.template || !this.addButton || !this.status) {
      return; // not the markup this script knows: the form keeps working without it
    }
    var self = this;
    this.allRows().forEach(function (row) {
      self.enhance(row);
      if (self.deleteBox(row) && self.deleteBox(row).checked) {
        row.hidden = true; // marked for deletion before the page was sent back (a refused save)
      }
    });
    this.renumber();
    this.addButton.addEventListener("click", function (event) {
      event.preventDefault();
      self.add();
    });
  }

  Formset.prototype.allRows = function () {
    return Array.prototype.slice.call(this.rows.querySelectorAll("[data-formset-row]"));
  };

  Formset.prototype.visibleRows = function () {
    return this.allRows().filter(function (row) {
      return !row.hidden;
    });
  };

  Formset.prototype.count = function () {
    return parseInt(this.total.value, 10) || 0;
  };

  Formset.prototype.deleteBox = function (row) {
    return row.querySelector('input[type=checkbox][name$="-DELETE"]');
  };

  /* The row's "Fjern" button replaces its "Slet" checkbox. */
  Formset.prototype.enhance = function (row) {
    var self = this;
    var box = this.deleteBox(row);
    var remove = row.querySelector("[data-formset-remove]");
    if (!box || !remove) {
      return;
    }
    (box.closest(".form-check") || box).hidden = true;
    remove.hidden = false;
    remove.addEventListener("click", function () {
      self.remove(row);
    });
  };

  /* The numbers people see ("Leverance 2"), in every label of each row, count the rows still shown. */
  Formset.prototype.renumber = function () {
    this.visibleRows().forEach(function (row, i) {
      Array.prototype.forEach.call(row.querySelectorAll("[data-row-n]"), function (span) {
        span.textContent = String(i + 1);
      });
    });
  };

  /* Rewrites a row's field names and ids from one form index to another ("leverancer-3-title" → "-2-"). */
  Formset.prototype.reindex = function (row, from, to) {
    var old = this.prefix + "-" + from + "-";
    var now = this.prefix + "-" + to + "-";
    var elements = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
    elements.forEach(function (el) {
      RENAMED.forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf(old) !== -1) {
          el.setAttribute(attr, value.split(old).join(now));
        }
      });
    });
    row.setAttribute("data-formset-row", String(to));
  };

  Formset.prototype.announce = function (text) {
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text; // emptied first, so the same words twice are read twice
    }, 100);
  };

  Formset.prototype.add = function () {
    var index = this.count();
    if (!isNaN(this.max) && index >= this.max) {
      this.announce(fill(this.root.getAttribute("data-max-message"), { num: this.max }));
      return;
    }
    var fragment = this.template.content.cloneNode(true);
    Array.prototype.forEach.call(fragment.querySelectorAll("*"), function (el) {
      Array.prototype.forEach.call(el.attributes, function (attr) {
        if (attr.value.indexOf("__prefix__") !== -1) {
          el.setAttribute(attr.name, attr.value.split("__prefix__").join(String(index)));
        }
      });
    });
    var row = fragment.querySelector("[data-formset-row]");
    this.rows.appendChild(fragment);
    this.total.value = String(index + 1);
    this.enhance(row);
    this.renumber();
    var field = row.querySelector(FIELD);
    if (field) {
      field.focus();
    }
    this.announce(fill(this.root.getAttribute("data-added"), { n: this.visibleRows().length }));
  };

  Formset.prototype.remove = function (row) {
    var visible = this.visibleRows();
    if (visible.length <= this.min) {
      return;
    }
    var position = visible.indexOf(row);
    var index = parseInt(row.getAttribute("data-formset-row"), 10);
    if (index >= this.initial) {
      // Not saved yet: take it out, and the new rows after it move up one place.
      var self = this;
      row.parentNode.removeChild(row);
      this.allRows().forEach(function (other) {
        var i = parseInt(other.getAttribute("data-formset-row"), 10);
        if (i > index) {
          self.reindex(other, i, i - 1);
        }
      });
      this.total.value = String(this.count() - 1);
    } else {
      // Saved before: marked for deletion, which happens when the form is saved.
      this.deleteBox(row).checked = true;
      row.hidden = true;
    }
    this.renumber();
    var rest = this.visibleRows();
    var next = rest[position] || rest[position - 1];
    var target = next ? next.querySelector("[data-formset-remove]") : null;
    (target || this.addButton).focus();
    this.announce(fill(this.root.getAttribute("data-removed"), { n: position + 1 }));
  };

  Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-formset]"), function (root) {
    new Formset(root);
  });
})();
