/* The search page, progressively enhanced. Without this file everything works
   through plain GET forms and links; with it:
   - ticking a facet checkbox applies the filters at once (focus returns to
     the same checkbox after the reload, so keyboard users keep their place);
   - a complete, valid date applies after a short pause;
   - empty fields are left out of the URL;
   - "/" moves the focus to the search box;
   - on a phone the filter panel starts folded;
   - the top words («الكلمات المميزة») are loaded into their section after the
     page is shown (without JavaScript, its link opens /search/terms/).
   Served from /static/ (CSP script-src 'self'); no inline handlers. */
(function () {
  "use strict";

  var FOCUS_KEY = "search.focus";
  var DATE_DELAY = 700;
  var ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

  var form = document.getElementById("facet-form");
  var results = document.getElementById("search-results");
  var dateTimer = null;

  function remember(id) {
    try {
      if (id) { window.sessionStorage.setItem(FOCUS_KEY, id); }
    } catch (e) { /* storage may be disabled */ }
  }

  function restoreFocus() {
    var id = null;
    try {
      id = window.sessionStorage.getItem(FOCUS_KEY);
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) { return; }
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    var panel = el.closest("details");
    while (panel) {
      panel.open = true;
      panel = panel.parentElement ? panel.parentElement.closest("details") : null;
    }
    el.focus();
  }

  function busy() {
    if (results) { results.setAttribute("aria-busy", "true"); }
    document.body.classList.add("is-loading");
  }

  function submit(focusId) {
    if (dateTimer) { window.clearTimeout(dateTimer); dateTimer = null; }
    remember(focusId);
    busy();
    if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
  }

  function validDate(value) {
    if (value === "") { return true; }
    var m = ISO_DATE.exec(value);
    return !!m && Number(m[1]) >= 1800;
  }

  function datesReady() {
    var from = form.elements.date_from;
    var to = form.elements.date_to;
    if (!from || !to) { return false; }
    if (!validDate(from.value) || !validDate(to.value)) { return false; }
    return !(from.value && to.value && from.value > to.value);
  }

  if (form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "checkbox") {
        submit(target.id);
      } else if (target.type === "date") {
        if (dateTimer) { window.clearTimeout(dateTimer); }
        dateTimer = window.setTimeout(function () {
          dateTimer = null;
          if (datesReady()) { submit(target.id); }
        }, DATE_DELAY);
      }
    });
    form.addEventListener("keydown", function (event) {
      // Typing in a date field again postpones the automatic submit.
      if (dateTimer && event.target.type === "date" && event.key !== "Enter") {
        window.clearTimeout(dateTimer);
        dateTimer = null;
      }
    });
    form.addEventListener("submit", function () {
      if (dateTimer) { window.clearTimeout(dateTimer); dateTimer = null; }
      busy();
    });
  }

  // Leave empty fields (date_from=&date_to=) out of every search URL.
  document.addEventListener("formdata", function (event) {
    var data = event.formData;
    var empty = [];
    data.forEach(function (value, key) {
      if (value === "" && empty.indexOf(key) < 0) { empty.push(key); }
    });
    empty.forEach(function (key) {
      var kept = data.getAll(key).filter(function (v) { return v !== ""; });
      data.delete(key);
      kept.forEach(function (v) { data.append(key, v); });
    });
  });

  // "/" focuses the search box (unless the reader is typing somewhere).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var active = document.activeElement;
    var tag = active ? active.tagName : "";
    var typing = tag === "TEXTAREA" || tag === "SELECT" || (active && active.isContentEditable) ||
      (tag === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(active.type));
    if (typing) { return; }
    var box = document.getElementById("search-q");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // On a narrow screen the filters start folded so that the results come
  // first (the chips above show what is active); they stay open when the
  // reader was just using them.
  var panel = document.querySelector(".filters-panel");
  if (panel && window.matchMedia && window.matchMedia("(max-width: 55.99rem)").matches) {
    var pending = null;
    try { pending = window.sessionStorage.getItem(FOCUS_KEY); } catch (e) { pending = null; }
    if (!pending) { panel.open = false; }
  }

  // The top words are counted after the page is shown: their section is
  // replaced by the one /search/terms/ renders (same origin, escaped by the
  // server); a section without words is removed, a failure keeps the link.
  var slot = document.querySelector("[data-terms-src]");
  if (slot && window.fetch && window.DOMParser) {
    slot.setAttribute("aria-busy", "true");
    window.fetch(slot.getAttribute("data-terms-src"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var loaded = new window.DOMParser().parseFromString(html, "text/html").getElementById("top-terms");
        if (loaded) {
          slot.replaceWith(document.importNode(loaded, true));
        } else {
          slot.remove();
        }
      })
      .catch(function () { slot.removeAttribute("aria-busy"); });
  }

  // Back/forward cache: a restored page must not look busy.
  window.addEventListener("pageshow", function () {
    if (results) { results.removeAttribute("aria-busy"); }
    document.body.classList.remove("is-loading");
  });

  restoreFocus();
}());
