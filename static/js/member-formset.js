// "Add a member": clone the empty member form of the household formset.
(function () {
  "use strict";
  const button = document.querySelector("[data-add-member]");
  const template = document.getElementById("member-form-template");
  const container = document.getElementById("member-forms");
  const total = document.getElementById("id_members-TOTAL_FORMS");
  if (!button || !template || !container || !total) {
    return;
  }
  button.addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = container.lastElementChild;
    const first = added && added.querySelector("input:not([type=hidden])");
    if (first) {
      first.focus();
    }
  });
})();
