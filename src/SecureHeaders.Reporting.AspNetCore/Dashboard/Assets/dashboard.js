// SecureHeaders dashboard behaviour. An external file so the page runs under script-src 'self' (or a nonce).
(function () {
  "use strict";

  // Show instants in the reader's own time zone; the server renders UTC.
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (!isNaN(d.getTime())) {
      el.textContent = d.toLocaleString();
      el.title = el.getAttribute("datetime");
    }
  });

  // Copy buttons name the element whose text they copy.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
  });

  // Optional auto-refresh, remembered per browser.
  var key = "secureheaders.dashboard.refresh";
  var box = document.getElementById("auto-refresh");
  if (box) {
    box.checked = localStorage.getItem(key) === "1";
    var timer = null;
    var arm = function () {
      if (timer) { clearTimeout(timer); timer = null; }
      if (box.checked) { timer = setTimeout(function () { location.reload(); }, 30000); }
    };
    box.addEventListener("change", function () {
      localStorage.setItem(key, box.checked ? "1" : "0");
      arm();
    });
    arm();
  }
})();
