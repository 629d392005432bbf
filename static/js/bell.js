/* The bell of the navigation bar: how many reminders wait, asked after the page is shown, so
 * that no page pays for it. Without JavaScript, the bell still leads to the reminders. */
(function () {
  "use strict";
  const bell = document.querySelector("[data-reminder-count]");
  if (!bell || !navigator.onLine) return;
  fetch(bell.dataset.reminderCount, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok && !response.redirected ? response.json() : null))
    .then((answer) => {
      if (!answer || !answer.count) return;
      const badge = bell.querySelector("[data-count]");
      badge.textContent = answer.count > 99 ? "99+" : String(answer.count);
      badge.hidden = false;
      bell.setAttribute("aria-label", bell.dataset.labelCount.replace("{n}", String(answer.count)));
    })
    .catch(() => {});
})();
