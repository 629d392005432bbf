// A running tally (interventions/tally_detail.html): each tap on + or − changes the count
// on the page at once, and the counts are sent as absolute numbers, one request at a time,
// the latest counts winning: a lost or repeated request never counts anybody twice.
// Without this script, each button is a plain submit of its group's next count.
(function () {
  "use strict";
  const form = document.querySelector("form[data-tally]");
  if (!form) {
    return;
  }
  const rows = Array.from(form.querySelectorAll("[data-tally-group]"));
  const total = document.querySelector("[data-tally-total]");
  const error = form.querySelector("[data-tally-error]");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const closing = document.querySelector("form[data-tally-close]");
  let sending = false;
  let dirty = false;
  let retryIn = 1000;
  let closeWhenSent = false;

  function counts() {
    const body = new URLSearchParams();
    rows.forEach(function (row) {
      body.append(row.dataset.tallyGroup, row.dataset.count);
    });
    return body;
  }

  function show(row, count) {
    row.dataset.count = String(count);
    row.querySelector("[data-tally-count]").textContent = String(count);
    row.querySelector("[data-step='-1']").disabled = count <= 0;
  }

  function showTotal() {
    total.textContent = String(
      rows.reduce(function (sum, row) {
        return sum + Number(row.dataset.count);
      }, 0)
    );
  }

  function send() {
    if (sending) {
      dirty = true;
      return;
    }
    sending = true;
    dirty = false;
    fetch(form.action, {
      method: "POST",
      body: counts(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(
        function (response) {
          retryIn = 1000;
          return response.json().then(function (answer) {
            // Refused (a closed tally, a count out of bounds): say so; a retry would not help.
            error.textContent = response.ok ? "" : answer.error || String(response.status);
            error.hidden = response.ok;
          });
        },
        function () {
          // No network: try again, less and less often, with the latest counts.
          dirty = true;
          retryIn = Math.min(retryIn * 2, 30000);
        }
      )
      .finally(function () {
        sending = false;
        if (dirty) {
          window.setTimeout(send, retryIn);
        } else if (closeWhenSent) {
          // Once: a programmatic submit fires no submit event, so nothing else clears it,
          // and a later count's answer would send the close again.
          closeWhenSent = false;
          closing.submit();
        }
      });
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-step]");
    if (!button) {
      return;
    }
    event.preventDefault();
    const row = button.closest("[data-tally-group]");
    show(row, Math.max(0, Number(row.dataset.count) + Number(button.dataset.step)));
    showTotal();
    send();
  });

  // Closing waits for the last counts to be saved, so that the intervention has them.
  if (closing) {
    closing.addEventListener("submit", function (event) {
      if (sending || dirty) {
        event.preventDefault();
        closeWhenSent = true;
      }
    });
  }
})();
