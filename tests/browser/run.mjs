/*
 * Browser tests of a built site, in Debian's Chromium driven by
 * playwright-core (no browser download), with axe-core for accessibility.
 *
 *   node tests/browser/run.mjs BASE_URL SCREENSHOT_DIR
 *
 * BASE_URL serves the site built from the `rich` fixture
 * (tests/e2e/test_browser.py builds and serves it on 127.0.0.1). Every
 * test asserts what a person would see: rows left after filtering, the
 * names and marks in a comparison, the results under the search box, the
 * pages with JavaScript off, and no axe-core violation at WCAG 2.2 AA on
 * any kind of page. Screenshots go to SCREENSHOT_DIR for a person to
 * look at. Any request to another host fails the test that made it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const [BASE, SHOTS] = process.argv.slice(2);
if (!BASE || !SHOTS) {
  console.error('usage: node run.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
fs.mkdirSync(SHOTS, { recursive: true });

// The machine has no network: Chromium must not try to reach one.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

after(async () => {
  if (browser) {
    await browser.close();
  }
});

/* A page in a fresh context that records script errors, CSP reports and
 * requests to other hosts; check(page) asserts there were none. */
async function open(options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    ...options
  });
  const problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE)) {
      return route.continue();
    }
    problems.push('request to another host: ' + url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') {
      problems.push('console error: ' + m.text());
    }
  });
  page.on('pageerror', (e) => problems.push('script error: ' + e.message));
  page.problems = problems;
  return page;
}

async function close(page) {
  assert.deepEqual(page.problems, [], 'no script errors, CSP violations or foreign requests');
  await page.context().close();
}

async function visibleTexts(page, selector) {
  return page.locator(selector).evaluateAll((nodes) => nodes
    .filter((n) => n.offsetParent !== null || n.getClientRects().length > 0)
    .map((n) => n.textContent.replace(/\s+/g, ' ').trim()));
}

/* What a screen reader reads: the text, hidden words included, spaces folded. */
async function text(locator) {
  return (await locator.textContent()).replace(/\s+/g, ' ').trim();
}

const STATUS = '(Meets|Partially meets|Does not meet|Not assessed|No assessment)';

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

// --- the directory -------------------------------------------------------------

test('directory: the filter form narrows the members table', async () => {
  const page = await open();
  await page.goto(BASE + 'index.html');
  const rows = 'table[data-members] tbody tr:not([hidden]) th a';
  await page.locator('[data-filter-mount] form').waitFor();
  assert.equal((await visibleTexts(page, rows)).length, 5, 'all five members at first');

  await page.getByLabel('Country', { exact: true }).selectOption('FI');
  assert.deepEqual(await visibleTexts(page, rows), ['Example Networks']);
  assert.match(await page.locator('[data-result-count]').innerText(), /Showing 1 of 5 members/);
  assert.match(page.url(), /[?&]country=FI/, 'the filter is in the address');

  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByLabel('Layer', { exact: true }).selectOption('ai');
  assert.deepEqual(await visibleTexts(page, rows), ['Borealis Cloud', 'Sämple AI & Co. "Ω" <Labs>']);

  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByLabel('Assessment type', { exact: true }).selectOption('independent');
  assert.deepEqual(await visibleTexts(page, rows), ['Borealis Cloud', 'Example Networks']);
  await shot(page, 'directory-filtered-1280');

  // A principle's standing, read from the marks' cells.
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.locator('summary', { hasText: 'Standing on a principle' }).click();
  await page.getByLabel('3. Secure development').selectOption('independent:does-not-meet');
  assert.deepEqual(await visibleTexts(page, rows), ['Example Networks']);
  await page.getByLabel('3. Secure development').selectOption('self:partially-meets');
  assert.deepEqual(await visibleTexts(page, rows), ['ACME Software', 'Nordlys Chips']);

  // The text filter matches evidence titles, from the search index.
  await page.goto(BASE + 'index.html?q=penetration');
  await page.waitForFunction(() => document.querySelectorAll('table[data-members] tbody tr:not([hidden])').length === 1);
  assert.deepEqual(await visibleTexts(page, rows), ['Example Networks'], 'an evidence title matches');
  await close(page);
});

