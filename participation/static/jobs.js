/* Progressive enhancement: while a background job runs, poll its status and update the progress bar; when it is
   done, the heading says so (data-done-label) and the page moves on to the result (data-follow).
   Without JavaScript the page offers a reload button instead. */
(function () {
  "use strict";
  function watch(box) {
    var id = box.getAttribute("data-job-id");
    var bar = box.querySelector("progress");
    var message = box.querySelector(".job-message");
    var done = box.querySelector(".job-done");
    var failed = box.querySelector(".job-failed");
    var label = box.querySelector(".job-label");
    function finish() {
      done.hidden = false;
      box.querySelector(".job-reload").hidden = true;
      var doneLabel = box.getAttribute("data-done-label");
      if (doneLabel) { label.textContent = doneLabel; document.title = doneLabel; }
      var follow = box.getAttribute("data-follow");
      if (follow) { window.setTimeout(function () { window.location.assign(follow); }, 800); }
    }
    function poll() {
      fetch("/api/jobs/" + id, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          var percent = Math.round(job.progress * 100);
          bar.value = percent;
          message.textContent = (job.message ? job.message + " – " : "") + percent + " %";
          if (job.status === "done") { finish(); }
          else if (job.status === "failed") { failed.hidden = false; }
          else { window.setTimeout(poll, 1500); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  }
  document.querySelectorAll("[data-job-id]").forEach(watch);
})();
