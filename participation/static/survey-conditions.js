/* Parents' form: a follow-up question shows only while the answer it depends on (on the same page) is given.
 * Without this script every question stays visible with its hint ("Nur beantworten, wenn …") and the server
 * checks the answers; with it, a hidden follow-up's fields are disabled, so nothing of it is sent. */
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) { return; }
  var followUps = form.querySelectorAll("[data-condition-field]");
  if (!followUps.length) { return; }

  function conditionHolds(container) {
    var name = container.getAttribute("data-condition-field");
    var value = container.getAttribute("data-condition-value");
    var inputs = form.querySelectorAll("input[name='" + name + "']");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === value && inputs[i].checked && !inputs[i].disabled) { return true; }
    }
    return false;
  }

  function update() {
    // In order: a follow-up of a follow-up hides with its parent question.
    for (var i = 0; i < followUps.length; i++) {
      var container = followUps[i];
      // A follow-up the server refused stays in view until the parent clears it (its message says so).
      var show = conditionHolds(container) || container.classList.contains("field--error");
      container.hidden = !show;
      var fields = container.querySelectorAll("input, select, textarea");
      for (var j = 0; j < fields.length; j++) { fields[j].disabled = !show; }
      var hint = container.querySelector(".condition-hint");
      if (hint) { hint.hidden = true; }
    }
  }

  form.addEventListener("change", update);
  update();
}());