// --- search ------------------------------------------------------------------------

async function searchFor(page, text) {
  const box = page.locator('#site-search-q');
  await box.fill('');
  await box.pressSequentially(text, { delay: 10 });
  await page.locator('#site-search-q-results').waitFor();
  return page.locator('#site-search-q-results [role="option"]').evaluateAll((nodes) => nodes.map((n) => ({
    name: (n.querySelector('.search-result__name') || n).textContent.trim(),
    why: (n.querySelector('.search-result__why') || { textContent: '' }).textContent.trim()
  })));
}

test('search: members found as you type by name, legal name, country, layer and evidence', async () => {
  const page = await open();
  await page.goto(BASE + 'vendors/acme-software/');
  const box = page.locator('#site-search-q');
  assert.equal(await box.getAttribute('role'), 'combobox');

  let hits = await searchFor(page, 'nord');
  assert.deepEqual(hits.map((h) => h.name), ['Nordlys Chips']);
  assert.equal(await box.getAttribute('aria-expanded'), 'true');

  hits = await searchFor(page, 'Oy');
  assert.equal(hits[0].name, 'Example Networks', 'legal name: Example Networks Oy');
  assert.match(hits[0].why, /Legal name: Example Networks Oy/);

  hits = await searchFor(page, 'penetration test');
  assert.deepEqual(hits.map((h) => h.name), ['Example Networks'], 'evidence title');
  assert.match(hits[0].why, /Evidence: Penetration test report \(shared under NDA\)/);

  hits = await searchFor(page, 'japan');
  assert.deepEqual(hits.map((h) => h.name), ['Sämple AI & Co. "Ω" <Labs>'], 'country name');
  hits = await searchFor(page, 'sample');
  assert.deepEqual(hits.map((h) => h.name), ['Sämple AI & Co. "Ω" <Labs>'], 'accents do not matter');
  hits = await searchFor(page, 'semiconductors');
  assert.deepEqual(hits.map((h) => h.name), ['Nordlys Chips'], 'layer');
  hits = await searchFor(page, 'cloud');
  assert.equal(hits[0].name, 'Borealis Cloud', 'a name match comes first');

  hits = await searchFor(page, 'zzzz');
  assert.match(hits[0].name, /No member matches/);
  await page.screenshot({ path: path.join(SHOTS, 'search-none-1280.png') });

  // Keyboard: Down chooses, Escape closes, Enter opens the profile.
  await searchFor(page, 'borealis');
  await box.press('ArrowDown');
  const activeId = await box.getAttribute('aria-activedescendant');
  assert.ok(activeId, 'Down marks an option active');
  assert.equal(await page.locator('#' + activeId).getAttribute('aria-selected'), 'true');
  await page.screenshot({ path: path.join(SHOTS, 'search-1280.png') });
  await box.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#site-search-q-results').isVisible(), false, 'Escape closes the list');
  await box.press('ArrowDown');
  await page.locator('#site-search-q-results').waitFor();
  await box.press('ArrowDown');
  await Promise.all([page.waitForURL(/\/vendors\/borealis-cloud\/$/), box.press('Enter')]);
  assert.equal(await page.locator('h1').innerText(), 'Borealis Cloud');

  // Enter without a chosen result goes to the directory, filtered.
  await page.locator('#site-search-q').fill('nordlys');
  await Promise.all([page.waitForURL(/index\.html\?q=nordlys/), page.locator('#site-search-q').press('Enter')]);
  assert.deepEqual(await visibleTexts(page, 'table[data-members] tbody tr:not([hidden]) th a'),
    ['Nordlys Chips']);
  await close(page);
});

// --- compare ---------------------------------------------------------------------

const SIDE = 'table[data-side-by-side]';

async function sideBySide(page) {
  await page.locator(SIDE).waitFor();
  return {
    heads: await page.locator(SIDE + ' thead th').evaluateAll((n) => n.map((x) =>
      (x.querySelector('.side-by-side__name') || x).textContent.trim())),
    principles: await page.locator(SIDE + ' tbody th').allInnerTexts(),
    cell: (row, col) => page.locator(SIDE + ' tbody tr').nth(row).locator('td').nth(col).innerText()
  };
}

