/* Centinela's date picker (issue 13): every input[data-datepicker] (lib.dates.DatePicker, dd/mm/aaaa) gets a button
   that opens a calendar whose month and year are chosen directly from two lists. It opens on the period being viewed:
   the date in the box, else the other date of the same form (a from-to range), else the form's year and month
   fields, else the nearest data-picker-period ("2020" or "2020-03"), else today. Words come from the input's data-*
   attributes, in the interface's language. Without this script the date is typed. */
(function () {
  "use strict";
  var MIN_YEAR = 1900, MAX_YEAR = 2100;
  var ICON = '<svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">' +
    '<rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.4"/>' +
    '<path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor" stroke-width="1.4"/>' +
    '<path d="M4 9h2v2H4zM7 9h2v2H7zM10 9h2v2h-2z" fill="currentColor"/></svg>';

  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }
  function show(d) { return pad(d.getDate(), 2) + "/" + pad(d.getMonth() + 1, 2) + "/" + pad(d.getFullYear(), 4); }
  function real(y, m, d) {
    var out = new Date(y, m - 1, d);
    out.setFullYear(y);
    return out.getFullYear() === y && out.getMonth() === m - 1 && out.getDate() === d ? out : null;
  }
  function parse(text) {
    text = (text || "").trim();
    var m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(text);
    if (m) return real(+m[3], +m[2], +m[1]);
    m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    return m ? real(+m[1], +m[2], +m[3]) : null;
  }
  function field(form, name) {
    var el = form && form.elements ? form.elements.namedItem(name) : null;
    return el && el.value !== undefined ? el.value : "";
  }

  /* the first day of the month the calendar opens on */
  function periodFor(input) {
    var day = parse(input.value), form = input.form;
    if (!day && form) {
      var others = form.querySelectorAll("input[data-datepicker]");
      for (var i = 0; i < others.length && !day; i++) if (others[i] !== input) day = parse(others[i].value);
      var year = parseInt(field(form, "year"), 10);
      if (!day && year >= MIN_YEAR && year <= MAX_YEAR) {
        var month = parseInt(field(form, "month"), 10);
        day = monthStart(year, month >= 1 && month <= 12 ? month - 1 : 0);
      }
    }
    if (!day) {
      var holder = input.closest("[data-picker-period]");
      var m = holder ? /^(\d{4})(?:-(\d{1,2}))?/.exec(holder.getAttribute("data-picker-period")) : null;
      if (m) day = real(+m[1], m[2] ? +m[2] : 1, 1);
    }
    day = day || new Date();
    return monthStart(day.getFullYear(), day.getMonth());
  }

  function words(input, name, fallback) {
    var v = input.getAttribute("data-" + name);
    return v ? v : fallback;
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) el.setAttribute(k, attrs[k]);
    if (text !== undefined) el.textContent = text;
    return el;
  }

  var open = null; // {input, panel}

  function close() {
    if (!open) return;
    open.panel.remove();
    open.button.setAttribute("aria-expanded", "false");
    open = null;
  }

  function choose(input, day) {
    input.value = day ? show(day) : "";
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new Event("change", {bubbles: true}));
    if (day && input.hasAttribute("data-submit") && input.form) input.form.requestSubmit();  // e.g. the calendar's "go to"
  }

  function draw(state) {
    var panel = state.panel, input = state.input, shown = state.month;
    var year = shown.getFullYear(), month = shown.getMonth();
    state.monthSelect.value = String(month);
    if (!state.yearSelect.querySelector('option[value="' + year + '"]')) {
      state.yearSelect.appendChild(element("option", {value: String(year)}, String(year)));
    }
    state.yearSelect.value = String(year);
    var body = state.grid.tBodies[0];
    body.textContent = "";
    var picked = parse(input.value), today = new Date();
    var lead = (new Date(year, month, 1).getDay() + 6) % 7; // Monday first
    var last = new Date(year, month + 1, 0).getDate();
    var row = body.insertRow(), cells = 0;
    for (var i = 0; i < lead; i++, cells++) row.insertCell();
    for (var d = 1; d <= last; d++, cells++) {
      if (cells && cells % 7 === 0) row = body.insertRow();
      var cell = row.insertCell();
      var iso = pad(year, 4) + "-" + pad(month + 1, 2) + "-" + pad(d, 2);
      var b = element("button", {type: "button", "class": "dp-day", "data-day": iso}, String(d));
      if (picked && picked.getFullYear() === year && picked.getMonth() === month && picked.getDate() === d) {
        b.classList.add("dp-picked");
        b.setAttribute("aria-pressed", "true");
      }
      if (today.getFullYear() === year && today.getMonth() === month && today.getDate() === d) b.classList.add("dp-today");
      cell.appendChild(b);
    }
    while (cells % 7 !== 0) { row.insertCell(); cells++; }
    panel.setAttribute("data-shown", pad(year, 4) + "-" + pad(month + 1, 2));
  }

  function monthStart(year, monthIndex) {  // setFullYear: years below 100 are not read as 19xx
    var d = new Date(2000, monthIndex, 1);
    d.setFullYear(year, monthIndex, 1);
    return d;
  }

  function step(state, months) {
    var total = state.month.getFullYear() * 12 + state.month.getMonth() + months;
    var year = Math.floor(total / 12);
    if (year < MIN_YEAR || year > MAX_YEAR) return;
    state.month = monthStart(year, total % 12);
    draw(state);
  }

  function openFor(input, button) {
    close();
    var months = words(input, "months", "1,2,3,4,5,6,7,8,9,10,11,12").split(",");
    var weekdays = words(input, "weekdays", "L,M,X,J,V,S,D").split(",");
    var panel = element("div", {"class": "dp-panel", role: "dialog", "aria-label": words(input, "label-open", "")});
    var head = element("div", {"class": "dp-head"});
    var prev = element("button", {type: "button", "class": "dp-prev", "aria-label": words(input, "label-previous", "<")}, "‹");
    var monthSelect = element("select", {"class": "dp-month", "aria-label": words(input, "label-month", "")});
    months.forEach(function (name, i) { monthSelect.appendChild(element("option", {value: String(i)}, name)); });
    var yearSelect = element("select", {"class": "dp-year", "aria-label": words(input, "label-year", "")});
    var thisYear = new Date().getFullYear();
    for (var y = Math.min(thisYear + 10, MAX_YEAR); y >= 1990; y--) {
      yearSelect.appendChild(element("option", {value: String(y)}, String(y)));
    }
    var next = element("button", {type: "button", "class": "dp-next", "aria-label": words(input, "label-next", ">")}, "›");
    head.append(prev, monthSelect, yearSelect, next);
    var grid = element("table", {"class": "dp-grid", role: "grid"});
    var headRow = grid.createTHead().insertRow();
    weekdays.forEach(function (name) { headRow.appendChild(element("th", {scope: "col"}, name.slice(0, 2))); });
    grid.createTBody();
    var foot = element("div", {"class": "dp-foot"});
    var todayButton = element("button", {type: "button", "class": "dp-today-button"}, words(input, "label-today", "Today"));
    var clear = element("button", {type: "button", "class": "dp-clear"}, words(input, "label-clear", "Clear"));
    var shut = element("button", {type: "button", "class": "dp-close"}, words(input, "label-close", "Close"));
    foot.append(todayButton, clear, shut);
    panel.append(head, grid, foot);
    button.parentNode.insertBefore(panel, button.nextSibling);

    var state = {input: input, button: button, panel: panel, grid: grid, monthSelect: monthSelect,
                 yearSelect: yearSelect, month: periodFor(input)};
    open = state;
    button.setAttribute("aria-expanded", "true");
    prev.addEventListener("click", function () { step(state, -1); });
    next.addEventListener("click", function () { step(state, 1); });
    monthSelect.addEventListener("change", function () {
      state.month = monthStart(state.month.getFullYear(), +monthSelect.value);
      draw(state);
    });
    yearSelect.addEventListener("change", function () {
      state.month = monthStart(+yearSelect.value, state.month.getMonth());
      draw(state);
    });
    // the filter forms listen for changes: the picker's own lists are not the form's
    [monthSelect, yearSelect].forEach(function (s) {
      s.addEventListener("change", function (e) { e.stopPropagation(); });
      s.addEventListener("input", function (e) { e.stopPropagation(); });
    });
    grid.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-day]");
      if (!b) return;
      var p = b.getAttribute("data-day").split("-");
      choose(input, real(+p[0], +p[1], +p[2]));
      close();
      input.focus();
    });
    todayButton.addEventListener("click", function () { choose(input, new Date()); close(); });
    clear.addEventListener("click", function () { choose(input, null); close(); });
    shut.addEventListener("click", close);
    draw(state);
    (panel.querySelector(".dp-picked") || monthSelect).focus();
  }

  function enhance(root) {
    var inputs = (root || document).querySelectorAll("input[data-datepicker]:not([data-dp-ready])");
    Array.prototype.forEach.call(inputs, function (input) {
      input.setAttribute("data-dp-ready", "1");
      var wrap = element("span", {"class": "dp-wrap"});
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      var button = element("button", {type: "button", "class": "dp-open", "aria-haspopup": "dialog",
                                       "aria-expanded": "false", "aria-label": words(input, "label-open", ""),
                                       title: words(input, "label-open", "")});
      button.innerHTML = ICON;
      wrap.appendChild(button);
      button.addEventListener("click", function () {
        if (open && open.input === input) close(); else openFor(input, button);
      });
    });
  }

  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && open) { var b = open.button; close(); b.focus(); } });
  document.addEventListener("click", function (e) {
    if (open && !open.panel.contains(e.target) && !open.button.contains(e.target)) close();
  });
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (e) { enhance(e.target); });
})();
