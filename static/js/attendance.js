// The attendance of a group session: "everyone from the last session" and "tick everyone"
// tick the boxes here, without leaving the page. Without JavaScript they are links that load
// the form again with the same boxes ticked (?comme=...), so the page works either way.
(function () {
  "use strict";
  function tick(control) {
    const fieldset = control.closest("fieldset");
    if (!fieldset) {
      return;
    }
    const wanted = control.dataset.attendanceFill;
    const ids = wanted === "all" ? null : wanted.split(" ");
    fieldset.querySelectorAll("input[type=checkbox][name=present]").forEach(function (box) {
      box.checked = ids === null || ids.indexOf(box.value) !== -1;
    });
  }
  document.querySelectorAll("[data-attendance-fill]").forEach(function (control) {
    control.setAttribute("role", "button");
    control.addEventListener("click", function (event) {
      event.preventDefault();
      tick(control);
    });
    control.addEventListener("keydown", function (event) {
      // A button answers the space bar too; a link does not by itself.
      if (event.key === " ") {
        event.preventDefault();
        tick(control);
      }
    });
  });
})();
