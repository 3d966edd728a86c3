/*
 * Optional enhancement of the search form. Without it everything works: checkboxes and selects
 * take effect with the "Show results" / Update buttons, the "Filters" link opens the filters on
 * a phone, and each facet has a page listing all its values. With it:
 *  - ticking a facet checkbox submits the form at once, and the Apply buttons are hidden;
 *  - the Sort and Per page menus submit when a value is picked with the mouse or by touch, but
 *    not while arrow keys move through them (WCAG 3.2.2): then Enter or the Update button does;
 *  - empty fields are left out of the URL, so shared links stay short;
 *  - after the reload, focus returns to the control that was changed on a wide screen, and to
 *    the result count on a phone (where the filters close), so the new results are in view;
 *  - the "Filters" link becomes a disclosure button;
 *  - long facets get a box that finds values by name as you type, within the current search.
 */
(function () {
  'use strict';

  var form = document.getElementById('search-form');
  if (!form || typeof form.addEventListener !== 'function') return;
  document.documentElement.classList.add('js-enhanced');

  var FOCUS_KEY = 'corridor:focus';
  var narrow = window.matchMedia ? window.matchMedia('(max-width: 59.99em)') : { matches: false };

  function controlKey(el) {
    return el.name + '\u0000' + (el.type === 'checkbox' ? el.value : '');
  }

  function remember(el) {
    try {
      window.sessionStorage.setItem(FOCUS_KEY, controlKey(el));
    } catch (e) {
      /* storage may be disabled; focus restoration is a nicety */
    }
  }

  function submit() {
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  }

  // The same value can have two checkboxes (listed, and found by name): keep them in step, or an
  // unticked one would still be sent by its twin.
  function syncTwins(box) {
    var boxes = form.querySelectorAll('input[type=checkbox]');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i] !== box && boxes[i].name === box.name && boxes[i].value === box.value) boxes[i].checked = box.checked;
    }
  }

  // Sort and Per page: how was the new value picked?
  var pickedWithKeys = false;
  form.addEventListener('keydown', function (event) {
    var el = event.target;
    if (el.tagName !== 'SELECT' || !el.classList.contains('autosubmit')) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      remember(el);
      submit();
      return;
    }
    pickedWithKeys = true;
  });
  form.addEventListener('pointerdown', function (event) {
    if (event.target.tagName === 'SELECT' || event.target.tagName === 'OPTION') pickedWithKeys = false;
  });

  form.addEventListener('change', function (event) {
    var el = event.target;
    if (el.tagName === 'INPUT' && el.type === 'checkbox') {
      syncTwins(el);
      remember(el);
      submit();
    } else if (el.tagName === 'SELECT' && el.classList.contains('autosubmit')) {
      if (pickedWithKeys) {
        // Moving through the options with arrow keys must not reload the page under the visitor.
        form.classList.add('display-pending');
        return;
      }
      remember(el);
      submit();
    }
  });

  form.addEventListener('submit', function () {
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (el.name && (el.tagName === 'INPUT' || el.tagName === 'SELECT') && el.type !== 'checkbox' && el.value === '') {
        el.disabled = true;
      }
    }
    // On a wide screen the results sit beside the filters: stay at the top of the page.
    if (!narrow.matches) form.setAttribute('action', form.getAttribute('action').replace(/#.*$/, ''));
  });

  // Coming back with the Back button restores the page from cache with fields still disabled.
  window.addEventListener('pageshow', function () {
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) elements[i].disabled = false;
  });

  // ---------------------------------------------------------------------------------------------
  // The "Filters (n)" control: a disclosure button on phones.

  var filters = document.getElementById('filters');
  var toggle = document.querySelector('.filters-toggle');
  var closeLink = document.querySelector('.filters-close');
  function setOpen(open, focusTarget) {
    if (!filters || !toggle) return;
    filters.classList.toggle('is-open', open);
    filters.classList.toggle('is-closed', !open);
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (focusTarget) focusTarget.focus();
  }
  if (filters && toggle) {
    toggle.setAttribute('role', 'button');
    setOpen(window.location.hash === '#filters', null);
    toggle.addEventListener('click', function (event) {
      event.preventDefault();
      var open = toggle.getAttribute('aria-expanded') !== 'true';
      setOpen(open, open ? filters : null);
    });
    toggle.addEventListener('keydown', function (event) {
      if (event.key === ' ') {
        event.preventDefault();
        toggle.click();
      }
    });
    if (closeLink) {
      closeLink.addEventListener('click', function (event) {
        event.preventDefault();
        setOpen(false, toggle);
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Focus after the reload.

  var wanted = null;
  try {
    wanted = window.sessionStorage.getItem(FOCUS_KEY);
    window.sessionStorage.removeItem(FOCUS_KEY);
  } catch (e) {
    wanted = null;
  }
  if (wanted) {
    var count = document.getElementById('results');
    if (narrow.matches && count) {
      count.focus();
    } else {
      var controls = form.querySelectorAll('input[type=checkbox], select.autosubmit');
      for (var j = 0; j < controls.length; j++) {
        if (controlKey(controls[j]) === wanted) {
          var details = controls[j].closest ? controls[j].closest('details') : null;
          while (details) {
            details.open = true;
            details = details.parentElement ? details.parentElement.closest('details') : null;
          }
          controls[j].focus();
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Find a value by name, within the current search (/api/facets/:name?…&prefix=).

  var finders = document.querySelectorAll('.facet-find');
  var serial = 0;
  function searchParams() {
    var params = new URLSearchParams(window.location.search);
    params.delete('page');
    return params;
  }
  function countText(n) {
    return n.toLocaleString('en');
  }
  function renderFinder(box, data) {
    var list = box.querySelector('.find-results');
    var status = box.querySelector('.find-status');
    var facet = box.getAttribute('data-facet');
    list.textContent = '';
    data.values.forEach(function (v) {
      var id = 'find-' + facet + '-' + serial++;
      var li = document.createElement('li');
      var input = document.createElement('input');
      input.type = 'checkbox';
      input.id = id;
      input.name = facet;
      input.value = v.value;
      input.checked = v.selected;
      var label = document.createElement('label');
      label.htmlFor = id;
      var name = document.createElement('span');
      name.className = 'facet-label';
      name.textContent = v.label;
      // Read as "Oman, 3 results": the comma and the unit for screen readers only.
      var sep = document.createElement('span');
      sep.className = 'visually-hidden';
      sep.textContent = ', ';
      name.appendChild(sep);
      var count = document.createElement('span');
      count.className = 'facet-count';
      var unit = document.createElement('span');
      unit.className = 'visually-hidden';
      unit.textContent = v.count === 1 ? ' result' : ' results';
      count.appendChild(document.createTextNode(countText(v.count)));
      count.appendChild(unit);
      label.appendChild(name);
      label.appendChild(count);
      li.appendChild(input);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(label);
      list.appendChild(li);
    });
    var shown = data.values.length;
    status.textContent =
      data.total === 0 ? 'None match' : shown < data.total ? shown + ' of ' + countText(data.total) + ' match; type more to narrow' : countText(data.total) + (data.total === 1 ? ' matches' : ' match');
  }
  Array.prototype.forEach.call(finders, function (box) {
    var input = box.querySelector('input[type=search]');
    var facet = box.getAttribute('data-facet');
    var timer = null;
    var latest = 0;
    box.hidden = false;
    function lookup() {
      var prefix = input.value.trim();
      var list = box.querySelector('.find-results');
      if (prefix === '') {
        list.textContent = '';
        box.querySelector('.find-status').textContent = '';
        return;
      }
      var params = searchParams();
      params.set('prefix', prefix);
      params.set('limit', '20');
      var request = ++latest;
      fetch('/api/facets/' + encodeURIComponent(facet) + '?' + params.toString(), { headers: { Accept: 'application/json' } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (request === latest) renderFinder(box, data);
        })
        .catch(function () {
          if (request === latest) box.querySelector('.find-status').textContent = 'The list could not be loaded; see the link to all values below.';
        });
    }
    input.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 150);
    });
    input.addEventListener('keydown', function (event) {
      // Enter must not submit the search form: it moves to the first value found.
      if (event.key !== 'Enter') return;
      event.preventDefault();
      window.clearTimeout(timer);
      var first = box.querySelector('.find-results input');
      if (first) first.focus();
      else lookup();
    });
  });
})();
