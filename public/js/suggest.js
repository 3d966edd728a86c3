/*
 * Suggestions as you type for the search boxes (input[data-suggest]), as an ARIA 1.2 combobox:
 * the input has role="combobox" and controls a listbox of options; the option the arrow keys
 * reach is the input's aria-activedescendant, so focus never leaves the input; the number of
 * suggestions is announced in a polite live region.
 *
 * Without this script (or when it fails) the search box is a plain text field in a GET form.
 * With it, requests to /api/suggest are debounced, at most one is in flight (a newer one aborts
 * it), answers are kept for the page's life, and nothing is asked for fewer than two letters.
 *
 * Keys: Down/Up move through the suggestions (opening the list, wrapping at the ends); Home/End
 * go to the first/last one while one is chosen; Enter opens the chosen one (without one, the
 * form searches for the words as usual); Escape closes the list, or clears the box when closed.
 * A country, region, theme or publisher becomes a filter of the search (on the search page,
 * added to the filters already chosen); a title opens the record.
 */
(function () {
  'use strict';

  var DEBOUNCE_MS = 200;
  var MIN_CHARS = 2;
  var LIMIT = 8;
  var KIND_LABELS = { country: 'Country', region: 'Region', grouping: 'Regional grouping', theme: 'Theme', publisher: 'Publisher', title: 'Publication' };

  var inputs = document.querySelectorAll('input[data-suggest]');
  if (inputs.length === 0 || typeof window.fetch !== 'function' || typeof window.URLSearchParams !== 'function') return;

  /** Answers by query, shared by every box of the page. */
  var answers = new Map();

  function folded(text) {
    return text.normalize ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').trim() : text.trim();
  }

  function countText(n) {
    return n.toLocaleString('en') + (n === 1 ? ' publication' : ' publications');
  }

  function hidden(text) {
    var span = document.createElement('span');
    span.className = 'visually-hidden';
    span.textContent = text;
    return span;
  }

  function span(className, text) {
    var el = document.createElement('span');
    el.className = className;
    el.textContent = text;
    return el;
  }

  /** The page the suggestion leads to: a filter joins those of the search form it was typed in. */
  function destination(suggestion, form) {
    if (suggestion.kind === 'title' || !form || form.id !== 'search-form') return suggestion.href;
    var chosen = new URL(suggestion.href, window.location.href).searchParams;
    var params = new URLSearchParams();
    var data = new FormData(form);
    data.forEach(function (value, name) {
      if (name === 'q' || name === 'page' || typeof value !== 'string' || value === '') return;
      params.append(name, value);
    });
    chosen.forEach(function (value, name) {
      var present = params.getAll(name).indexOf(value) >= 0;
      if (!present) params.append(name, value);
    });
    var query = params.toString();
    return '/' + (query ? '?' + query : '');
  }

  function enhance(input, index) {
    var form = input.form;
    var id = input.id || 'suggest-input-' + index;
    var listId = id + '-suggestions';

    // The input and its list share a positioned wrapper, so the list opens right under the box.
    var wrapper = document.createElement('div');
    wrapper.className = 'suggest';
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    var list = document.createElement('ul');
    list.id = listId;
    list.className = 'suggest-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Suggestions');
    list.hidden = true;
    wrapper.appendChild(list);

    var status = document.createElement('div');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    status.setAttribute('aria-atomic', 'true');
    wrapper.appendChild(status);

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);
    // The browser's own list of earlier entries would cover ours.
    input.setAttribute('autocomplete', 'off');

    var suggestions = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var shownFor = null;

    function announce(text) {
      status.textContent = text;
    }

    function setActive(i) {
      var options = list.children;
      if (active >= 0 && options[active]) {
        options[active].classList.remove('is-active');
        options[active].setAttribute('aria-selected', 'false');
      }
      active = i;
      if (active >= 0 && options[active]) {
        options[active].classList.add('is-active');
        options[active].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', options[active].id);
        if (options[active].scrollIntoView) options[active].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function isOpen() {
      return !list.hidden;
    }

    function open() {
      if (suggestions.length === 0) return;
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
    }

    function choose(i) {
      var suggestion = suggestions[i];
      if (!suggestion) return;
      close();
      window.location.assign(destination(suggestion, form));
    }

    function option(suggestion, i) {
      var li = document.createElement('li');
      li.id = listId + '-' + i;
      li.className = 'suggest-option suggest-' + suggestion.kind;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var label = span('suggest-label', suggestion.label);
      if (suggestion.matched) label.appendChild(span('suggest-matched', ' (' + suggestion.matched + ')'));
      li.appendChild(label);
      li.appendChild(hidden(', '));
      var detail = KIND_LABELS[suggestion.kind] || suggestion.kind;
      if (typeof suggestion.count === 'number') detail += ' · ' + countText(suggestion.count);
      else if (typeof suggestion.year === 'number') detail += ' · ' + suggestion.year;
      li.appendChild(span('suggest-kind', detail));
      // Keep focus in the box: the click chooses, the box stays the one focused element.
      li.addEventListener('mousedown', function (event) {
        event.preventDefault();
      });
      li.addEventListener('click', function () {
        choose(i);
      });
      return li;
    }

    function render(query, found) {
      suggestions = found;
      shownFor = query;
      active = -1;
      input.removeAttribute('aria-activedescendant');
      list.textContent = '';
      found.forEach(function (s, i) {
        list.appendChild(option(s, i));
      });
      if (found.length === 0) {
        close();
        announce('No suggestions');
        return;
      }
      open();
      announce(found.length + (found.length === 1 ? ' suggestion' : ' suggestions') + '. Use the up and down arrow keys to choose one.');
    }

    function lookup() {
      var query = input.value;
      if (folded(query).length < MIN_CHARS) {
        suggestions = [];
        shownFor = null;
        list.textContent = '';
        close();
        announce('');
        return;
      }
      if (query === shownFor) {
        open();
        return;
      }
      if (answers.has(query)) {
        render(query, answers.get(query));
        return;
      }
      if (controller) controller.abort();
      var mine = typeof AbortController === 'function' ? new AbortController() : null;
      controller = mine;
      var url = '/api/suggest?q=' + encodeURIComponent(query) + '&limit=' + LIMIT;
      fetch(url, { headers: { Accept: 'application/json' }, signal: mine ? mine.signal : undefined })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (body) {
          var found = Array.isArray(body.suggestions) ? body.suggestions : [];
          answers.set(query, found);
          if (controller === mine) controller = null;
          // An answer to what is no longer typed is kept, not shown.
          if (input.value === query && document.activeElement === input) render(query, found);
        })
        .catch(function () {
          if (controller === mine) controller = null;
        });
    }

    input.addEventListener('input', function () {
      window.clearTimeout(timer);
      setActive(-1);
      timer = window.setTimeout(lookup, DEBOUNCE_MS);
    });

    input.addEventListener('keydown', function (event) {
      var count = suggestions.length;
      switch (event.key) {
        case 'ArrowDown':
          if (shownFor !== input.value) {
            // The list on hand is for other words: ask for these now instead of opening it.
            window.clearTimeout(timer);
            lookup();
            return;
          }
          if (count === 0) return;
          event.preventDefault();
          if (!isOpen()) {
            open();
            setActive(0);
          } else {
            setActive(active + 1 >= count ? 0 : active + 1);
          }
          break;
        case 'ArrowUp':
          if (count === 0) return;
          event.preventDefault();
          if (!isOpen()) open();
          setActive(active <= 0 ? count - 1 : active - 1);
          break;
        case 'Home':
        case 'End':
          // Only while a suggestion is chosen: otherwise the keys move the caret, as in any text box.
          if (!isOpen() || active < 0) return;
          event.preventDefault();
          setActive(event.key === 'Home' ? 0 : count - 1);
          break;
        case 'Enter':
          if (isOpen() && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break;
        case 'Escape':
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value !== '') {
            event.preventDefault();
            input.value = '';
            suggestions = [];
            shownFor = null;
            list.textContent = '';
          }
          break;
        case 'Tab':
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener('blur', function () {
      close();
    });

    // Back from a chosen page: the box shows what was typed, with no list open over the page.
    window.addEventListener('pageshow', function () {
      close();
    });
  }

  Array.prototype.forEach.call(inputs, enhance);
})();
