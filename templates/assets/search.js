/* studyportal search: a small script of our own, no framework, no CDN.
 * Reads the sharded index the build writes (search/index.json, search/t/N.json, search/d/N.json) and
 * fetches only the shards a query's terms need. The tokenizer mirrors Search/Tokenizer.swift exactly:
 * CJK text by overlapping character bigrams (one-character queries by the character), other scripts by
 * lower-cased words matched by prefix, full-width Latin letters and digits folded to half-width. */
(function () {
  'use strict';
  var root = document.getElementById('search');
  if (!root || !window.fetch) return;
  var form = root.querySelector('form');
  var input = form.querySelector('input[name=q]');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var indexURL = root.getAttribute('data-index');
  var base = indexURL.replace(/index\.json$/, '');
  var cache = {};
  var sequence = 0;
  var PAGE = 10;

  function fetchJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.json();
      });
    }
    return cache[url];
  }

  function isCJK(c) {
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0x30000 && c <= 0x323AF) || (c >= 0x3040 && c <= 0x30FF) ||
      (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF);
  }
  function fold(c) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0; else if (c === 0x3000) c = 0x20;
    if (c >= 0x41 && c <= 0x5A) c += 0x20;
    return c;
  }
  var wordRe = /[\p{Alphabetic}\p{N}]/u;
  function isWord(c) {
    if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A);
    return !isCJK(c) && wordRe.test(String.fromCodePoint(c));
  }
  /* Folded text, one entry per UTF-16 unit kept aligned with the original for highlighting. */
  function foldText(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      out += (c >= 0xD800 && c <= 0xDFFF) ? s[i] : String.fromCharCode(fold(c));
    }
    return out;
  }
  /* The query's phrases, for highlighting: each CJK run whole, and each word. */
  function phrases(q) {
    var out = [], cur = '', kind = 0;
    for (var ch of q) {
      var c = fold(ch.codePointAt(0)), k = isCJK(c) ? 1 : isWord(c) ? 2 : 0;
      if (k !== kind && cur) { out.push({ text: cur }); cur = ''; }
      kind = k;
      if (k) cur += String.fromCodePoint(c);
    }
    if (cur) out.push({ text: cur });
    return out;
  }
  function queryTerms(q) {
    var terms = [], run = [], word = '', seen = {};
    function add(t) { var k = (t.cjk ? 'c:' : 'w:') + t.text; if (!seen[k]) { seen[k] = 1; terms.push(t); } }
    function flushRun() {
      if (run.length === 1) add({ cjk: true, text: run[0] });
      for (var i = 1; i < run.length; i++) add({ cjk: true, text: run[i - 1] + run[i] });
      run = [];
    }
    function flushWord() { if (word) { add({ cjk: false, text: word }); word = ''; } }
    for (var ch of q) {
      var c = fold(ch.codePointAt(0));
      var s = String.fromCodePoint(c);
      if (isCJK(c)) { flushWord(); run.push(s); } else if (isWord(c)) { flushRun(); word += s; } else { flushRun(); flushWord(); }
    }
    flushRun(); flushWord();
    return terms;
  }
  function shardKey(t) { return t.cjk ? t.text : Array.from(t.text).slice(0, 2).join(''); }
  function shardOf(key, count) {
    var bytes = new TextEncoder().encode(key), h = 0x811C9DC5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h % count;
  }
  /* {doc: score} for one posting "TITLE|BODY" (Search/SearchIndex.swift): a title match outweighs
     any number of body matches (at most 20 each). */
  function decode(posting, into) {
    var bar = posting.indexOf('|'), doc = 0, num = '', i;
    if (bar > 0) posting.slice(0, bar).split('.').forEach(function (d) { doc += parseInt(d, 36); into[doc] = (into[doc] || 0) + 100; });
    doc = 0;
    for (i = bar + 1; i < posting.length; i++) {
      var c = posting.charCodeAt(i);
      if (c >= 65 && c <= 90) { doc += parseInt(num, 36); into[doc] = (into[doc] || 0) + (c - 64); num = ''; } else num += posting[i];
    }
  }

  function say(text) { status.textContent = text; }
  function words(name, n, q) { return root.getAttribute('data-' + name).replace('%d', n).replace('%@', q); }

  function search(q) {
    var run = ++sequence;
    var terms = queryTerms(q);
    list.textContent = '';
    if (!terms.length) { say(''); return; }
    say(words('loading'));
    fetchJSON(indexURL).then(function (manifest) {
      var shardIds = terms.map(function (t) { return shardOf(shardKey(t), manifest.shards); });
      return Promise.all(shardIds.map(function (n) { return fetchJSON(base + 't/' + n + '.json'); })).then(function (shards) {
        var total = null;
        terms.forEach(function (term, k) {
          var scores = {}, shard = shards[k];
          if (term.cjk) { if (shard[term.text]) decode(shard[term.text], scores); }
          else {
            for (var key in shard) if (key.lastIndexOf(term.text, 0) === 0) {
              var s = {}; decode(shard[key], s);
              for (var d in s) scores[d] = Math.max(scores[d] || 0, s[d]);
            }
          }
          if (total === null) total = scores;
          else { var next = {}; for (var d2 in total) if (scores[d2] !== undefined) next[d2] = total[d2] + scores[d2]; total = next; }
        });
        var hits = Object.keys(total || {}).map(Number).sort(function (a, b) { return (total[b] - total[a]) || (a - b); });
        if (run !== sequence) return;
        if (!hits.length) { say(words('none', 0, q)); return; }
        say(words('count', hits.length, q));
        show(hits, 0, phrases(q), manifest, run);
      });
    }).catch(function () { if (run === sequence) say(words('error')); });
  }

  function show(hits, from, terms, manifest, run) {
    var page = hits.slice(from, from + PAGE);
    var needed = {};
    page.forEach(function (d) { needed[Math.floor(d / manifest.per)] = 1; });
    Promise.all(Object.keys(needed).map(function (n) { return fetchJSON(base + 'd/' + n + '.json'); })).then(function () {
      if (run !== sequence) return;
      var more = list.querySelector('.search-more');
      if (more) more.remove();
      page.forEach(function (d) {
        cache[base + 'd/' + Math.floor(d / manifest.per) + '.json'].then(function (docs) {
          var doc = docs[d % manifest.per];
          var li = document.createElement('li');
          li.className = 'search-hit';
          var a = document.createElement('a');
          a.href = doc.u;
          highlight(a, doc.t, terms);
          var meta = document.createElement('p');
          meta.className = 'meta';
          meta.textContent = doc.k + (doc.d ? ' · ' + doc.d : '');
          var snippet = document.createElement('p');
          snippet.className = 'snippet';
          highlight(snippet, cut(doc.x, terms), terms);
          var h = document.createElement('h2');
          h.className = 'item-title';
          h.appendChild(a);
          li.appendChild(h); li.appendChild(meta); li.appendChild(snippet);
          list.appendChild(li);
        });
      });
      if (from + PAGE < hits.length) {
        Promise.resolve().then(function () {
          var li = document.createElement('li');
          li.className = 'search-more';
          var b = document.createElement('button');
          b.type = 'button';
          b.textContent = '…';
          b.addEventListener('click', function () { show(hits, from + PAGE, terms, manifest, run); });
          li.appendChild(b);
          list.appendChild(li);
        });
      }
    });
  }

  /* The excerpt around the first hit, cut on characters. */
  function cut(text, terms) {
    var folded = foldText(text), first = -1;
    terms.forEach(function (t) { var i = folded.indexOf(t.text); if (i >= 0 && (first < 0 || i < first)) first = i; });
    if (first < 0) return text.length > 120 ? text.slice(0, 120) + '…' : text;
    var start = Math.max(0, first - 30), end = Math.min(text.length, first + 90);
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }
  /* Appends `text` to `el` with every term occurrence in <mark>, built as DOM nodes (never as HTML). */
  function highlight(el, text, terms) {
    var folded = foldText(text), marks = new Array(text.length).fill(false);
    terms.forEach(function (t) {
      for (var i = folded.indexOf(t.text); i >= 0; i = folded.indexOf(t.text, i + 1))
        for (var k = i; k < i + t.text.length; k++) marks[k] = true;
    });
    var i = 0;
    while (i < text.length) {
      var j = i;
      while (j < text.length && marks[j] === marks[i]) j++;
      var piece = document.createTextNode(text.slice(i, j));
      if (marks[i]) { var m = document.createElement('mark'); m.appendChild(piece); el.appendChild(m); } else el.appendChild(piece);
      i = j;
    }
  }

  var timer = null;
  function update() {
    var q = input.value.trim();
    var url = new URL(window.location.href);
    if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
    history.replaceState(null, '', url.toString());
    search(q);
  }
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); update(); });
  /* Keyboard: ↓ from the box to the results, ↑/↓ between them, Esc back to the box. */
  root.addEventListener('keydown', function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll('a'));
    var k = links.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && (document.activeElement === input || k >= 0)) {
      if (links[k + 1]) { links[k + 1].focus(); e.preventDefault(); }
    } else if (e.key === 'ArrowUp' && k >= 0) {
      (k === 0 ? input : links[k - 1]).focus(); e.preventDefault();
    } else if (e.key === 'Escape' && k >= 0) {
      input.focus();
    }
  });
  var q = new URLSearchParams(window.location.search).get('q') || '';
  input.value = q;
  var header = document.getElementById('site-search-q');
  if (header) header.value = q;
  if (q.trim()) search(q.trim());
})();