test('compare: choose members in the matrix and see them side by side', async () => {
  const page = await open();
  await page.goto(BASE + 'compare/');
  const names = 'table[data-matrix] tbody tr:not([hidden]) th a';
  assert.equal((await visibleTexts(page, names)).length, 5);
  assert.equal(await page.locator(SIDE).count(), 0, 'no comparison before a choice');

  // Each principle has two cells, named by the column headers; each says
  // its standing in words, with a symbol, not colour alone.
  assert.deepEqual((await page.locator('table[data-matrix] thead tr.col-who th').allTextContents()).slice(0, 2),
    ['SelfSelf-attestation', 'Ind.Independent assessment']);
  const enCells = page.locator('table[data-matrix] tbody tr[data-slug="example-networks"] td');
  // Country, then governance, ethics, secure-development (self, independent) ...
  assert.equal(await text(enCells.nth(5)), 'Meets');
  assert.equal(await text(enCells.nth(6)), 'Does not meet');
  assert.match(await enCells.nth(5).evaluate((td) => getComputedStyle(td, '::before').content), /✓/);
  assert.match(await enCells.nth(6).evaluate((td) => getComputedStyle(td, '::before').content), /✗/);

  await page.getByLabel('Compare Example Networks').check();
  assert.equal(await page.getByRole('button', { name: 'Compare chosen members' }).isDisabled(), true,
    'one member is not a comparison');
  await page.getByLabel('Compare Borealis Cloud').check();
  await page.getByRole('button', { name: 'Compare chosen members' }).click();
  await page.waitForURL(/compare\/\?v=example-networks,borealis-cloud$/);
  const s = await sideBySide(page);
  assert.deepEqual(s.heads, ['Principle', 'Example Networks', 'Borealis Cloud']);
  assert.deepEqual(s.principles, ['1. Transparent governance', '2. Ethical conduct', '3. Secure development',
    '4. Supply-chain security', '5. Open ecosystem']);
  const en = await s.cell(2, 0);
  assert.match(en, /Self-attested[\s\S]*Meets[\s\S]*ISO\/IEC 27001 certificate[\s\S]*Stale/i);
  assert.match(en, /Independent, Example Assurance LLP[\s\S]*Does not meet[\s\S]*Evidence \(2\)/);
  assert.match(en, /Penetration test report \(shared under NDA\) \(no public link\)/);
  const bc = await s.cell(2, 1);
  assert.match(bc, /Independent, Northern Audit AB[\s\S]*Meets[\s\S]*Expired/i);
  assert.match(await page.locator('#comparison-heading').innerText(),
    /Side by side: Example Networks and Borealis Cloud/);
  assert.match(await page.title(), /^Compare Example Networks and Borealis Cloud — /);
  assert.equal(await page.locator('.comparison__cite a').getAttribute('href'),
    BASE + 'compare/?v=example-networks,borealis-cloud', 'the address to cite');
  assert.deepEqual(await page.locator('.comparison__data a').allInnerTexts(),
    ['example-networks.json', 'borealis-cloud.json'], 'links to the data shown');

  // At most four.
  for (const n of ['ACME Software', 'Nordlys Chips']) {
    await page.getByLabel('Compare ' + n).check();
  }
  assert.equal(await page.getByLabel('Compare Sämple AI').isDisabled(), true, 'a fifth cannot be ticked');

  // Back closes the comparison; forward brings it back.
  await page.goBack();
  await page.locator('[data-comparison]').waitFor({ state: 'hidden' });
  await page.goForward();
  await page.locator(SIDE).waitFor();

  // Sort by a principle: the independent standing counts first.
  await page.getByRole('button', { name: 'Sort by Secure development' }).click();
  assert.deepEqual(await visibleTexts(page, names), ['Borealis Cloud', 'Example Networks', 'ACME Software',
    'Nordlys Chips', 'Sämple AI & Co. "Ω" <Labs>']);
  assert.equal(await page.locator('th[data-sort-key="secure-development"]').getAttribute('aria-sort'), 'descending');
  await page.getByRole('button', { name: 'Sort by Member' }).click();
  assert.equal((await visibleTexts(page, names))[0], 'ACME Software');

  // Filter.
  await page.getByLabel('Name, country or layer').fill('cloud');
  assert.deepEqual(await visibleTexts(page, names), ['Borealis Cloud']);
  await page.getByLabel('Name, country or layer').fill('');
  await page.getByLabel('Only members with an independent assessment').check();
  assert.deepEqual(await visibleTexts(page, names), ['Borealis Cloud', 'Example Networks']);
  assert.match(await page.locator('[data-matrix-count]').innerText(), /Showing 2 of 5 members/);
  await close(page);
});

