// danvan: the little JavaScript the pages use. Everything works without
// it; it adds a dd/mm/yyyy date picker, inline validation in the page's
// language, draft autosave (server, then localStorage when offline), an
// upload progress bar and a count of picked units. No inline handlers:
// the Content-Security-Policy forbids them.
(function () {
  "use strict";
  var vi = document.documentElement.lang !== "en";
  var M = vi ? {
    required: "Trường này bắt buộc.", date: "Ngày phải viết dạng ngày/tháng/năm, ví dụ 31/03/2027.",
    saved: "Đã lưu bản nháp lúc ", local: "Mất kết nối: bản nháp được lưu trên máy này lúc ",
    restored: "Đã khôi phục bản nháp lưu lúc ", pick: "Chọn ngày", prev: "Tháng trước", next: "Tháng sau",
    uploading: "Đang tải lên… ", picked: "Đã chọn ", units: " đơn vị", fail: "Gửi không thành công, hãy thử lại."
  } : {
    required: "This field is required.", date: "Write the date as dd/mm/yyyy, e.g. 31/03/2027.",
    saved: "Draft saved at ", local: "Offline: draft kept on this device at ",
    restored: "Draft restored from ", pick: "Pick a date", prev: "Previous month", next: "Next month",
    uploading: "Uploading… ", picked: "Picked ", units: " units", fail: "Sending failed, please try again."
  };
  var dateRE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmt(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  // Times are shown in Vietnam time whatever the device's zone.
  function vnTime(d) { return d.toLocaleTimeString("en-GB", { timeZone: "Asia/Ho_Chi_Minh", hour12: false }); }
  function clock() { return vnTime(new Date()); }
  function parse(s) {
    var m = dateRE.exec(s.trim()); if (!m) return null;
    var d = new Date(+m[3], +m[2] - 1, +m[1]);
    return d.getDate() === +m[1] && d.getMonth() === +m[2] - 1 ? d : null;
  }

  // Inline validation: a message under the field, announced to screen readers.
  function fieldError(input, text) {
    var id = input.id + "-err", el = document.getElementById(id);
    if (!el) {
      el = document.createElement("span"); el.id = id; el.className = "field-error"; el.setAttribute("aria-live", "polite");
      input.parentNode.appendChild(el);
    }
    el.textContent = text || "";
    if (text) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", id); }
    else { input.removeAttribute("aria-invalid"); }
    return !text;
  }
  function check(input) {
    var v = input.value.trim();
    if (input.required && !v && input.type !== "file") return fieldError(input, M.required);
    if (input.classList.contains("date") && v && !parse(v)) return fieldError(input, M.date);
    return fieldError(input, "");
  }
  function validate(form) {
    var ok = true, first = null;
    form.querySelectorAll("input[id],textarea[id],select[id]").forEach(function (i) {
      if (!check(i)) { ok = false; first = first || i; }
    });
    if (first) first.focus();
    return ok;
  }

  // Date picker: a button beside each .date input opens a month grid that
  // works with the keyboard (Tab to a day, Enter to pick, Escape to close).
  function picker(input) {
    var wrap = document.createElement("span"); wrap.className = "date-wrap";
    input.parentNode.insertBefore(wrap, input); wrap.appendChild(input);
    var btn = document.createElement("button"); btn.type = "button"; btn.className = "secondary";
    btn.textContent = vi ? "Lịch" : "Calendar"; btn.setAttribute("aria-label", btn.textContent + ": " + M.pick + " (" + (input.labels && input.labels[0] ? input.labels[0].textContent : "") + ")");
    wrap.appendChild(btn);
    var box = null, shown = null;
    function close() { if (box) { box.remove(); box = null; btn.focus(); } }
    function draw() {
      box.innerHTML = "";
      var head = document.createElement("div");
      var p = document.createElement("button"); p.type = "button"; p.textContent = "‹"; p.setAttribute("aria-label", M.prev);
      var n = document.createElement("button"); n.type = "button"; n.textContent = "›"; n.setAttribute("aria-label", M.next);
      var t = document.createElement("span"); t.textContent = " " + pad(shown.getMonth() + 1) + "/" + shown.getFullYear() + " ";
      p.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() - 1, 1); draw(); });
      n.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() + 1, 1); draw(); });
      head.append(p, t, n); box.appendChild(head);
      var tbl = document.createElement("table"), tr = document.createElement("tr");
      (vi ? ["T2", "T3", "T4", "T5", "T6", "T7", "CN"] : ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]).forEach(function (d) {
        var th = document.createElement("th"); th.textContent = d; tr.appendChild(th);
      });
      tbl.appendChild(tr);
      var first = new Date(shown.getFullYear(), shown.getMonth(), 1), lead = (first.getDay() + 6) % 7;
      var days = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
      tr = document.createElement("tr");
      for (var i = 0; i < lead; i++) tr.appendChild(document.createElement("td"));
      for (var d = 1; d <= days; d++) {
        if ((lead + d - 1) % 7 === 0 && d > 1) { tbl.appendChild(tr); tr = document.createElement("tr"); }
        var td = document.createElement("td"), b = document.createElement("button"); b.type = "button"; b.textContent = d;
        var day = new Date(shown.getFullYear(), shown.getMonth(), d);
        b.setAttribute("aria-label", fmt(day));
        if (fmt(day) === fmt(new Date())) b.className = "today";
        b.addEventListener("click", (function (v) { return function () { input.value = fmt(v); check(input); input.dispatchEvent(new Event("input", { bubbles: true })); close(); }; })(day));
        td.appendChild(b); tr.appendChild(td);
      }
      tbl.appendChild(tr); box.appendChild(tbl);
    }
    btn.addEventListener("click", function () {
      if (box) { close(); return; }
      shown = parse(input.value) || new Date(); shown = new Date(shown.getFullYear(), shown.getMonth(), 1);
      box = document.createElement("div"); box.className = "picker"; box.setAttribute("role", "dialog"); box.setAttribute("aria-label", M.pick);
      box.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
      wrap.appendChild(box); draw(); var f = box.querySelector("button"); if (f) f.focus();
    });
  }

  // Drafts: the form's named fields (files aside) as JSON.
  function formData(form) {
    var o = {};
    form.querySelectorAll("input[name],textarea[name]").forEach(function (i) {
      if (i.type !== "file" && i.type !== "hidden") o[i.name] = i.value;
    });
    return o;
  }
  function fill(form, o) {
    Object.keys(o || {}).forEach(function (k) { var i = form.elements[k]; if (i && i.type !== "file" && i.type !== "hidden") i.value = o[k]; });
  }
  function drafts(form) {
    var url = form.getAttribute("data-draft"), key = "danvan-draft:" + url, status = form.querySelector(".draft-status"), timer = null;
    function say(t) { if (status) status.textContent = t; }
    function local(fields) { try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: fields })); } catch (e) { /* storage full or off */ } say(M.local + clock()); }
    function save() {
      var fields = formData(form);
      if (!navigator.onLine) { local(fields); return; }
      var tok = form.elements["csrf_token"];
      fetch(url, { method: "PUT", headers: { "Content-Type": "application/json", "X-CSRF-Token": tok ? tok.value : "" }, credentials: "same-origin", body: JSON.stringify({ fields: fields }) })
        .then(function (r) { if (!r.ok) throw new Error(r.status); try { localStorage.removeItem(key); } catch (e) { /* ignore */ } say(M.saved + clock()); })
        .catch(function () { local(fields); });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 800); });
    window.addEventListener("online", function () { if (localStorage.getItem(key)) save(); });
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) {
      var srv = d && d.fields ? d : null, when = srv ? Date.parse(srv.updated_at) : 0;
      if (kept && kept.at > when) { fill(form, kept.fields); say(M.restored + vnTime(new Date(kept.at))); }
      else if (srv) { fill(form, srv.fields); say(M.restored + vnTime(new Date(when))); }
    }).catch(function () {
      if (kept) { fill(form, kept.fields); say(M.restored + vnTime(new Date(kept.at))); }
    });
    form.addEventListener("submit", function () { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } });
  }

  // Upload with a progress bar: send the form with XHR and show the page
  // the server answers.
  function upload(form) {
    var bar = form.querySelector("progress"), file = form.querySelector("input[type=file]");
    form.addEventListener("submit", function (e) {
      if (!validate(form)) { e.preventDefault(); return; }
      if (!bar || !file || !file.files.length) return;
      e.preventDefault();
      var x = new XMLHttpRequest(); x.open("POST", form.action);
      bar.classList.remove("hidden"); bar.value = 0;
      x.upload.addEventListener("progress", function (ev) { if (ev.lengthComputable) { bar.max = ev.total; bar.value = ev.loaded; bar.textContent = M.uploading + Math.round(100 * ev.loaded / ev.total) + "%"; } });
      x.addEventListener("load", function () { document.open(); document.write(x.responseText); document.close(); });
      x.addEventListener("error", function () { bar.classList.add("hidden"); alert(M.fail); });
      x.send(new FormData(form));
    });
  }

  function unitCount(box) {
    var out = document.getElementById(box.getAttribute("data-count"));
    function upd() { out.textContent = M.picked + box.querySelectorAll("input:checked").length + M.units; }
    box.addEventListener("change", upd); upd();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input.date").forEach(picker);
    document.querySelectorAll("form[data-validate]").forEach(function (f) {
      f.querySelectorAll("input[id],textarea[id]").forEach(function (i) { i.addEventListener("blur", function () { check(i); }); });
      if (!f.querySelector("progress")) f.addEventListener("submit", function (e) { if (!validate(f)) e.preventDefault(); });
    });
    document.querySelectorAll("form[data-draft]").forEach(drafts);
    document.querySelectorAll("form[data-upload]").forEach(upload);
    document.querySelectorAll("[data-count]").forEach(unitCount);
  });
})();
