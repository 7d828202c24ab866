// Clicking a fact in the side list scrolls its highlight into view and marks it.
(function () {
  "use strict";
  function marksOf(key) {
    return document.querySelectorAll('mark.hl[data-facts~="' + key + '"]');
  }
  function select(key, scroll) {
    document.querySelectorAll("mark.hl.active, a.fact.active").forEach(function (el) {
      el.classList.remove("active");
    });
    var marks = marksOf(key);
    marks.forEach(function (el) { el.classList.add("active"); });
    var link = document.querySelector('a.fact[data-fact="' + key + '"]');
    if (link) { link.classList.add("active"); }
    if (scroll && marks.length) {
      marks[0].scrollIntoView({block: "center"});
    }
    return marks.length;
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.fact") : null;
    if (link) {
      var key = link.getAttribute("data-fact");
      if (select(key, true)) {
        ev.preventDefault();
        history.replaceState(null, "", "#f-" + key);
      }
      return;
    }
    var mark = ev.target.closest ? ev.target.closest("mark.hl") : null;
    if (mark) {
      var first = (mark.getAttribute("data-facts") || "").split(" ")[0];
      if (first) {
        select(first, false);
        var item = document.querySelector('a.fact[data-fact="' + first + '"]');
        if (item) { item.scrollIntoView({block: "nearest"}); }
      }
    }
  });
  if (location.hash.indexOf("#f-") === 0) {
    select(location.hash.slice(3), true);
  }
})();
