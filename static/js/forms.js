// One submission per tap: once a form is being sent, its buttons wait until the next page.
// The server refuses a second copy anyway (each create form carries a one-time token); this
// spares the person the doubt, and a weak connection the second request.
(function () {
  "use strict";
  const RETRY_AFTER_MS = 15000;
  function buttonsOf(form) {
    return Array.from(form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]"));
  }
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.sending === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    form.setAttribute("aria-busy", "true");
    // After this event, so that the button that was pressed is still sent with the form.
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
    // A request that never comes back (the network dropped) must not leave the form dead.
    window.setTimeout(function () {
      release(form);
    }, RETRY_AFTER_MS);
  });
  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    buttonsOf(form).forEach(function (button) {
      button.disabled = false;
    });
  }
  // Back to a page from the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
