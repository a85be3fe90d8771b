// Warns before the idle limit ends the session (birge.accounts.middleware) and lets her
// stay signed in. The limits come from the page (#session-warning's data attributes).
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || typeof box.showModal !== "function") return;
  var idle = Number(box.dataset.idleSeconds) * 1000;
  var warning = Number(box.dataset.warningSeconds) * 1000;
  // The server notes activity to within a minute: count from a minute earlier.
  var MARGIN = 60000;
  var deadline = Date.now() + Number(box.dataset.secondsLeft) * 1000;
  var countdown = box.querySelector("[data-countdown]");
  var form = box.querySelector("form");

  function restart(secondsLeft) {
    deadline = Date.now() + (secondsLeft === undefined ? idle - MARGIN : secondsLeft * 1000);
    if (box.open) box.close();
  }

  function tick() {
    var left = deadline - Date.now();
    if (left <= 0) {
      // The session has ended: loading the page again leads to sign-in and back here.
      window.location.assign(window.location.href);
      return;
    }
    if (left <= warning && !box.open) {
      document.dispatchEvent(new CustomEvent("birge:session-ending"));
      box.showModal();
    }
    if (box.open) {
      var seconds = Math.ceil(left / 1000);
      countdown.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("ended");
      return response.json();
    }).then(function (answer) {
      restart(answer.seconds_left);
    }, function () {
      window.location.assign(window.location.href);
    });
  });
  document.addEventListener("birge:activity", function () { restart(); });
  document.body.addEventListener("htmx:afterRequest", function () { restart(); });
  window.setInterval(tick, 1000);
})();
