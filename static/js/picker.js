// Type-ahead for long lists (ema.widgets.SearchSelect, SearchSelectMultiple): Tom Select
// (from the npm registry) over a <select> that holds only what is chosen. As the person
// types, the names come from the select's data-picker address, by POST with the form's
// CSRF token, so that no name typed ever sits in an address. Without JavaScript the select
// stays as it is and the form keeps what was chosen.
// A select with data-picker-depends-on="<id of another select>" sends that select's value as
// `within` and lists its rows as soon as it is opened (the interventions of the chosen
// household); it empties itself when the other select changes.
(function () {
  "use strict";
  if (typeof window.TomSelect === "undefined") {
    return;
  }
  const MIN_LENGTH = 2;

  function tokenFor(select) {
    const form = select.closest("form");
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function escaped(text) {
    const holder = document.createElement("div");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function picker(select) {
    const url = select.dataset.picker;
    const multiple = select.multiple;
    const dependsOn = select.dataset.pickerDependsOn
      ? document.getElementById(select.dataset.pickerDependsOn)
      : null;
    function within() {
      return dependsOn ? dependsOn.value : "";
    }
    const settings = {
      valueField: "value",
      labelField: "text",
      searchField: [],
      // The server has matched and sorted the names; keep its order and every answer.
      score: function () {
        return function () {
          return 1;
        };
      },
      maxOptions: 50,
      loadThrottle: 250,
      // The list is redrawn at each letter: a redraw held back would reopen it (and take the
      // focus back) after a quick Enter has already chosen and moved on.
      refreshThrottle: 0,
      closeAfterSelect: !multiple,
      hidePlaceholder: true,
      placeholder: select.dataset.pickerPrompt || "",
      // The plugins' titles, in the page's language (the plugin writes its title as HTML).
      plugins: multiple
        ? { remove_button: { title: select.dataset.pickerRemove || "" } }
        : { clear_button: { title: escaped(select.dataset.pickerClear || "") } },
      preload: dependsOn ? "focus" : null,
      shouldLoad: function (query) {
        // A dependent list comes whole as the field opens (preload); what is typed then
        // narrows it here, without a request whose late answer could reopen the list.
        return dependsOn ? false : query.trim().length >= MIN_LENGTH;
      },
      load: function (query, callback) {
        const self = this;
        const body = new URLSearchParams({ q: query });
        if (dependsOn) {
          if (!within()) {
            callback();
            return;
          }
          body.append("within", within());
        }
        fetch(url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": tokenFor(select), "X-Requested-With": "fetch" },
        })
          .then(function (response) {
            if (!response.ok) {
              throw new Error(String(response.status));
            }
            return response.json();
          })
          .then(function (answer) {
            if (!dependsOn && self.inputValue() !== query.trim()) {
              // A late answer to letters since changed (or a choice already made): drawing
              // it would reopen the list, so only the loading state is settled (as Tom
              // Select's own callback does); the search of what is typed now follows.
              self.loading = Math.max(self.loading - 1, 0);
              if (!self.loading) {
                self.wrapper.classList.remove(self.settings.loadingClass);
              }
              return;
            }
            // Only this search's names are offered, not those of the letters typed before.
            self.clearOptions();
            callback(answer.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + escaped(select.dataset.pickerEmpty || "") + "</div>";
        },
        // Shown by a dependent list (which never loads as one types) when nothing is offered.
        not_loading: function () {
          if (within() && this.currentResults && this.currentResults.items.length) {
            return null;
          }
          const text = within() ? select.dataset.pickerEmpty : select.dataset.pickerPrompt;
          return '<div class="no-results">' + escaped(text || "") + "</div>";
        },
      },
    };
    if (dependsOn) {
      settings.searchField = ["text"];
      delete settings.score;
    }
    // Tom Select moves the label to its own input; the select it hides keeps the name too.
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.replace("*", "").trim());
    }
    const control = new window.TomSelect(select, settings);
    if (dependsOn) {
      // What was chosen belongs to the other select's former choice: start again.
      dependsOn.addEventListener("change", function () {
        control.clear();
        control.clearOptions();
        control.wrapper.classList.remove("preloaded");
      });
    }
  }

  document.querySelectorAll("select[data-picker]").forEach(picker);
})();