test('compare: a shared address shows the same comparison, and prints on A4', async () => {
  const page = await open();
  await page.goto(BASE + 'compare/?v=acme-software,sample-ai,nordlys-chips');
  const s = await sideBySide(page);
  assert.deepEqual(s.heads, ['Principle', 'ACME Software', 'Sämple AI & Co. "Ω" <Labs>', 'Nordlys Chips']);
  assert.match(await s.cell(3, 0), /Does not meet[\s\S]*Supplier terms § 7 "Security" & <Quality>, draft/);
  assert.match(await s.cell(0, 1), /No self-attestation[\s\S]*No independent assessment/);
  assert.equal(await page.getByLabel('Compare Nordlys Chips').isChecked(), true, 'the choice is ticked');


  // Print: A4 portrait is 210 mm, about 794 CSS pixels; margins leave less.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-matrix-section]').isVisible(), false, 'the matrix is not printed');
  assert.equal(await page.locator(SIDE).isVisible(), true);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 794, 'the comparison fits the width of an A4 page (' + width + ' px)');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  fs.writeFileSync(path.join(SHOTS, 'compare-a4.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 3, 'three members fit on at most three A4 pages (' + pages + ')');
  await page.emulateMedia({ media: 'screen' });

  // Names that are not in the directory are said so.
  await page.goto(BASE + 'compare/?v=acme-software,no-such-member');
  await page.locator('[data-comparison] .notice').first().waitFor();
  const text = await page.locator('[data-comparison]').innerText();
  assert.match(text, /Not in the directory: no-such-member/);
  assert.match(text, /Tick at least one more member/);
  await close(page);
});

// --- without JavaScript ------------------------------------------------------------

test('without JavaScript: directory, compare, search and profile still work', async () => {
  const page = await open({ javaScriptEnabled: false });
  await page.goto(BASE + 'index.html');
  assert.equal((await visibleTexts(page, 'table[data-members] tbody tr th a')).length, 5);
  assert.equal(await page.locator('[data-filter-mount]').isVisible(), false);
  // The click starts a navigation; read the rows of the page it arrives at.
  await Promise.all([page.waitForURL(/\/filter\/country-fi\/$/),
    page.getByRole('link', { name: /Finland \(FI\)/ }).click()]);
  assert.deepEqual(await visibleTexts(page, 'table[data-members] tbody tr th a'), ['Example Networks'],
    'a facet page filters without JavaScript');

  await page.goto(BASE + 'compare/?v=acme-software,borealis-cloud');
  assert.match(await page.locator('main').innerText(), /Without JavaScript this page shows every member's standing/);
  assert.equal(await page.locator('[data-comparison]').isVisible(), false);
  assert.equal(await page.locator('[data-matrix-controls]').isVisible(), false, 'no controls that need a script');
  const rows = page.locator('table[data-matrix] tbody tr');
  assert.equal(await rows.count(), 5);
  for (let i = 0; i < 5; i++) {
    const cells = rows.nth(i).locator('td[class^="st--"]');
    assert.equal(await cells.count(), 10, 'every principle has a self-attested and an independent cell');
    for (let k = 0; k < 10; k++) {
      assert.match(await text(cells.nth(k)), new RegExp('^' + STATUS + '( Expired)?$'));
    }
  }
  await shot(page, 'compare-nojs-1280');

  // The search box is a plain form to the directory.
  await page.goto(BASE + 'vendors/example-networks/');
  await page.locator('#site-search-q').fill('nordlys');
  await Promise.all([page.waitForURL(/index\.html\?q=nordlys/), page.locator('#site-search-q').press('Enter')]);
  assert.equal(await page.locator('h1').innerText(), 'Members');

  await page.goto(BASE + 'vendors/example-networks/');
  const json = page.getByRole('link', { name: 'This profile as data (JSON)' });
  assert.equal(await json.getAttribute('href'), '../../api/v1/vendors/example-networks.json');
  assert.match(await page.locator('main').innerText(), /Penetration test report \(shared under NDA\)/);
  await page.goto(BASE + 'api/');
  assert.match(await page.locator('main').innerText(), /vendors\[\]\.standings\[\]\.independent\.status/);
  await close(page);
});

// --- screenshots -------------------------------------------------------------------

test('screenshots of the directory, a profile and a comparison at 1280 and 390 px', async () => {
  for (const width of [1280, 390]) {
    const page = await open({ viewport: { width, height: 900 } });
    const pages = [['directory', 'index.html', '[data-filter-mount] form'],
      ['profile', 'vendors/example-networks/', null],
      ['comparison', 'compare/?v=example-networks,borealis-cloud,acme-software', SIDE],
      ['compare', 'compare/', null],
      ['api', 'api/', null]];
    for (const [name, url, ready] of pages) {
      await page.goto(BASE + url);
      if (ready) {
        await page.locator(ready).waitFor();
      }
      await shot(page, name + '-' + width);
      // Wide tables scroll inside their own region, never the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, url + ' does not scroll sideways at ' + width + ' px (' + overflow + ' px)');
    }
    await close(page);
  }
});

// --- accessibility -------------------------------------------------------------------

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + '\n    ' +
      v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\s+/g, ' ')).join('\n    '));
  }, WCAG);
}

