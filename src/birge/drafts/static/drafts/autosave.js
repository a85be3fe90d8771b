// Keeps what is typed into a long form as a server-side draft (birge.drafts): a moment
// after each change, every 20 seconds while there are unsaved changes, and when the
// session is about to end, to the form's own address (whose view checks access as for
// the form itself). Nothing is kept in the browser or in the address.
(function () {
  "use strict";
  var PAUSE = 2000;
  var EVERY = 20000;

  function keep(form, status) {
    var dirty = false;
    var sending = false;
    var submitted = false;
    var pause = null;

    function save() {
      if (!dirty || sending || submitted) return;
      dirty = false;
      sending = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Birge-Draft": "save" },
        credentials: "same-origin",
        redirect: "manual",
      }).then(function (response) {
        sending = false;
        if (response.status === 204) {
          status.textContent = status.dataset.savedText;
          document.dispatchEvent(new CustomEvent("birge:activity"));
        } else {
          dirty = true;
          status.textContent = status.dataset.failedText;
        }
      }, function () {
        sending = false;
        dirty = true;
        status.textContent = status.dataset.failedText;
      });
    }

    function changed() {
      dirty = true;
      window.clearTimeout(pause);
      pause = window.setTimeout(save, PAUSE);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitted = true;
      window.clearTimeout(pause);
    });
    window.setInterval(save, EVERY);
    document.addEventListener("birge:session-ending", save);
  }

  document.querySelectorAll("[data-draft-autosave]").forEach(function (status) {
    var form = status.closest("form");
    if (form && !form.dataset.draftKept) {
      form.dataset.draftKept = "1";
      keep(form, status);
    }
  });
})();
