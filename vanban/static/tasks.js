// On the task list: a "Tải XLSX / CSV" link carrying the current filters to the
// site's export route (/-/export/tasks.xlsx), which has no row limit.
document.addEventListener("DOMContentLoaded", function () {
  var here = new URLSearchParams(window.location.search);
  var out = new URLSearchParams();
  function value(col) {
    return here.get(col) || here.get(col + "__exact");
  }
  var map = { "cơ quan": "agency", "vai trò": "role", "mã văn bản": "document",
              "văn bản": "document" };
  Object.keys(map).forEach(function (col) {
    var v = value(col);
    if (v) out.set(map[col], v);
  });
  var month = value("tháng hạn");
  if (month) { out.set("from", month); out.set("to", month); }
  var due = value("tình trạng");
  if (due === "quá hạn") out.set("overdue", "1");
  if (due === "đến hạn trong 30 ngày") {
    var d = new Date(), iso = function (x) { return x.toISOString().slice(0, 10); };
    out.set("from", iso(d));
    out.set("to", iso(new Date(d.getTime() + 30 * 86400000)));
  }
  var ignored = [];
  here.forEach(function (v, k) {
    var base = k.replace(/__exact$/, "");
    if (k[0] !== "_" && !(base in map) && base !== "tháng hạn" && base !== "tình trạng") {
      ignored.push(k);
    }
  });
  var root = document.querySelector("link[href*='vanban-static']");
  var prefix = root ? root.getAttribute("href").split("vanban-static")[0] : "/";
  var qs = out.toString() ? "?" + out.toString() : "";
  var bar = document.createElement("p");
  bar.className = "vb-export-bar";
  bar.innerHTML = 'Tải danh sách đang lọc (không giới hạn số dòng): ' +
    '<a id="vb-export-xlsx" href="' + prefix + '-/export/tasks.xlsx' + qs + '">Tải XLSX</a> / ' +
    '<a id="vb-export-csv" href="' + prefix + '-/export/tasks.csv' + qs + '">CSV</a>' +
    (ignored.length ? ' <small>(bộ lọc không áp dụng khi tải: ' + ignored.join(", ") + ')</small>' : '');
  var anchor = document.querySelector(".filters") || document.querySelector("h1");
  if (anchor && anchor.parentNode) anchor.parentNode.insertBefore(bar, anchor.nextSibling);
});
