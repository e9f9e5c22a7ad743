/* The timeline's small additions for readers with JavaScript. Every page works without it:
   tag links lead to tag pages, events are plain anchors. This file adds
   - keyboard navigation between events: j / k (any keyboard layout) or the arrow keys;
   - an in-page tag filter on the full timeline (its links stay real tag-page links);
   - a language switch that keeps the event or filter the reader is on. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  var events = Array.prototype.slice.call(document.querySelectorAll("article.event"));
  var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function shown(element) {
    return !element.closest("[hidden]");
  }

  function nextEvent(list, step) {
    var within = document.activeElement && document.activeElement.closest("article.event");
    var index = list.indexOf(within);
    if (index >= 0) return list[Math.max(0, Math.min(list.length - 1, index + step))];
    // Nothing focused yet: the first event below the top of the screen, or the last one above it.
    var tops = list.map(function (event) { return event.getBoundingClientRect().top; });
    if (step > 0) {
      for (var i = 0; i < list.length; i++) if (tops[i] > 1) return list[i];
      return list[list.length - 1];
    }
    for (var j = list.length - 1; j >= 0; j--) if (tops[j] < -1) return list[j];
    return list[0];
  }

  function focusEvent(step) {
    var list = events.filter(shown);
    if (!list.length) return false;
    var target = nextEvent(list, step);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start", behavior: smooth ? "smooth" : "auto" });
    history.replaceState(history.state, "", location.pathname + location.search + "#" + target.id);
    return true;
  }

  var KEYS = { KeyJ: 1, KeyK: -1, ArrowDown: 1, ArrowUp: -1 };

  function inEditable(element) {
    return element && element.closest && element.closest("input, textarea, select, [contenteditable]");
  }

  if (events.length > 1) {
    document.addEventListener("keydown", function (press) {
      if (press.defaultPrevented || press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) return;
      if (inEditable(press.target)) return;
      var step = KEYS[press.code] || { j: 1, k: -1 }[press.key];
      if (step && focusEvent(step)) press.preventDefault();
    });
  }

  var filter = document.querySelector(".tag-filter[data-in-page]");
  if (filter) {
    var links = Array.prototype.slice.call(filter.querySelectorAll("a[data-tag]"));
    var days = Array.prototype.slice.call(document.querySelectorAll(".timeline > .day"));
    var status = filter.querySelector(".filter-status");
    var digits = root.getAttribute("data-digits") || "latn";
    var number = new Intl.NumberFormat(root.lang + "-u-nu-" + digits);
    var active = "";

    var applyTag = function (tag) {
      active = tag;
      var count = 0;
      events.forEach(function (event) {
        var match = !tag || (event.getAttribute("data-tags") || "").split(" ").indexOf(tag) >= 0;
        event.hidden = !match;
        if (match) count++;
      });
      days.forEach(function (day) {
        day.hidden = !day.querySelector("article.event:not([hidden])");
      });
      links.forEach(function (link) {
        if (link.getAttribute("data-tag") === tag) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      });
      if (status) status.textContent = tag ? status.getAttribute("data-template").replace("{count}", number.format(count)) : "";
      history.replaceState(history.state, "", location.pathname + (tag ? "?tag=" + encodeURIComponent(tag) : ""));
    };

    filter.addEventListener("click", function (click) {
      var link = click.target.closest("a[data-tag]");
      if (!link || click.button !== 0 || click.ctrlKey || click.metaKey || click.shiftKey || click.altKey) return;
      click.preventDefault();
      var tag = link.getAttribute("data-tag");
      applyTag(tag === active ? "" : tag);
    });

    var asked = new URLSearchParams(location.search).get("tag");
    if (asked && links.some(function (link) { return link.getAttribute("data-tag") === asked; })) applyTag(asked);
  }

  // The other language's page has the same event ids and tags: carry them across.
  Array.prototype.forEach.call(document.querySelectorAll(".language-switch a"), function (link) {
    link.addEventListener("click", function () {
      var target = new URL(link.href, location.href);
      if (target.pathname !== location.pathname) {
        target.search = location.search;
        target.hash = location.hash;
        link.href = target.href;
      }
    });
  });
})();
