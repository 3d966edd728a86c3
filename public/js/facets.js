/*
 * Optional enhancement of the search form. Without it everything works: checkboxes and selects
 * take effect with the Apply / Update buttons. With it:
 *  - changing a facet checkbox, the sort or the page size submits the form at once, and the
 *    Apply buttons are hidden (only when this script actually runs);
 *  - empty fields are left out of the URL, so shared links stay short;
 *  - after the reload, focus returns to the control that was changed, so keyboard and screen
 *    reader users keep their place.
 */
(function () {
  'use strict';

  var form = document.getElementById('search-form');
  if (!form || typeof form.addEventListener !== 'function') return;
  document.documentElement.classList.add('js-enhanced');

  var FOCUS_KEY = 'corridor:focus';

  function controlKey(el) {
    return el.name + '\u0000' + (el.type === 'checkbox' ? el.value : '');
  }

  function submit() {
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  }

  form.addEventListener('change', function (event) {
    var el = event.target;
    var auto = (el.tagName === 'INPUT' && el.type === 'checkbox') || (el.tagName === 'SELECT' && el.classList.contains('autosubmit'));
    if (!auto) return;
    try {
      window.sessionStorage.setItem(FOCUS_KEY, controlKey(el));
    } catch (e) {
      /* storage may be disabled; focus restoration is a nicety */
    }
    submit();
  });

  form.addEventListener('submit', function () {
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (el.name && (el.tagName === 'INPUT' || el.tagName === 'SELECT') && el.type !== 'checkbox' && el.value === '') {
        el.disabled = true;
      }
    }
  });

  // Coming back with the Back button restores the page from cache with fields still disabled.
  window.addEventListener('pageshow', function () {
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) elements[i].disabled = false;
  });

  var wanted = null;
  try {
    wanted = window.sessionStorage.getItem(FOCUS_KEY);
    window.sessionStorage.removeItem(FOCUS_KEY);
  } catch (e) {
    wanted = null;
  }
  if (wanted) {
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
})();
