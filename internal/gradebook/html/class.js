// The class report's controls: sort, filter, open a submission. The page
// reads without them; they only read the DOM and set text, never markup.
(function () {
  'use strict';
  document.body.classList.remove('nojs');
  var table = document.getElementById('subs');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  rows.forEach(function (tr, i) { tr.dataset.i = i; });
  var nameIn = document.getElementById('f-name');
  var checkIn = document.getElementById('f-check');
  var shown = document.getElementById('shown');

  function filter() {
    var q = nameIn.value.trim().toLowerCase();
    var c = checkIn.value;
    var n = 0;
    rows.forEach(function (tr) {
      var ok = (!q || tr.dataset.name.toLowerCase().indexOf(q) >= 0) &&
        (!c || (' ' + tr.dataset.failed + ' ').indexOf(' ' + c + ' ') >= 0);
      tr.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  nameIn.addEventListener('input', filter);
  checkIn.addEventListener('change', filter);

  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector('button');
    if (!button) { return; }
    button.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      var num = th.hasAttribute('data-num');
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
        var d = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return (asc ? d : -d) || a.dataset.i - b.dataset.i;
      });
      rows.forEach(function (tr) { tbody.appendChild(tr); });
    });
  });

  function open(id) {
    var d = document.getElementById(id);
    if (d && d.tagName === 'DETAILS') { d.open = true; }
  }
  tbody.addEventListener('click', function (ev) {
    var a = ev.target.closest('a[href^="#s-"]');
    if (a) { open(a.getAttribute('href').slice(1)); }
  });
  window.addEventListener('hashchange', function () { open(location.hash.slice(1)); });
  if (location.hash) { open(location.hash.slice(1)); }

  Array.prototype.forEach.call(document.querySelectorAll('button[data-check]'), function (b) {
    b.addEventListener('click', function () {
      checkIn.value = b.dataset.check;
      nameIn.value = '';
      filter();
      table.scrollIntoView();
      checkIn.focus();
    });
  });
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  });
  filter();
}());
