// Site search: the index (search/*.json, written by the build) is fetched
// only when the box is focused or typed in, one shard per query prefix;
// results show as you type. Without JavaScript the form stays hidden and the
// page offers the topic and guest lists instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-index]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input"), status = document.getElementById("search-status"),
    list = document.getElementById("search-results"), dir = form.getAttribute("data-index").replace(/[^/]*$/, ""),
    base = form.getAttribute("data-base"), files = {}, seq = 0, timer;
  form.hidden = false;

  function get(name) {
    return files[name] || (files[name] = fetch(dir + name).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).catch(function (e) { delete files[name]; throw e; }));
  }
  function load() { return get("index.json"); }

  // The same tokens as the build (search.go): folded, no stop words.
  function terms(q, m) {
    var stop = m.stopSet || (m.stopSet = new Set(m.stop)), seen = {};
    return q.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) {
      var n = [...t].length;
      if (n < 2 || stop.has(t) || seen[t] || (/^\d+$/.test(t) && (n < 3 || t[0] === "0"))) return false;
      return (seen[t] = true);
    });
  }
  function shard(t, m) {
    if (!m.p) return "all";
    return [...t].slice(0, m.p).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    }).join("");
  }
  function ids(s) {
    var n = 0;
    return s ? s.split(",").map(function (d) { return (n += parseInt(d, 36)); }) : [];
  }

  // Every term must match a token (exactly, or as its beginning); a match in
  // a title, guest, book or topic counts three times one in the notes.
  function search(q) {
    return load().then(function (m) {
      var ts = terms(q, m);
      if (!ts.length) return { ts: ts, hits: [] };
      return Promise.all(ts.map(function (t) {
        var k = shard(t, m);
        return m.s.indexOf(k) < 0 ? {} : get("s-" + k + ".json");
      })).then(function (shards) {
        var total = null;
        ts.forEach(function (t, i) {
          var best = {}, sh = shards[i];
          for (var tok in sh) {
            if (tok.lastIndexOf(t, 0) !== 0) continue;
            var w = tok === t ? 2 : 1, parts = sh[tok].split(";");
            ids(parts[0]).forEach(function (d) { best[d] = Math.max(best[d] || 0, 3 * w); });
            ids(parts[1]).forEach(function (d) { best[d] = Math.max(best[d] || 0, w); });
          }
          var next = {};
          for (var d in best) if (!total || d in total) next[d] = (total ? total[d] : 0) + best[d];
          total = next;
        });
        var hits = Object.keys(total).map(Number);
        hits.sort(function (a, b) { return total[b] - total[a] || a - b; });
        return { ts: ts, hits: hits, m: m };
      });
    });
  }

  function show(q) {
    var my = ++seq;
    if (!q.trim()) { status.textContent = ""; list.textContent = ""; return; }
    search(q).then(function (r) {
      var top = r.hits.slice(0, 20);
      return Promise.all(top.map(function (d) { return get("d-" + Math.floor(d / r.m.c) + ".json"); })).then(function (chunks) {
        if (my !== seq) return;
        list.textContent = "";
        top.forEach(function (d, i) {
          var doc = chunks[i][d % r.m.c], li = document.createElement("li"), h = document.createElement("h2"),
            a = document.createElement("a"), p = document.createElement("p"), s = document.createElement("p");
          a.href = base + doc[0];
          a.textContent = doc[1];
          h.appendChild(a);
          p.className = "meta";
          p.textContent = doc[2] + (doc[4] ? " · with " + doc[4] : "");
          s.textContent = doc[3];
          li.append(h, p, s);
          list.appendChild(li);
        });
        var n = r.hits.length;
        status.textContent = !r.ts.length ? "Type a word of two letters or more; very common words are left out." :
          (n === 1 ? "1 result" : n + " results") + (n > top.length ? ", showing the best " + top.length : "");
      });
    }).catch(function () {
      if (my === seq) status.textContent = "Search is unavailable right now. Browse the topics and guests below.";
    });
  }

  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 120);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); show(input.value); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; show(q); }
})();
