/*
 * trustdir default theme: the search box in the header, as you type.
 *
 * Without this script the box is a plain GET form to the directory
 * (index.html?q=...). With it, the box becomes a combobox (the ARIA
 * pattern of an editable combobox with a list popup): as you type, the
 * members whose name, legal name, country, layer or evidence title hold
 * every word you typed are listed under it.
 *
 *   Down / Up    move through the results      Enter   open the result
 *   Escape       close the list                Enter with no result
 *                                                chosen: the directory
 *
 * The index is assets/search.json, written by the builder with the site
 * and fetched from the same origin on first use: no other service. The
 * form's data-search-index and data-search-root say where it and the
 * site's root are. No dependencies, ES2017, no inline handlers.
 */
(function () {
  'use strict';

  var form = document.querySelector('form.site-search[data-search-index]');
  var input = form && form.querySelector('input[name="q"]');
  if (!input || !window.fetch) {
    return;
  }
  var root = form.getAttribute('data-search-root') || '';
  var MAX = 10;

  // Helpers -------------------------------------------------------------------

  function fold(s) {
    return (s || '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) {
      node.className = cls;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // The widget ----------------------------------------------------------------

  var listId = input.id + '-results';
  var popup = el('div', 'search-popup');
  popup.hidden = true;
  var list = el('ul', 'search-results');
  list.id = listId;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Members matching your search');
  var more = el('p', 'search-popup__more');
  more.hidden = true;
  var status = el('p', 'visually-hidden');
  status.setAttribute('role', 'status');
  popup.appendChild(list);
  popup.appendChild(more);
  form.appendChild(popup);
  form.appendChild(status);
  form.classList.add('site-search--live');

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);

  // The index -----------------------------------------------------------------

  var index = null;
  var loading = null;

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute('data-search-index'), { credentials: 'same-origin' })
        .then(function (r) {
          if (!r.ok) {
            throw new Error('HTTP ' + r.status);
          }
          return r.json();
        })
        .then(function (data) {
          var at = {};
          (data.fields || []).forEach(function (f, i) { at[f] = i; });
          index = (data.vendors || []).map(function (v, order) {
            var entry = {
              order: order,
              slug: v[at.slug],
              name: v[at.name] || '',
              legal: v[at.legal_name] || '',
              country: v[at.country] || '',
              countryName: v[at.country_name] || '',
              layers: v[at.layers] || [],
              evidence: v[at.evidence] || []
            };
            entry.f = {
              name: fold(entry.name),
              legal: fold(entry.legal),
              country: fold(entry.country + ' ' + entry.countryName),
              layers: entry.layers.map(fold),
              evidence: entry.evidence.map(fold)
            };
            return entry;
          });
        })
        .catch(function () {
          // Opened from disk, or the index is missing: the form still
          // takes the query to the directory.
          index = [];
        });
    }
    return loading;
  }

  // Matching ------------------------------------------------------------------

  // Where a word was found, best place first.
  function place(v, word) {
    var i;
    if (v.f.name.indexOf(word) >= 0) {
      return { rank: v.f.name.indexOf(word) === 0 ? 0 : 1 };
    }
    if (v.f.legal.indexOf(word) >= 0) {
      return { rank: 2, label: 'Legal name', text: v.legal };
    }
    if (v.f.country.indexOf(word) >= 0) {
      return { rank: 3, label: 'Country', text: v.countryName + ' (' + v.country + ')' };
    }
    for (i = 0; i < v.layers.length; i++) {
      if (v.f.layers[i].indexOf(word) >= 0) {
        return { rank: 3, label: 'Layer', text: v.layers[i] };
      }
    }
    for (i = 0; i < v.evidence.length; i++) {
      if (v.f.evidence[i].indexOf(word) >= 0) {
        return { rank: 4, label: 'Evidence', text: v.evidence[i] };
      }
    }
    return null;
  }

  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length || !index) {
      return [];
    }
    var hits = [];
    index.forEach(function (v) {
      var rank = 0;
      var why = null;
      for (var i = 0; i < words.length; i++) {
        var p = place(v, words[i]);
        if (!p) {
          return;
        }
        rank += p.rank;
        if (p.label && !why) {
          why = p;
        }
      }
      hits.push({ v: v, rank: rank, why: why });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || a.v.order - b.v.order;
    });
    return hits;
  }

  // Showing results -----------------------------------------------------------

  var options = [];
  var active = -1;
  var announceTimer = 0;

  function hrefOf(v) {
    return root + 'vendors/' + encodeURIComponent(v.slug) + '/';
  }

  function setActive(i) {
    if (active >= 0 && options[active]) {
      options[active].setAttribute('aria-selected', 'false');
      options[active].classList.remove('is-active');
    }
    active = i;
    if (active >= 0 && options[active]) {
      options[active].setAttribute('aria-selected', 'true');
      options[active].classList.add('is-active');
      input.setAttribute('aria-activedescendant', options[active].id);
      options[active].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function close() {
    setActive(-1);
    popup.hidden = true;
    input.setAttribute('aria-expanded', 'false');
  }

  function announce(text) {
    window.clearTimeout(announceTimer);
    // Wait for a pause in typing, so that a screen reader says it once.
    announceTimer = window.setTimeout(function () {
      status.textContent = text;
    }, 500);
  }

  function render() {
    var query = input.value.trim();
    var hits = search(query);
    list.textContent = '';
    options = [];
    active = -1;
    input.removeAttribute('aria-activedescendant');
    if (!query) {
      close();
      announce('');
      return;
    }
    hits.slice(0, MAX).forEach(function (hit, i) {
      var v = hit.v;
      var li = el('li', 'search-result');
      li.id = listId + '-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.setAttribute('data-href', hrefOf(v));
      li.appendChild(el('span', 'search-result__name', v.name));
      li.appendChild(el('span', 'search-result__meta',
        v.countryName + ' · ' + v.layers.join(', ')));
      if (hit.why) {
        var why = el('span', 'search-result__why');
        why.appendChild(el('span', 'search-result__why-label', hit.why.label + ': '));
        why.appendChild(document.createTextNode(hit.why.text));
        li.appendChild(why);
      }
      list.appendChild(li);
      options.push(li);
    });
    if (!hits.length) {
      var none = el('li', 'search-result search-result--none', 'No member matches “' + query + '”.');
      none.id = listId + '-none';
      none.setAttribute('role', 'option');
      none.setAttribute('aria-disabled', 'true');
      none.setAttribute('aria-selected', 'false');
      list.appendChild(none);
    }
    more.textContent = hits.length > MAX
      ? (hits.length - MAX) + ' more: type more words to narrow the list, or press Enter to search the directory.'
      : '';
    more.hidden = hits.length <= MAX;
    popup.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    announce(hits.length === 0 ? 'No member matches.'
      : hits.length === 1 ? '1 member matches. Use the down arrow key to reach it.'
        : hits.length + ' members match. Use the up and down arrow keys to choose one.');
  }

  function update() {
    load().then(render);
  }

  function go(i) {
    var href = options[i] && options[i].getAttribute('data-href');
    if (href) {
      close();
      window.location.href = href;
    }
  }

  // Events --------------------------------------------------------------------

  input.addEventListener('input', update);
  input.addEventListener('focus', function () {
    load();
  });
  input.addEventListener('keydown', function (e) {
    var open = !popup.hidden;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) {
        update();
        return;
      }
      if (options.length) {
        setActive(active < options.length - 1 ? active + 1 : 0);
      }
    } else if (e.key === 'ArrowUp') {
      if (open && options.length) {
        e.preventDefault();
        setActive(active > 0 ? active - 1 : options.length - 1);
      }
    } else if (e.key === 'Enter') {
      if (open && active >= 0) {
        e.preventDefault();
        go(active);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        // Close first; a second Escape clears the box, as browsers do.
        e.preventDefault();
        close();
      }
    }
  });
  popup.addEventListener('mousedown', function (e) {
    // Keep the focus in the box while a result is clicked.
    e.preventDefault();
  });
  list.addEventListener('click', function (e) {
    var li = e.target.closest('[role="option"]');
    var i = options.indexOf(li);
    if (i >= 0) {
      go(i);
    }
  });
  form.addEventListener('focusout', function (e) {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) {
      close();
    }
  });
  // Back from a profile, the page may come from the cache with the list open.
  window.addEventListener('pageshow', close);
})();
