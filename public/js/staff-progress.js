/*
 * Live progress on the staff console. The page works without this script: while a run is in
 * progress it reloads itself (a <noscript> meta refresh). With it, the "Ingestion" panel polls
 * /staff/api/jobs/current and updates the figures in place; only changes of state (a run started,
 * a run finished) are announced to screen readers, not every number.
 * Content from the server is set with textContent only, never as markup.
 */
(function () {
  'use strict';

  var panel = document.getElementById('job');
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute('data-poll-url');
  if (!url) return;

  var RUNNING_MS = 1000;
  var IDLE_MS = 5000;
  var wasRunning = panel.getAttribute('data-running') === 'true';
  var lastRunId = panel.getAttribute('data-run-id') || null;

  function field(name) {
    return panel.querySelector('[data-field="' + name + '"]');
  }
  function number(n) {
    return typeof n === 'number' ? n.toLocaleString('en') : '';
  }
  function text(el, value) {
    if (el && el.textContent !== value) el.textContent = value;
  }
  function link(href, label) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = label;
    return a;
  }
  function setStatus(parts) {
    var status = field('status');
    if (!status) return;
    while (status.firstChild) status.removeChild(status.firstChild);
    parts.forEach(function (part) {
      status.appendChild(typeof part === 'string' ? document.createTextNode(part) : part);
    });
  }

  function row(tbody, source) {
    var rows = tbody.querySelectorAll('tr');
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('data-source') === source) return rows[i];
    }
    var tr = document.createElement('tr');
    tr.setAttribute('data-source', source);
    var th = document.createElement('th');
    th.scope = 'row';
    th.textContent = source;
    tr.appendChild(th);
    ['state', 'read', 'indexed', 'rejected'].forEach(function (col) {
      var td = document.createElement('td');
      td.setAttribute('data-col', col);
      if (col !== 'state') td.className = 'num';
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    return tr;
  }

  function showSources(sources) {
    var tbody = field('sources');
    if (tbody) {
      sources.forEach(function (s) {
        var tr = row(tbody, s.source);
        var state = tr.querySelector('[data-col="state"]');
        var label = s.stateLabel + (s.error ? ' – ' + s.error : '');
        if (state && state.textContent !== label) {
          state.textContent = '';
          var span = document.createElement('span');
          span.className = 'state state-' + s.state;
          span.textContent = label;
          state.appendChild(span);
        }
        text(tr.querySelector('[data-col="read"]'), number(s.read));
        text(tr.querySelector('[data-col="indexed"]'), number(s.indexed));
        text(tr.querySelector('[data-col="rejected"]'), number(s.rejected));
      });
    }
  }

  function showTotals(counts) {
    ['read', 'indexed', 'rejected'].forEach(function (key) {
      text(panel.querySelector('[data-total="' + key + '"]'), number(counts[key]));
    });
  }

  function showRun(run) {
    var live = field('live');
    if (live) live.hidden = false;
    var runCell = field('run');
    if (runCell && lastRunId !== run.id) {
      while (runCell.firstChild) runCell.removeChild(runCell.firstChild);
      runCell.appendChild(run.url ? link(run.url, run.id) : document.createTextNode(run.triggerLabel));
    }
    text(field('started'), run.startedAtLabel);
    text(field('elapsed'), run.elapsed);
    showSources(run.sources);
    showTotals(run.counts);
  }

  function update(body) {
    if (body.running && body.run) {
      if (!wasRunning || lastRunId !== body.run.id) {
        var badge = document.createElement('span');
        badge.className = 'badge badge-running';
        badge.textContent = 'Running';
        setStatus([badge, ' ' + body.run.modeLabel + ', started by ' + body.run.triggerLabel + '.']);
      }
      showRun(body.run);
      wasRunning = true;
      lastRunId = body.run.id;
      panel.setAttribute('data-running', 'true');
    } else if (wasRunning) {
      wasRunning = false;
      panel.setAttribute('data-running', 'false');
      var last = body.last;
      if (last) {
        var outcome = document.createElement('span');
        outcome.className = 'badge badge-' + last.outcome;
        outcome.textContent = last.outcomeLabel;
        setStatus([outcome, ' The run finished after ' + last.duration + ': ' + number(last.counts.read) + ' read, ' +
          number(last.counts.indexed) + ' indexed, ' + number(last.counts.rejected) + ' rejected. ',
          link(last.url, 'See the run'), ' · ', link(window.location.pathname, 'Refresh the console')]);
        // The final figures of the run just watched; the rest of the page updates on refresh.
        if (last.id === lastRunId) {
          text(field('elapsed'), last.duration);
          showSources(last.sources);
          showTotals(last.counts);
          if (typeof last.counts.documents === 'number') {
            text(document.querySelector('[data-field="documents"]'), number(last.counts.documents));
          }
        }
        var note = field('running-note');
        if (note) note.hidden = true;
      } else {
        setStatus(['The run has ended. ', link(window.location.pathname, 'Refresh the console')]);
      }
    }
  }

  function schedule() {
    window.setTimeout(poll, wasRunning ? RUNNING_MS : IDLE_MS);
  }

  function poll() {
    if (document.hidden) {
      schedule();
      return;
    }
    window
      .fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) {
        if (res.status === 401) {
          setStatus(['Your session has ended. ', link('/staff/sign-in', 'Sign in again')]);
          return null;
        }
        return res.ok ? res.json() : undefined;
      })
      .then(function (body) {
        if (body === null) return; // signed out: stop polling
        if (body) update(body);
        schedule();
      })
      .catch(function () {
        schedule();
      });
  }

  // A hidden tab skips its polls (see poll); it catches up within one interval when shown again.
  schedule();
})();
