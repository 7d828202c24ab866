// A document's review page: one page at a time (the pager, the arrow keys, #page-N), the side list
// showing the facts of the page in view, a search across the pages' text, and facts selected from
// the list, from their highlight in the text or from their cell box on the page.
(function () {
  "use strict";
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  var numbers = sections.map(function (s) { return +s.getAttribute("data-page"); });
  var pageSelect = document.getElementById("page-select");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var allPages = document.getElementById("all-pages");
  var search = document.getElementById("search");
  var searchNext = document.getElementById("search-next");
  var searchStatus = document.getElementById("search-status");
  var current = null;
  var query = "";
  var counts = {};     // page -> matches of the query
  var hitIndex = -1;   // the match in view on the current page

  function sectionOf(n) { return document.getElementById("page-" + n); }

  // cell boxes are fractions of the page; placed here because the page's policy allows no inline style
  document.querySelectorAll(".page-view").forEach(function (view) {
    view.style.aspectRatio = view.getAttribute("data-w") + " / " + view.getAttribute("data-h");
    view.querySelectorAll("a.cell").forEach(function (cell) {
      var b = cell.getAttribute("data-box").split(" ").map(Number);
      cell.style.left = (b[0] * 100) + "%";
      cell.style.top = (b[1] * 100) + "%";
      cell.style.width = (b[2] * 100) + "%";
      cell.style.height = (b[3] * 100) + "%";
    });
  });

  function filterList() {
    var all = !allPages || allPages.checked || current === null;
    var shown = 0;
    document.querySelectorAll("aside.facts section.group").forEach(function (group) {
      var n = 0;
      group.querySelectorAll("li").forEach(function (li) {
        var page = li.getAttribute("data-page");
        li.hidden = !all && page !== null && +page !== current;
        if (!li.hidden) { n += 1; }
      });
      group.hidden = n === 0;
      group.querySelector(".n").textContent = n;
      shown += n;
    });
    var title = document.getElementById("facts-title");
    if (title) { title.textContent = all ? "All facts" : "Facts on page " + current; }
    var empty = document.getElementById("facts-empty");
    if (empty) { empty.hidden = shown > 0; }
  }

  function show(n, keepScroll) {
    if (!numbers.length) { return; }
    if (numbers.indexOf(n) < 0) { n = numbers[0]; }
    current = n;
    sections.forEach(function (s) { s.hidden = +s.getAttribute("data-page") !== n; });
    if (pageSelect) { pageSelect.value = String(n); }
    if (prev) { prev.disabled = n === numbers[0]; }
    if (next) { next.disabled = n === numbers[numbers.length - 1]; }
    filterList();
    markHits();
    if (!keepScroll) { sectionOf(n).scrollIntoView({block: "start"}); }
  }

  function go(step) {
    var k = numbers.indexOf(current) + step;
    if (k >= 0 && k < numbers.length) {
      show(numbers[k]);
      history.replaceState(null, "", "#page-" + numbers[k]);
    }
  }

  function pageOfFact(key) {
    var el = document.getElementById("f-" + key);
    var sec = el && el.closest ? el.closest("section.page") : null;
    if (sec) { return +sec.getAttribute("data-page"); }
    var link = document.querySelector('a.fact[data-fact="' + key + '"]');
    var li = link ? link.closest("li[data-page]") : null;
    return li ? +li.getAttribute("data-page") : null;
  }

  function selectFact(key, scroll) {
    var page = pageOfFact(key);
    if (page !== null && page !== current && numbers.indexOf(page) >= 0) { show(page, true); }
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
    var targets = Array.prototype.slice.call(document.querySelectorAll(
      'mark.hl[data-facts~="' + key + '"], a.cell[data-fact="' + key + '"], a.cellref[data-fact="' + key + '"]'));
    targets.forEach(function (el) { el.classList.add("active"); });
    var link = document.querySelector('a.fact[data-fact="' + key + '"]');
    if (link) {
      link.classList.add("active");
      link.scrollIntoView({block: "nearest"});
    }
    var inPage = targets.filter(function (el) { return !el.classList.contains("cellref"); });
    if (scroll && (inPage.length || targets.length)) {
      (inPage[0] || targets[0]).scrollIntoView({block: "center"});
    }
    return targets.length;
  }

  // --- search: matches are counted on every page and marked on the page in view
  function clearHits() {
    document.querySelectorAll("span.hit").forEach(function (hit) {
      var parent = hit.parentNode;
      parent.replaceChild(document.createTextNode(hit.textContent), hit);
      parent.normalize();
    });
  }

  function markHits() {
    clearHits();
    hitIndex = -1;
    if (!query || current === null) { return; }
    var pre = sectionOf(current).querySelector("pre.page-text");
    if (!pre) { return; }
    var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var lower = text.toLowerCase();
      var at = lower.indexOf(query);
      if (at < 0) { return; }
      var frag = document.createDocumentFragment();
      var from = 0;
      while (at >= 0) {
        frag.appendChild(document.createTextNode(text.slice(from, at)));
        var hit = document.createElement("span");
        hit.className = "hit";
        hit.textContent = text.slice(at, at + query.length);
        frag.appendChild(hit);
        from = at + query.length;
        at = lower.indexOf(query, from);
      }
      frag.appendChild(document.createTextNode(text.slice(from)));
      node.parentNode.replaceChild(frag, node);
    });
  }

  function runSearch() {
    query = search.value.trim().toLowerCase();
    counts = {};
    var total = 0, pages = 0;
    if (query) {
      sections.forEach(function (s) {
        var pre = s.querySelector("pre.page-text");
        var text = pre ? pre.textContent.toLowerCase() : "";
        var n = 0, at = text.indexOf(query);
        while (at >= 0) { n += 1; at = text.indexOf(query, at + query.length); }
        if (n) { counts[s.getAttribute("data-page")] = n; total += n; pages += 1; }
      });
    }
    markHits();
    searchStatus.textContent = !query ? "" : total === 0 ? "no matches"
      : total + " match" + (total === 1 ? "" : "es") + " on " + pages + " page" + (pages === 1 ? "" : "s")
        + (counts[current] ? " (" + counts[current] + " here)" : "");
  }

  function nextHit() {
    if (!query) { return; }
    var hits = document.querySelectorAll("span.hit");
    if (hitIndex + 1 < hits.length) {
      hitIndex += 1;
    } else {
      // the next page after this one with a match, wrapping round
      var k = numbers.indexOf(current);
      var found = null;
      for (var i = 1; i <= numbers.length; i += 1) {
        var n = numbers[(k + i) % numbers.length];
        if (counts[n]) { found = n; break; }
      }
      if (found === null) { return; }
      show(found, true);
      history.replaceState(null, "", "#page-" + found);
      runSearch();
      hits = document.querySelectorAll("span.hit");
      hitIndex = 0;
    }
    document.querySelectorAll("span.hit.current").forEach(function (h) { h.classList.remove("current"); });
    if (hits[hitIndex]) {
      hits[hitIndex].classList.add("current");
      hits[hitIndex].scrollIntoView({block: "center"});
    }
  }

  // --- wiring
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.fact, a.cellref") : null;
    if (link) {
      var key = link.getAttribute("data-fact");
      if (selectFact(key, true)) {
        ev.preventDefault();
        history.replaceState(null, "", "#f-" + key);
      }
      return;
    }
    var mark = ev.target.closest ? ev.target.closest("mark.hl, a.cell") : null;
    if (mark) {
      var first = (mark.getAttribute("data-facts") || mark.getAttribute("data-fact") || "").split(" ")[0];
      if (first) {
        ev.preventDefault();
        selectFact(first, false);
      }
    }
  });
  if (pageSelect) {
    pageSelect.addEventListener("change", function () {
      show(+pageSelect.value);
      history.replaceState(null, "", "#page-" + pageSelect.value);
    });
  }
  if (prev) { prev.addEventListener("click", function () { go(-1); }); }
  if (next) { next.addEventListener("click", function () { go(1); }); }
  if (allPages) { allPages.addEventListener("change", filterList); }
  if (search) {
    search.addEventListener("input", runSearch);
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); nextHit(); }
    });
  }
  if (searchNext) { searchNext.addEventListener("click", nextHit); }
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if (ev.key === "ArrowLeft") { go(-1); }
    if (ev.key === "ArrowRight") { go(1); }
  });

  window.councilpapersReview = {
    show: function (n) { show(n, true); },
    select: function (key) { return selectFact(key, true); },
    page: function () { return current; },
    search: function (q) { search.value = q; runSearch(); return counts; },
    nextHit: nextHit
  };

  var hash = location.hash;
  if (hash.indexOf("#f-") === 0 && numbers.length) {
    show(numbers[0], true);
    selectFact(hash.slice(3), true);
  } else if (hash.indexOf("#page-") === 0) {
    show(+hash.slice(6));
  } else if (numbers.length) {
    show(numbers[0], true);
  } else {
    filterList();
  }
})();
