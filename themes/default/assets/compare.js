/*
 * trustdir default theme: the compare page (compare/index.html).
 *
 * Without this script the page is a complete table of every member's
 * standing on every principle. With it:
 *
 *   - the table can be filtered (name, country, layer; only members
 *     with an independent assessment) and sorted (by name, country, or
 *     a principle's standing: independent first, then self-attested);
 *   - members are ticked in the table (two to four) and shown side by
 *     side, principle by principle, with their evidence lists, at an
 *     address that can be shared and cited: compare/?v=acme,borealis.
 *
 * The side-by-side view reads api/v1/vendors/<slug>.json, the same data
 * the profiles show, from the same origin. Every string from the data
 * is set as text, never as markup. No dependencies, ES2017, no inline
 * handlers.
 */
(function () {
  'use strict';

  var table = document.querySelector('table[data-matrix]');
  var section = document.querySelector('[data-comparison]');
  if (!table || !section || !table.tBodies.length || !('URLSearchParams' in window)) {
    return;
  }
  var body = section.querySelector('[data-comparison-body]');
  var heading = section.querySelector('[data-comparison-heading]');
  var api = section.getAttribute('data-api') || '';
  var root = section.getAttribute('data-root') || '';
  var MAX = parseInt(section.getAttribute('data-max'), 10) || 4;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var baseTitle = document.title;

  var controls = document.querySelector('[data-matrix-controls]');
  var q = document.querySelector('[data-matrix-q]');
  var sortSelect = document.querySelector('[data-matrix-sort]');
  var indOnly = document.querySelector('[data-matrix-ind]');
  var goButton = document.querySelector('[data-compare-go]');
  var resetButton = document.querySelector('[data-compare-reset]');
  var statusEl = document.querySelector('[data-compare-status]');
  var countEl = document.querySelector('[data-matrix-count]');
  var emptyEl = document.querySelector('[data-matrix-empty]');

  var STATUS = {
    'meets': { label: 'Meets', symbol: '✓', rank: 4 },
    'partially-meets': { label: 'Partially meets', symbol: '◐', rank: 3 },
    'does-not-meet': { label: 'Does not meet', symbol: '✗', rank: 2 },
    'not-assessed': { label: 'Not assessed', symbol: '–', rank: 1 },
    'none': { label: 'No assessment', symbol: '·', rank: 0 }
  };
  var KINDS = {
    'policy': 'Policy',
    'certification': 'Certification',
    'audit-report': 'Audit report',
    'attestation': 'Attestation',
    'transparency-report': 'Transparency report',
    'contract-clause': 'Contract clause',
    'other': 'Other'
  };

  // The key on the page holds the words the site uses; prefer them.
  Array.prototype.forEach.call(document.querySelectorAll('[data-legend] [data-status]'), function (item) {
    var s = STATUS[item.getAttribute('data-status')];
    var label = item.querySelector('.mark__label');
    var sym = item.querySelector('.mark__sym');
    if (s && label && sym) {
      s.label = label.textContent.trim();
      s.symbol = sym.textContent.trim();
    }
  });

  // Helpers -------------------------------------------------------------------

  function fold(s) {
    return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) {
      node.className = cls;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function link(href, text, cls) {
    var a = el('a', cls, text);
    a.href = href;
    return a;
  }

  function listWords(names) {
    if (names.length < 2) {
      return names.join('');
    }
    return names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  function bySlug(slug) {
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('data-slug') === slug) {
        return rows[i];
      }
    }
    return null;
  }

  // Filtering -----------------------------------------------------------------

  // A row: the member's link in its header cell, the country cell ("Sweden
  // SE"), then two cells per principle (self-attested, independent) in the
  // order of the principles' column heads, each with its status as a class
  // (td.st--meets); data-slug and data-layers on the row.
  function nameOf(row) {
    var a = row.querySelector('th a');
    return a ? a.textContent : '';
  }

  function cellStatus(cell) {
    var m = cell && /(?:^|\s)st--([a-z-]+)/.exec(cell.className);
    return STATUS[m ? m[1] : 'none'] || STATUS.none;
  }

  var principleIds = Array.prototype.map.call(table.querySelectorAll('thead th[data-sort-key]'), function (th) {
    return th.getAttribute('data-sort-key');
  }).filter(function (key) { return key !== 'name' && key !== 'country'; });
  var FIRST_MARK = 2; // member, country, then the marks

  var data = rows.map(function (row, i) {
    var standing = {};
    principleIds.forEach(function (id, k) {
      standing[id] = cellStatus(row.cells[FIRST_MARK + 2 * k + 1]).rank * 5 +
        cellStatus(row.cells[FIRST_MARK + 2 * k]).rank;
    });
    var countryCell = row.cells[1];
    var code = countryCell && countryCell.querySelector('.muted') ? countryCell.querySelector('.muted').textContent.trim() : '';
    return {
      row: row,
      order: i,
      name: nameOf(row),
      country: code,
      independent: !!row.querySelector('.member__flag'),
      text: fold([nameOf(row), countryCell ? countryCell.textContent : '', row.getAttribute('data-layers') || ''].join(' ')),
      standing: standing
    };
  });

  function filter() {
    var words = fold(q ? q.value : '').split(/\s+/).filter(Boolean);
    var shown = 0;
    data.forEach(function (d) {
      var ok = words.every(function (w) { return d.text.indexOf(w) >= 0; }) &&
        (!indOnly || !indOnly.checked || d.independent);
      d.row.hidden = !ok;
      shown += ok ? 1 : 0;
    });
    if (countEl) {
      countEl.textContent = '';
      countEl.appendChild(document.createTextNode('Showing '));
      countEl.appendChild(el('strong', null, String(shown)));
      countEl.appendChild(document.createTextNode(shown === data.length
        ? (shown === 1 ? ' member' : ' members')
        : ' of ' + data.length + ' members'));
    }
    if (emptyEl) {
      emptyEl.hidden = shown !== 0;
    }
  }

  // Sorting -------------------------------------------------------------------

  var headers = Array.prototype.slice.call(table.querySelectorAll('thead th[data-sort-key]'));
  var sortKey = 'name';
  var sortDir = 'asc';

  function compare(a, b) {
    var r;
    if (sortKey === 'name') {
      r = a.order - b.order; // the directory's order is by name
    } else if (sortKey === 'country') {
      r = a.country.localeCompare(b.country);
    } else {
      r = (a.standing[sortKey] || 0) - (b.standing[sortKey] || 0);
    }
    if (sortDir === 'desc') {
      r = -r;
    }
    return r || a.order - b.order;
  }

  function sort(key, dir) {
    sortKey = key;
    sortDir = dir;
    data.slice().sort(compare).forEach(function (d) {
      tbody.appendChild(d.row);
    });
    headers.forEach(function (th) {
      var on = th.getAttribute('data-sort-key') === key;
      if (on) {
        th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
      } else {
        th.removeAttribute('aria-sort');
      }
      var button = th.querySelector('.sort-button');
      if (button) {
        button.setAttribute('data-dir', on ? dir : '');
      }
    });
    if (sortSelect) {
      var value = key + ':' + dir;
      var known = Array.prototype.some.call(sortSelect.options, function (o) { return o.value === value; });
      sortSelect.value = known ? value : 'name:asc';
    }
  }

  // A button in each column head; the first press of a principle puts
  // the best standing first.
  headers.forEach(function (th) {
    var key = th.getAttribute('data-sort-key');
    var label = th.getAttribute('data-sort-label') || th.textContent.trim();
    var button = el('button', 'sort-button');
    button.type = 'button';
    button.appendChild(el('span', 'sort-button__icon'));
    button.lastChild.setAttribute('aria-hidden', 'true');
    button.appendChild(el('span', 'visually-hidden', 'Sort by ' + label));
    button.addEventListener('click', function () {
      var first = key === 'name' || key === 'country' ? 'asc' : 'desc';
      var dir = sortKey === key ? (sortDir === 'asc' ? 'desc' : 'asc') : first;
      sort(key, dir);
    });
    th.appendChild(button);
  });

  // Choosing members ----------------------------------------------------------

  // A box in each row's header cell: "Compare <name>".
  var picks = rows.map(function (row) {
    var slug = row.getAttribute('data-slug') || '';
    var wrap = el('span', 'pick');
    var box = el('input', 'pick__box');
    box.type = 'checkbox';
    box.id = 'pick-' + slug;
    box.value = slug;
    var label = el('label', 'pick__label', 'Compare');
    label.htmlFor = box.id;
    label.appendChild(el('span', 'visually-hidden', ' ' + nameOf(row)));
    wrap.appendChild(box);
    wrap.appendChild(document.createTextNode(' '));
    wrap.appendChild(label);
    row.cells[0].appendChild(wrap);
    return box;
  });
  var chosen = [];

  function syncPicks() {
    picks.forEach(function (box) {
      box.checked = chosen.indexOf(box.value) >= 0;
      box.disabled = !box.checked && chosen.length >= MAX;
    });
    if (goButton) {
      goButton.disabled = chosen.length < 2;
    }
    if (resetButton) {
      resetButton.disabled = chosen.length === 0;
    }
    if (statusEl) {
      var names = chosen.map(function (slug) {
        var row = bySlug(slug);
        return row ? nameOf(row) : slug;
      });
      statusEl.textContent = chosen.length === 0
        ? 'Tick two to ' + MAX + ' members in the table to compare them.'
        : chosen.length === 1
          ? 'Chosen: ' + names[0] + '. Tick at least one more.'
          : 'Chosen: ' + listWords(names) + (chosen.length >= MAX ? ' (the most that fit side by side).' : '.');
    }
  }

  picks.forEach(function (box) {
    box.addEventListener('change', function () {
      var i = chosen.indexOf(box.value);
      if (box.checked && i < 0 && chosen.length < MAX) {
        chosen.push(box.value);
      } else if (!box.checked && i >= 0) {
        chosen.splice(i, 1);
      }
      syncPicks();
    });
  });

  // The address ---------------------------------------------------------------

  function slugsFromUrl() {
    var out = [];
    new URLSearchParams(window.location.search).getAll('v').forEach(function (value) {
      value.split(',').forEach(function (s) {
        s = s.trim();
        if (s && out.indexOf(s) < 0) {
          out.push(s);
        }
      });
    });
    return out;
  }

  function urlFor(slugs) {
    return window.location.pathname + (slugs.length ? '?v=' + slugs.map(encodeURIComponent).join(',') : '');
  }

  function absolute(href) {
    return new URL(href, window.location.href).href;
  }

  // The side-by-side view ---------------------------------------------------

  function mark(status, expired) {
    var s = STATUS[status] || STATUS.none;
    var m = el('span', 'mark mark--' + (STATUS[status] ? status : 'none'));
    var sym = el('span', 'mark__sym', s.symbol);
    sym.setAttribute('aria-hidden', 'true');
    m.appendChild(sym);
    m.appendChild(document.createTextNode(' '));
    m.appendChild(el('span', 'mark__label', s.label));
    if (expired) {
      m.appendChild(document.createTextNode(' '));
      m.appendChild(el('span', 'badge badge--expired', 'Expired'));
    }
    return m;
  }

  function evidenceItem(e) {
    var li = el('li', 'evidence');
    var title = el('span', 'evidence__title');
    if (e.url) {
      var a = link(e.url, e.title);
      a.rel = 'noopener noreferrer';
      title.appendChild(a);
    } else {
      title.appendChild(document.createTextNode(e.title + ' '));
      title.appendChild(el('span', 'evidence__nolink', '(no public link)'));
    }
    li.appendChild(title);
    var meta = el('span', 'evidence__meta');
    meta.appendChild(el('span', 'tag', KINDS[e.kind] || e.kind));
    if (e.date) {
      var d = el('span', null, 'dated ');
      var t = el('time', null, e.date);
      t.setAttribute('datetime', e.date);
      d.appendChild(t);
      meta.appendChild(d);
    }
    if (e.stale) {
      meta.appendChild(el('span', 'badge badge--stale', 'Stale'));
    }
    li.appendChild(meta);
    return li;
  }

  function side(s, independent) {
    var box = el('div', 'cmp-side cmp-side--' + (independent ? 'independent' : 'self'));
    var who = el('p', 'cmp-side__who');
    who.appendChild(el('strong', null, independent ? 'Independent' : 'Self-attested'));
    if (s) {
      var meta = (s.assessor ? ', ' + s.assessor : '') + ', ';
      who.appendChild(document.createTextNode(meta));
      var t = el('time', null, s.date);
      t.setAttribute('datetime', s.date);
      who.appendChild(t);
      if (s.valid_until) {
        who.appendChild(document.createTextNode('; valid until '));
        var until = el('time', null, s.valid_until);
        until.setAttribute('datetime', s.valid_until);
        who.appendChild(until);
      }
    }
    box.appendChild(who);
    var st = el('p', 'cmp-side__status');
    if (s) {
      st.appendChild(mark(s.status, s.expired));
    } else {
      var none = mark('none', false);
      none.querySelector('.mark__label').textContent = independent
        ? 'No independent assessment' : 'No self-attestation';
      st.appendChild(none);
    }
    box.appendChild(st);
    if (s) {
      if (s.evidence.length) {
        box.appendChild(el('p', 'cmp-side__evidence-label', 'Evidence (' + s.evidence.length + ')'));
        var ul = el('ul', 'evidence-list evidence-list--brief');
        s.evidence.forEach(function (e) { ul.appendChild(evidenceItem(e)); });
        box.appendChild(ul);
      } else {
        box.appendChild(el('p', 'cmp-side__none', 'No evidence listed.'));
      }
    }
    return box;
  }

  function table2(vendors) {
    var region = el('div', 'table-region');
    region.setAttribute('role', 'region');
    region.setAttribute('aria-labelledby', 'comparison-caption');
    region.tabIndex = 0;
    var t = el('table', 'side-by-side side-by-side--' + vendors.length);
    t.setAttribute('data-side-by-side', '');
    var cap = el('caption', null, listWords(vendors.map(function (v) { return v.name; })) +
      ' on each principle: the self-attestation and the independent assessment, with the evidence each cites.');
    cap.id = 'comparison-caption';
    t.appendChild(cap);
    var thead = el('thead');
    var hr = el('tr');
    var corner = el('th', 'side-by-side__corner', 'Principle');
    corner.scope = 'col';
    hr.appendChild(corner);
    vendors.forEach(function (v) {
      var th = el('th', 'side-by-side__vendor');
      th.scope = 'col';
      th.appendChild(link(root + 'vendors/' + encodeURIComponent(v.slug) + '/', v.name, 'side-by-side__name'));
      var independent = v.principles.some(function (p) { return p.independent; });
      var self = v.principles.some(function (p) { return p.self_attestation; });
      th.appendChild(el('span', 'side-by-side__facts', v.country_name + ' · ' +
        (independent ? 'independently assessed' : self ? 'self-attested only' : 'no assessment yet')));
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    t.appendChild(thead);
    var tb = el('tbody');
    var principles = vendors[0].principles;
    principles.forEach(function (p, i) {
      var tr = el('tr');
      var th = el('th', 'side-by-side__principle');
      th.scope = 'row';
      th.appendChild(link(root + 'principles/' + encodeURIComponent(p.id) + '/', (i + 1) + '. ' + p.title));
      tr.appendChild(th);
      vendors.forEach(function (v) {
        var vp = v.principles[i] || {};
        var td = el('td');
        td.setAttribute('data-label', v.name);
        td.appendChild(side(vp.self_attestation, false));
        td.appendChild(side(vp.independent, true));
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    region.appendChild(t);
    return region;
  }

  function actions(slugs, vendors) {
    var wrap = el('div', 'comparison__actions');
    var cite = el('p', 'comparison__cite');
    cite.appendChild(document.createTextNode('Link to this comparison: '));
    var href = absolute(urlFor(slugs));
    cite.appendChild(link(href, href, 'break'));
    wrap.appendChild(cite);
    var data = el('p', 'comparison__data');
    data.appendChild(document.createTextNode('The data shown: '));
    vendors.forEach(function (v, i) {
      if (i) {
        data.appendChild(document.createTextNode(', '));
      }
      var a = link(api + encodeURIComponent(v.slug) + '.json', v.slug + '.json');
      a.type = 'application/json';
      data.appendChild(a);
    });
    data.appendChild(document.createTextNode(' (as of commit ' + vendors[0].commit.id.slice(0, 7) + ', ' +
      vendors[0].commit.date + ').'));
    wrap.appendChild(data);
    var buttons = el('p', 'comparison__buttons no-print');
    var print = el('button', 'button', 'Print');
    print.type = 'button';
    print.addEventListener('click', function () { window.print(); });
    var closeB = el('button', 'button', 'Close the comparison');
    closeB.type = 'button';
    closeB.addEventListener('click', function () {
      navigate([]);
      var target = goButton || table;
      if (target && target.focus) {
        target.focus();
      }
    });
    buttons.appendChild(print);
    buttons.appendChild(document.createTextNode(' '));
    buttons.appendChild(closeB);
    wrap.appendChild(buttons);
    return wrap;
  }

  function message(text, slugs) {
    var p = el('p', 'notice');
    p.textContent = text;
    if (slugs && slugs.length) {
      p.appendChild(document.createTextNode(' Their profiles: '));
      slugs.forEach(function (slug, i) {
        var row = bySlug(slug);
        if (i) {
          p.appendChild(document.createTextNode(', '));
        }
        p.appendChild(link(root + 'vendors/' + encodeURIComponent(slug) + '/',
          row ? nameOf(row) : slug));
      });
      p.appendChild(document.createTextNode('.'));
    }
    return p;
  }

  var generation = 0;

  function show(slugs, focus) {
    var known = slugs.filter(function (s) { return bySlug(s); });
    var unknown = slugs.filter(function (s) { return !bySlug(s); });
    var dropped = known.slice(MAX);
    known = known.slice(0, MAX);
    chosen = known.slice();
    syncPicks();
    var mine = ++generation;
    body.textContent = '';
    if (!slugs.length) {
      section.hidden = true;
      document.body.classList.remove('is-comparing');
      document.title = baseTitle;
      return;
    }
    section.hidden = false;
    document.body.classList.add('is-comparing');
    if (unknown.length) {
      body.appendChild(message('Not in the directory: ' + unknown.join(', ') + '.'));
    }
    if (dropped.length) {
      body.appendChild(message('Only ' + MAX + ' members fit side by side; left out: ' +
        dropped.join(', ') + '.'));
    }
    if (known.length < 2) {
      heading.textContent = 'Side by side';
      body.appendChild(message(known.length
        ? 'Tick at least one more member in the table below to compare it with ' +
          nameOf(bySlug(known[0])) + '.'
        : 'Tick two to ' + MAX + ' members in the table below to compare them.'));
      return;
    }
    var names = known.map(function (s) { return nameOf(bySlug(s)); });
    heading.textContent = 'Side by side: ' + listWords(names);
    document.title = 'Compare ' + listWords(names) + ' — ' + baseTitle.replace(/^[^—]*—\s*/, '');
    var loading = el('p', 'comparison__loading', 'Loading the data of ' + listWords(names) + '…');
    loading.setAttribute('role', 'status');
    body.appendChild(loading);
    Promise.all(known.map(function (slug) {
      return fetch(api + encodeURIComponent(slug) + '.json', { credentials: 'same-origin' })
        .then(function (r) {
          if (!r.ok) {
            throw new Error('HTTP ' + r.status);
          }
          return r.json();
        });
    })).then(function (vendors) {
      if (mine !== generation) {
        return;
      }
      body.removeChild(loading);
      body.appendChild(actions(known, vendors));
      body.appendChild(table2(vendors));
      if (focus) {
        section.focus();
      }
    }).catch(function () {
      if (mine !== generation) {
        return;
      }
      body.removeChild(loading);
      body.appendChild(message('The data for this comparison could not be loaded (pages opened ' +
        'from disk cannot read it).', known));
    });
  }

  function navigate(slugs) {
    try {
      window.history.pushState(null, '', urlFor(slugs));
    } catch (e) {
      // Some browsers refuse pushState on file: addresses; the view still shows.
    }
    show(slugs, true);
  }

  // Go ------------------------------------------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll('[data-js-only]'), function (node) {
    node.hidden = false;
  });
  if (controls) {
    controls.addEventListener('submit', function (e) {
      e.preventDefault();
      if (chosen.length >= 2) {
        navigate(chosen.slice());
      }
    });
  }
  if (resetButton) {
    resetButton.addEventListener('click', function () {
      chosen = [];
      syncPicks();
    });
  }
  if (q) {
    q.addEventListener('input', filter);
  }
  if (indOnly) {
    indOnly.addEventListener('change', filter);
  }
  if (sortSelect) {
    sortSelect.addEventListener('change', function () {
      var parts = sortSelect.value.split(':');
      sort(parts[0], parts[1]);
    });
  }
  window.addEventListener('popstate', function () {
    show(slugsFromUrl(), false);
  });

  syncPicks();
  show(slugsFromUrl(), false);
})();
