// Filters and pages for the quality report's long lists: every <table class="paged"> (its rows) and every
// <div class="paged"> (its child elements) gets a text box, a select per attribute named in data-filters (values
// from the items' data-* attributes), and pages of data-page-size items. Plain JavaScript inlined into the page:
// nothing is fetched. Without it every item is shown.
(function () {
  "use strict";
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function setUp(table) {
    var rows = Array.prototype.slice.call(table.tBodies ? table.tBodies[0].rows : table.children);
    var size = parseInt(table.getAttribute("data-page-size") || "50", 10);
    var filters = (table.getAttribute("data-filters") || "").split(/\s+/).filter(Boolean);
    var bar = el("div", { "class": "pager", "id": table.id + "-pager" });
    var search = el("input", { "type": "search", "class": "filter-text", "placeholder": "filter · 筛选",
                               "aria-label": "filter rows" });
    bar.appendChild(search);
    var selects = filters.map(function (name) {
      var values = {};  // value → what the option says (data-<name>-label, e.g. a rule's name in words)
      rows.forEach(function (row) {
        var v = row.getAttribute("data-" + name);
        if (v) { values[v] = row.getAttribute("data-" + name + "-label") || v; }
      });
      var select = el("select", { "class": "filter-" + name, "aria-label": name });
      select.appendChild(el("option", { "value": "" }, name + ": all · 全部"));
      Object.keys(values).sort().forEach(function (v) {
        select.appendChild(el("option", { "value": v }, values[v]));
      });
      bar.appendChild(select);
      return { name: name, select: select };
    });
    var previous = el("button", { "type": "button", "class": "page-previous" }, "‹ previous");
    var next = el("button", { "type": "button", "class": "page-next" }, "next ›");
    var status = el("span", { "class": "page-status", "aria-live": "polite" });
    bar.appendChild(previous); bar.appendChild(status); bar.appendChild(next);
    table.parentNode.insertBefore(bar, table);
    var page = 0, matching = rows;
    function render() {
      var pages = Math.max(1, Math.ceil(matching.length / size));
      page = Math.min(page, pages - 1);
      var first = page * size, last = Math.min(first + size, matching.length);
      rows.forEach(function (row) { row.hidden = true; });
      for (var i = first; i < last; i++) { matching[i].hidden = false; }
      status.textContent = matching.length ? (first + 1) + "–" + last + " of " + matching.length
        + (matching.length < rows.length ? " (of " + rows.length + ")" : "") + " · 第 " + (page + 1) + "/" + pages
        + " 页" : "no rows match · 无匹配";
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    function refilter() {
      var text = search.value.trim().toLowerCase();
      matching = rows.filter(function (row) {
        for (var j = 0; j < selects.length; j++) {
          var wanted = selects[j].select.value;
          if (wanted && row.getAttribute("data-" + selects[j].name) !== wanted) { return false; }
        }
        return !text || row.textContent.toLowerCase().indexOf(text) !== -1;
      });
      page = 0;
      render();
    }
    search.addEventListener("input", refilter);
    selects.forEach(function (s) { s.select.addEventListener("change", refilter); });
    previous.addEventListener("click", function () { page -= 1; render(); });
    next.addEventListener("click", function () { page += 1; render(); });
    table.gongkaiShow = function (target) {  // turn to the page holding `target` (a link into the list)
      var item = rows.filter(function (row) { return row.contains(target); })[0];
      if (!item) { return; }
      if (matching.indexOf(item) === -1) {
        search.value = ""; selects.forEach(function (s) { s.select.value = ""; }); refilter();
      }
      page = Math.floor(matching.indexOf(item) / size);
      render();
    };
    render();
  }
  Array.prototype.forEach.call(document.querySelectorAll(".paged"), setUp);
  // A link to a report inside a folded agency section opens that section first.
  function reveal() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
      if (node.gongkaiShow) { node.gongkaiShow(target); }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
}());
