/* The item form (templates/meetings/staff/item_form.html): the publish level of a closed item, the anonymised
 * title and the "indeholder personoplysninger" mark only mean something for a closed item, so they are hidden
 * while "Lukket punkt" is not ticked. Without this script they always show, and their help text says so; the
 * server ignores them for open items. Loaded with defer; no inline script (Content-Security-Policy).
 */
(function () {
  "use strict";

  var closed = document.getElementById("id_is_closed");
  var group = document.getElementById("lukket-offentliggoerelse");
  if (!closed || !group) {
    return;
  }
  function update() {
    group.hidden = !closed.checked;
  }
  closed.addEventListener("change", update);
  update();
})();
