/*
 * trustdir default theme: filtering for the member directory.
 *
 * Progressive enhancement only. Without this script the directory works
 * through plain facet links (filter/<facet>/). With it, a filter form is
 * built above the members table and hides the rows that do not match, in
 * place. It reads what the rows show: the member's link and name, the
 * country cell ("Sweden SE"), the layers cell ("Cloud, AI", mapped to the
 * layer ids of <template data-layer-options>), and the marks, two cells per
 * principle (self-attested, independent) in the order of the principles'
 * column headers (th[data-principle]), each with its status as a class
 * (td.st--meets). The text filter also matches a member's legal name and
 * evidence titles, from the header search's index (assets/search.json,
 * fetched on first use; without it, names, countries and layers match).
 *
 * The state lives in the query string (?country=SE&layer=cloud&q=nokia&
 * governance=independent:meets) so that a filtered view can be shared;
 * ?q= also comes from the site-wide search box. Pages without the members
 * table are left alone. No dependencies, ES2017, no inline handlers.
 */
(function () {
  'use strict';

  var table = document.querySelector('table[data-members]');
  if (!table || !table.tBodies.length || !('URLSearchParams' in window)) {
    return;
  }
  var mount = document.querySelector('[data-filter-mount]');
  if (!mount) {
    return;
  }

  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var countEl = document.querySelector('[data-result-count]');
  var originalCount = countEl ? countEl.innerHTML : '';
  var region = table.closest('.table-region') || table;
  var RESERVED = ['country', 'layer', 'type', 'q'];

  var STATUS_LABELS = {
    'meets': 'Meets',
    'partially-meets': 'Partially meets',
    'does-not-meet': 'Does not meet',
    'not-assessed': 'Not assessed',
    'none': 'No assessment'
  };
  var STATUS_ORDER = ['meets', 'partially-meets', 'does-not-meet', 'not-assessed', 'none'];
  var TYPE_LABELS = {
    'independent': 'Independently assessed',
    'self-attested': 'Self-attested only',
    'none': 'No assessment yet'
  };
  var SHORT_SIDE = {
    'self': 'Self',
    'independent': 'Independent'
  };
  var SIDE_LABELS = {
    'self': 'Self-attestation',
    'independent': 'Independent assessment'
  };

  // The key shows the same labels as the marks; prefer it over the defaults.
  Array.prototype.forEach.call(
    document.querySelectorAll('[data-legend] [data-status]'),
    function (item) {
      var label = item.querySelector('.mark__label');
      if (label && label.textContent.trim()) {
        STATUS_LABELS[item.getAttribute('data-status')] = label.textContent.trim();
      }
    }
  );

  // Helpers -------------------------------------------------------------------

  function words(s) {
    return (s || '').split(/\s+/).filter(Boolean);
  }

  function fold(s) {
    return (s || '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function option(value, label) {
    return el('option', { value: value }, label);
  }

  function paramFor(principleId) {
    return RESERVED.indexOf(principleId) >= 0 ? 'p-' + principleId : principleId;
  }

  var uid = 0;
  function field(labelText, control) {
    var id = 'filter-' + (++uid);
    var wrap = el('div', { 'class': 'field' });
    wrap.appendChild(el('label', { 'class': 'field__label', 'for': id }, labelText));
    control.id = id;
    control.classList.add('field__control');
    wrap.appendChild(control);
    return wrap;
  }

  // What the rows hold ----------------------------------------------------------

  var principles = Array.prototype.map.call(
    table.querySelectorAll('thead th[data-principle]'),
    function (th) {
      return { id: th.getAttribute('data-principle'), title: th.textContent.replace(/\s+/g, ' ').trim() };
    }
  );

  var layerIds = {};
  var layerTemplate = document.querySelector('template[data-layer-options]');
  if (layerTemplate && layerTemplate.content) {
    Array.prototype.forEach.call(layerTemplate.content.querySelectorAll('option'), function (o) {
      layerIds[o.textContent.trim()] = o.value;
    });
  }

  function cellStatus(cell) {
    var m = cell && /(?:^|\s)st--([a-z-]+)/.exec(cell.className);
    return m ? m[1] : 'none';
  }

  var FIRST_MARK = 3; // member, country, layers, then the marks
  var data = rows.map(function (row) {
    var statuses = {};
    var has = { self: false, independent: false };
    principles.forEach(function (p, k) {
      ['self', 'independent'].forEach(function (side, i) {
        var status = cellStatus(row.cells[FIRST_MARK + 2 * k + i]);
        statuses[p.id + ':' + side + ':' + status] = true;
        if (status !== 'none') {
          has[side] = true;
        }
      });
    });
    var link = row.querySelector('th a');
    var name = link ? link.textContent : '';
    var href = link ? link.getAttribute('href') || '' : '';
    var slug = (/vendors\/([^/]+)\/$/.exec(href) || [])[1] || '';
    var countryCell = row.cells[1];
    var code = countryCell && countryCell.querySelector('.muted') ? countryCell.querySelector('.muted').textContent.trim() : '';
    var countryName = countryCell ? countryCell.firstChild.textContent.trim() : '';
    var layerLabels = row.cells[2] ? row.cells[2].textContent.split(',').map(function (l) { return l.trim(); }).filter(Boolean) : [];
    var layers = layerLabels.map(function (l) { return layerIds[l] || l.toLowerCase(); });
    var text = [name, code, countryName, layers.join(' '), layerLabels.join(' ')].join(' ');
    return {
      row: row,
      slug: slug,
      country: code,
      countryName: countryName,
      layers: layers,
      type: has.independent ? 'independent' : has.self ? 'self-attested' : 'none',
      statuses: statuses,
      own: text,
      text: fold(text)
    };
  });

  // The legal names and evidence titles, from the search box's index.
  var searchForm = document.querySelector('form.site-search[data-search-index]');
  var extraLoad = null;

  function loadExtra() {
    if (extraLoad || !searchForm || !window.fetch) {
      return extraLoad;
    }
    extraLoad = fetch(searchForm.getAttribute('data-search-index'))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (index) {
        if (!index || !index.fields || !index.vendors) {
          return false;
        }
        var f = {};
        index.fields.forEach(function (name, i) { f[name] = i; });
        var bySlug = {};
        index.vendors.forEach(function (v) {
          bySlug[v[f.slug]] = [v[f.legal_name] || ''].concat(v[f.evidence] || []).join(' ');
        });
        data.forEach(function (d) {
          if (bySlug[d.slug]) {
            d.text = fold(d.own + ' ' + bySlug[d.slug]);
          }
        });
        return true;
      })
      .catch(function () { return false; });
    return extraLoad;
  }

  function tally(list) {
    var counts = {};
    list.forEach(function (v) {
      counts[v] = (counts[v] || 0) + 1;
    });
    return counts;
  }

  var countryCounts = tally(data.map(function (d) { return d.country; }));
  var countryNames = {};
  data.forEach(function (d) {
    if (d.country && !countryNames[d.country]) {
      countryNames[d.country] = d.countryName || d.country;
    }
  });
  var layerCounts = tally([].concat.apply([], data.map(function (d) { return d.layers; })));
  var typeCounts = tally(data.map(function (d) { return d.type; }));

  // The form ------------------------------------------------------------------

  var form = el('form', { 'class': 'filter-form', 'aria-label': 'Filter members', novalidate: '' });

  var mainRow = el('div', { 'class': 'filter-form__row' });
  form.appendChild(mainRow);

  var q = el('input', { type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false' });
  mainRow.appendChild(field('Name, country or layer', q));

  var country = el('select', { name: 'country' });
  country.appendChild(option('', 'All countries'));
  Object.keys(countryNames)
    .sort(function (a, b) { return countryNames[a].localeCompare(countryNames[b]); })
    .forEach(function (code) {
      country.appendChild(option(code, countryNames[code] + ' (' + countryCounts[code] + ')'));
    });
  mainRow.appendChild(field('Country', country));

  var layer = el('select', { name: 'layer' });
  layer.appendChild(option('', 'All layers'));
  var layerSeen = {};
  if (layerTemplate && layerTemplate.content) {
    Array.prototype.forEach.call(layerTemplate.content.querySelectorAll('option'), function (o) {
      if (layerCounts[o.value]) {
        layerSeen[o.value] = true;
        layer.appendChild(option(o.value, o.textContent + ' (' + layerCounts[o.value] + ')'));
      }
    });
  }
  Object.keys(layerCounts).sort().forEach(function (id) {
    if (!layerSeen[id]) {
      layer.appendChild(option(id, id + ' (' + layerCounts[id] + ')'));
    }
  });
  mainRow.appendChild(field('Layer', layer));

  var type = el('select', { name: 'type' });
  type.appendChild(option('', 'Any assessment type'));
  Object.keys(TYPE_LABELS).forEach(function (t) {
    type.appendChild(option(t, TYPE_LABELS[t] + ' (' + (typeCounts[t] || 0) + ')'));
  });
  mainRow.appendChild(field('Assessment type', type));

  // The per-principle filters are folded away until wanted (or in use).
  var principleSelects = [];
  var more = null;
  var moreActive = null;
  if (principles.length) {
    more = el('details', { 'class': 'filter-form__more' });
    var moreSummary = el('summary', {}, 'Standing on a principle ');
    moreActive = el('span', { 'class': 'filter-form__active' });
    moreSummary.appendChild(moreActive);
    more.appendChild(moreSummary);
    var pRow = el('fieldset', { 'class': 'filter-form__row' });
    pRow.appendChild(el('legend', { 'class': 'visually-hidden' }, 'Standing on a principle'));
    principles.forEach(function (p) {
      var select = el('select', { name: paramFor(p.id) });
      select.appendChild(option('', 'Any standing'));
      ['self', 'independent'].forEach(function (side) {
        var group = el('optgroup', { label: SIDE_LABELS[side] });
        STATUS_ORDER.forEach(function (status) {
          var token = p.id + ':' + side + ':' + status;
          var n = data.filter(function (d) { return d.statuses[token]; }).length;
          if (n) {
            group.appendChild(option(side + ':' + status,
              SHORT_SIDE[side] + ': ' + STATUS_LABELS[status] + ' (' + n + ')'));
          }
        });
        if (group.children.length) {
          select.appendChild(group);
        }
      });
      pRow.appendChild(field(p.title, select));
      principleSelects.push({ id: p.id, select: select });
    });
    more.appendChild(pRow);
    form.appendChild(more);
  }

  var actions = el('div', { 'class': 'filter-form__actions' });
  var reset = el('button', { type: 'button', 'class': 'button' }, 'Clear filters');
  actions.appendChild(reset);
  form.appendChild(actions);

  var empty = el('div', { 'class': 'empty-state', hidden: '' });
  empty.appendChild(el('p', {}, 'No members match these filters.'));
  var emptyReset = el('button', { type: 'button', 'class': 'button' }, 'Clear filters');
  empty.appendChild(emptyReset);
  region.parentNode.insertBefore(empty, region.nextSibling);

  // State <-> URL -------------------------------------------------------------

  function controls() {
    var list = [
      { key: 'q', node: q },
      { key: 'country', node: country },
      { key: 'layer', node: layer },
      { key: 'type', node: type }
    ];
    principleSelects.forEach(function (p) {
      list.push({ key: paramFor(p.id), node: p.select, principle: p.id });
    });
    return list;
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    controls().forEach(function (c) {
      var v = params.get(c.key) || '';
      if (c.node.tagName === 'SELECT') {
        var ok = Array.prototype.some.call(c.node.options, function (o) { return o.value === v; });
        c.node.value = ok ? v : '';
      } else {
        c.node.value = v.slice(0, 200);
      }
    });
  }

  function encode(s) {
    return encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%20/g, '+');
  }

  function writeUrl() {
    // Keep parameters this script does not own; replace the ones it does.
    var own = {};
    controls().forEach(function (c) { own[c.key] = true; });
    var parts = [];
    new URLSearchParams(window.location.search).forEach(function (value, key) {
      if (!own[key]) {
        parts.push(encode(key) + '=' + encode(value));
      }
    });
    controls().forEach(function (c) {
      var v = c.node.value.trim();
      if (v) {
        parts.push(encode(c.key) + '=' + encode(v));
      }
    });
    var url = window.location.pathname + (parts.length ? '?' + parts.join('&') : '') + window.location.hash;
    try {
      window.history.replaceState(null, '', url);
    } catch (e) {
      // Some browsers refuse replaceState on file: URLs; filtering still works.
    }
  }

  // Filtering -----------------------------------------------------------------

  function matches(d) {
    var terms = words(fold(q.value));
    if (terms.some(function (t) { return d.text.indexOf(t) < 0; })) {
      return false;
    }
    if (country.value && d.country !== country.value) {
      return false;
    }
    if (layer.value && d.layers.indexOf(layer.value) < 0) {
      return false;
    }
    if (type.value && d.type !== type.value) {
      return false;
    }
    return principleSelects.every(function (p) {
      return !p.select.value || d.statuses[p.id + ':' + p.select.value];
    });
  }

  function active() {
    return controls().some(function (c) { return c.node.value.trim() !== ''; });
  }

  var announceTimer = 0;

  function needExtra() {
    if (q.value.trim() && !extraLoad) {
      var loading = loadExtra();
      if (loading) {
        loading.then(function (ok) {
          if (ok) {
            apply();
          }
        });
      }
    }
  }

  function apply(announce) {
    var shown = 0;
    needExtra();
    data.forEach(function (d) {
      var ok = matches(d);
      d.row.hidden = !ok;
      if (ok) {
        shown++;
      }
    });
    var isActive = active();
    reset.disabled = !isActive;
    if (moreActive) {
      var n = principleSelects.filter(function (p) { return p.select.value; }).length;
      moreActive.textContent = n ? '(' + n + ' active)' : '';
    }
    empty.hidden = shown !== 0;
    region.hidden = shown === 0;

    if (!countEl) {
      return;
    }
    var update = function () {
      if (!isActive) {
        countEl.innerHTML = originalCount;
        return;
      }
      countEl.textContent = '';
      countEl.appendChild(document.createTextNode('Showing '));
      countEl.appendChild(el('strong', {}, String(shown)));
      countEl.appendChild(document.createTextNode(
        ' of ' + data.length + ' member' + (data.length === 1 ? '' : 's') + ' matching your filters'));
    };
    window.clearTimeout(announceTimer);
    if (announce === 'later') {
      // Typing: wait for a pause so that screen readers hear one update.
      announceTimer = window.setTimeout(update, 400);
    } else {
      update();
    }
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    apply();
    writeUrl();
  });
  form.addEventListener('change', function () {
    apply();
    writeUrl();
  });
  q.addEventListener('input', function () {
    apply('later');
    writeUrl();
  });

  function clearAll() {
    controls().forEach(function (c) { c.node.value = ''; });
    apply();
    writeUrl();
    q.focus();
  }
  reset.addEventListener('click', clearAll);
  emptyReset.addEventListener('click', clearAll);

  // Keep the site-wide search box in step with the text filter.
  var siteSearch = document.querySelector('.site-search input[name="q"]');
  q.addEventListener('input', function () {
    if (siteSearch) {
      siteSearch.value = q.value;
    }
  });

  // Go ------------------------------------------------------------------------

  mount.appendChild(form);
  mount.hidden = false;

  // The facet links stay available, folded away, except on a facet page.
  var facets = document.querySelector('details[data-facets]');
  if (facets && !facets.hasAttribute('data-facet-page')) {
    facets.open = false;
    var summary = facets.querySelector('summary');
    if (summary) {
      summary.textContent = 'Or browse the filter pages';
    }
  }

  readUrl();
  if (more && principleSelects.some(function (p) { return p.select.value; })) {
    more.open = true;
  }
  if (siteSearch && q.value) {
    siteSearch.value = q.value;
  }
  apply();
})();