async function axe(page, what) {
  assert.deepEqual(await axeViolations(page), [], 'axe-core finds no WCAG 2.2 AA violation on ' + what);
}

// A page with known faults, so that an axe that checks nothing cannot pass.
test('axe-core: the canary page has the violations it was made with', async () => {
  const page = await open({ bypassCSP: true });
  await page.setContent('<!doctype html><html><head><title>canary</title></head><body>' +
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>' +
    '<p style="color:#aaa;background:#fff">faint</p></body></html>');
  const found = (await axeViolations(page)).map((v) => v.split(' ')[0]);
  for (const id of ['html-has-lang', 'image-alt', 'button-name', 'color-contrast']) {
    assert.ok(found.includes(id), 'axe reports ' + id + ' (found: ' + found.join(', ') + ')');
  }
  await page.context().close();
});

async function pagesOfEveryKind() {
  const kinds = ['index.html', 'filter/country-fi/', 'vendors/example-networks/', 'vendors/sample-ai/',
    'vendors/borealis-cloud/', 'principles/governance/', 'about/', 'compare/',
    'compare/?v=example-networks,borealis-cloud,sample-ai', 'api/', '404.html'];
  // Pages other stages may write: checked when the site has them.
  for (const extra of ['changes/', 'vendors/example-networks/history/']) {
    const r = await fetch(BASE + extra);
    if (r.ok) {
      kinds.push(extra);
    }
  }
  return kinds;
}

for (const scheme of ['light', 'dark']) {
  test('axe-core: every kind of page, ' + scheme + ' colours, 0 violations at WCAG 2.2 AA', async () => {
    for (const width of [1280, 390]) {
      // The CSP forbids inline scripts, which is how axe is injected: only
      // this context bypasses it.
      const page = await open({ bypassCSP: true, colorScheme: scheme, viewport: { width, height: 900 } });
      for (const p of await pagesOfEveryKind()) {
        await page.goto(BASE + p);
        if (p.includes('?v=')) {
          await page.locator(SIDE).waitFor();
        }
        await axe(page, p + ' at ' + width + ' px');
      }
      // The search box with its results open, and the matrix with members ticked.
      await page.goto(BASE + 'compare/');
      await page.getByLabel('Compare Example Networks').check();
      await searchFor(page, 'e');
      await page.locator('#site-search-q').press('ArrowDown');
      await axe(page, 'the search results at ' + width + ' px');
      await close(page);
    }
  });
}
