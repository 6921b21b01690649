// imet serve: small enhancements over pages that work without JavaScript.
// Nothing here is needed to read a page; nothing is fetched from outside
// this server.
'use strict';

// The SQL console: run in place with POST /api/sql, cancel, page the
// result, keep recent statements in this browser (localStorage) and the
// address (/sql?q=…) in the browser's history. Without this script the
// form is a GET to /sql?q=… and the server pages the result.
(function () {
  const form = document.querySelector('form.console');
  if (!form || !window.fetch || !window.AbortController) {
    return;
  }
  const editor = document.getElementById('sql-editor');
  const runButton = document.getElementById('sql-run');
  const cancelButton = document.getElementById('sql-cancel');
  const status = document.getElementById('sql-status');
  const errorBox = document.getElementById('sql-error');
  const results = document.getElementById('sql-results');
  const downloads = document.getElementById('sql-downloads');
  const historyBox = document.getElementById('sql-history');
  const PAGE = 100;
  const HISTORY_KEY = 'imet.sql.history';
  const HISTORY_MAX = 30;
  let running = null;

  function serverResult() {
    return document.getElementById('table-result');
  }

  function loadHistory() {
    try {
      const h = JSON.parse(window.localStorage.getItem(HISTORY_KEY) || '[]');
      return Array.isArray(h) ? h.filter(function (x) { return typeof x === 'string'; }) : [];
    } catch (e) {
      return [];
    }
  }

  function saveHistory(q) {
    const h = loadHistory().filter(function (x) { return x !== q; });
    h.unshift(q);
    try {
      window.localStorage.setItem(HISTORY_KEY, JSON.stringify(h.slice(0, HISTORY_MAX)));
    } catch (e) {
      // storage full or off: the browser's own history still has it
    }
    showHistory();
  }

  function showHistory() {
    const h = loadHistory();
    const list = historyBox.querySelector('ol');
    list.replaceChildren();
    h.forEach(function (q) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = q.length > 160 ? q.slice(0, 160) + '…' : q;
      b.title = q;
      b.addEventListener('click', function () {
        editor.value = q;
        editor.focus();
      });
      li.appendChild(b);
      list.appendChild(li);
    });
    historyBox.hidden = h.length === 0;
  }

  function setDownloads(q) {
    ['csv', 'parquet', 'json'].forEach(function (f) {
      const a = document.getElementById('sql-' + f);
      const p = new URLSearchParams();
      p.set('q', q);
      p.set('format', f);
      a.href = '/api/sql?' + p.toString();
    });
    downloads.hidden = false;
  }

  function showError(msg) {
    errorBox.textContent = msg;
    errorBox.hidden = false;
  }

  function cellText(v) {
    if (v === null || v === undefined) {
      return 'NULL';
    }
    if (typeof v === 'object') {
      return JSON.stringify(v);
    }
    return String(v);
  }

  function numeric(type) {
    return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(type || '');
  }

  function renderPage(res, page) {
    const pages = Math.max(1, Math.ceil(res.rows.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    results.replaceChildren();
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    const table = document.createElement('table');
    const head = document.createElement('tr');
    res.columns.forEach(function (c, i) {
      const th = document.createElement('th');
      th.textContent = c;
      th.title = res.types[i];
      if (numeric(res.types[i])) {
        th.className = 'num';
      }
      head.appendChild(th);
    });
    const thead = document.createElement('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    const body = document.createElement('tbody');
    res.rows.slice(page * PAGE, (page + 1) * PAGE).forEach(function (row) {
      const tr = document.createElement('tr');
      row.forEach(function (v, i) {
        const td = document.createElement('td');
        td.textContent = cellText(v);
        if (v === null) {
          td.className = 'null';
        } else if (numeric(res.types[i])) {
          td.className = 'num';
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (res.rows.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = Math.max(1, res.columns.length);
      td.className = 'empty';
      td.textContent = 'no rows';
      tr.appendChild(td);
      body.appendChild(tr);
    }
    table.appendChild(body);
    wrap.appendChild(table);
    results.appendChild(wrap);
    if (pages > 1) {
      const nav = document.createElement('nav');
      nav.className = 'pages';
      const prev = document.createElement('button');
      prev.type = 'button';
      prev.textContent = 'previous';
      prev.disabled = page === 0;
      prev.addEventListener('click', function () { renderPage(res, page - 1); });
      const next = document.createElement('button');
      next.type = 'button';
      next.textContent = 'next';
      next.disabled = page === pages - 1;
      next.addEventListener('click', function () { renderPage(res, page + 1); });
      const label = document.createElement('span');
      label.textContent = ' page ' + (page + 1) + ' of ' + pages + ' ';
      nav.append(prev, label, next);
      results.appendChild(nav);
    }
    results.hidden = false;
  }

  function finish() {
    running = null;
    runButton.disabled = false;
    cancelButton.hidden = true;
  }

  function run(q, push) {
    if (running) {
      running.abort();
    }
    const ctl = new AbortController();
    running = ctl;
    errorBox.hidden = true;
    runButton.disabled = true;
    cancelButton.hidden = false;
    status.textContent = 'running…';
    const old = serverResult();
    if (old) {
      old.remove();
    }
    const started = performance.now();
    saveHistory(q);
    fetch('/api/sql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: q }),
      signal: ctl.signal,
      credentials: 'same-origin'
    }).then(function (resp) {
      return resp.json().then(function (j) { return { ok: resp.ok, code: resp.status, body: j }; });
    }).then(function (r) {
      if (running !== ctl) {
        return;
      }
      finish();
      const ms = Math.round(performance.now() - started);
      if (!r.ok) {
        results.hidden = true;
        downloads.hidden = true;
        status.textContent = 'failed (' + r.code + ') after ' + ms + ' ms.';
        showError(r.body.error || ('error ' + r.code));
        return;
      }
      if (push) {
        // Only a statement that ran goes in the browser's history: going
        // back to the address runs it again, on the server.
        const p = new URLSearchParams();
        p.set('q', q);
        history.pushState({ q: q }, '', '/sql?' + p.toString());
      }
      const n = r.body.rows.length;
      status.textContent = n.toLocaleString('en-US') + ' row' + (n === 1 ? '' : 's') + ' in ' + ms + ' ms.';
      setDownloads(q);
      renderPage(r.body, 0);
    }).catch(function (e) {
      if (running !== ctl && e.name === 'AbortError') {
        return;
      }
      finish();
      results.hidden = true;
      if (e.name === 'AbortError') {
        status.textContent = 'cancelled: the server stopped the statement.';
        return;
      }
      status.textContent = 'failed.';
      showError(String(e));
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    run(editor.value, true);
  });
  editor.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run(editor.value, true);
    }
  });
  cancelButton.addEventListener('click', function () {
    if (running) {
      const ctl = running;
      finish();
      status.textContent = 'cancelled: the server stopped the statement.';
      ctl.abort();
    }
  });
  document.getElementById('sql-history-clear').addEventListener('click', function () {
    try {
      window.localStorage.removeItem(HISTORY_KEY);
    } catch (e) {
      // nothing kept
    }
    showHistory();
  });
  window.addEventListener('popstate', function (ev) {
    const q = ev.state && ev.state.q !== undefined ? ev.state.q : new URLSearchParams(location.search).get('q');
    if (q) {
      editor.value = q;
      run(q, false);
    }
  });
  window.addEventListener('pageshow', function (ev) {
    // Restored from the back-forward cache: the editor shows the address's
    // statement, not the last one typed.
    const q = new URLSearchParams(location.search).get('q');
    if (ev.persisted && q !== null) {
      editor.value = q;
    }
  });
  history.replaceState({ q: new URLSearchParams(location.search).get('q') || '' }, '');
  showHistory();
  const first = new URLSearchParams(location.search).get('q');
  if (first && serverResult()) {
    saveHistory(first);
  }
})();
