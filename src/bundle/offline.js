// The offline page's search (ES5 only: old phones and school computers run it). Its word index
// comes from recherche.js beside index.html, which calls `cartableIndex` (see
// src/bundle/offline_index.rs for the encoding); without that file the search stays hidden and the
// full list shows. A typed word matches a row having a word it starts (its plural dropped), a word
// one typo away (5+ letters) or a word of the same sound key, or, when nothing matched so, of a
// key one edit away if the key has 6+ sounds (`FUZZY_KEY_MIN` of index/sounds.rs). Rows with every
// word show; when none has them all, those with some, saying so.
var from = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ", to = "aaaaaaceeeeiiiinooooouuuuyyoa";
function fold(s) {
  s = s.toLowerCase(); var out = "";
  for (var i = 0; i < s.length; i++) { var k = from.indexOf(s.charAt(i)); out += k < 0 ? s.charAt(i) : to.charAt(k); }
  return out;
}
// The sound key of a word, as src/model/sounds.rs makes it (a test compares the two).
function isVowel(c) { return c !== "" && "aeiou".indexOf(c) >= 0; }
function soundKey(word) {
  var w = "", i, c, lower = word.toLowerCase();
  for (i = 0; i < lower.length; i++) { c = lower.charAt(i); w += c === "ç" ? "s" : (c === "œ" || c === "æ") ? "e" : c; }
  w = fold(w).replace(/y/g, "i");
  if (w.length < 3 || !/^[a-z]+$/.test(w)) return null;
  if (w.length > 3 && /[sx]$/.test(w)) w = w.slice(0, -1);
  if (w.length >= 5 && /e[rz]$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && /[td]$/.test(w)) w = w.slice(0, -1);
  var n = w.length, out = "";
  function at(k) { return k < n ? w.charAt(k) : ""; }
  function starts(k, p) { return w.substr(k, p.length) === p; }
  function nasal(k) { var m = at(k), d = at(k + 1); return (m === "n" || m === "m") && !isVowel(d) && d !== "n" && d !== "m"; }
  i = 0;
  while (i < n) {
    c = w.charAt(i);
    var a = at(i + 1), b = at(i + 2), ae = c === "a" || c === "e", s = c, u = 1;
    if (c === "e" && starts(i, "eau")) { s = "o"; u = 3; }
    else if (c === "a" && a === "u") { s = "o"; u = 2; }
    else if (c === "o" && starts(i, "oin") && nasal(i + 2)) { s = "w3"; u = 3; }
    else if (c === "o" && a === "i") { s = "wa"; u = 2; }
    else if (c === "o" && a === "u") { s = "w"; u = 2; }
    else if (ae && a === "i" && b === "l" && (at(i + 3) === "l" || i + 3 === n)) { s = c; }
    else if (ae && a === "i" && isVowel(b)) { s = c; }
    else if (ae && a === "i" && nasal(i + 2)) { s = "3"; u = 3; }
    else if (ae && a === "i") { s = "e"; u = 2; }
    else if (c === "e" && a === "u") { s = "e"; u = 2; }
    else if (ae && nasal(i + 1)) { s = "1"; u = 2; }
    else if (c === "o" && nasal(i + 1)) { s = "2"; u = 2; }
    else if ((c === "i" || c === "u") && nasal(i + 1)) { s = "3"; u = 2; }
    else if (c === "i" && starts(i, "ill")) { s = "i"; u = 3; }
    else if (c === "i" && a === "l" && i + 2 === n && i > 0 && isVowel(w.charAt(i - 1))) { s = "i"; u = 2; }
    else if (c === "t" && a === "i" && (b === "o" || b === "a" || starts(i + 2, "eu") || starts(i + 2, "el")) && (i === 0 || w.charAt(i - 1) !== "s")) { s = "s"; }
    else if (c === "p" && a === "h") { s = "f"; u = 2; }
    else if ((c === "t" || c === "r" || c === "g") && a === "h") { u = 2; }
    else if (c === "s" && starts(i, "sch")) { s = "x"; u = 3; }
    else if (c === "c" && (starts(i, "chr") || starts(i, "chl"))) { s = "k"; u = 2; }
    else if ((c === "c" || c === "s") && a === "h") { s = "x"; u = 2; }
    else if (c === "q" && a === "u") { s = "k"; u = 2; }
    else if (c === "c" && a === "k") { s = "k"; u = 2; }
    else if (c === "c" && a === "c" && (b === "e" || b === "i")) { s = "ks"; u = 2; }
    else if (c === "s" && a === "c" && (b === "e" || b === "i")) { s = "s"; u = 2; }
    else if (c === "c" && (a === "e" || a === "i")) { s = "s"; }
    else if (c === "c" || c === "q" || c === "k") { s = "k"; }
    else if (c === "g" && a === "u" && (b === "e" || b === "i")) { s = "g"; u = 2; }
    else if (c === "g" && a === "e" && (b === "a" || b === "o" || b === "u")) { s = "j"; u = 2; }
    else if (c === "g" && (a === "e" || a === "i")) { s = "j"; }
    else if (c === "g" && a === "n") { s = "ni"; u = 2; }
    else if (c === "x" && a === "c" && (b === "e" || b === "i")) { s = "ks"; u = 2; }
    else if (c === "x") { s = "ks"; }
    else if (c === "z") { s = "s"; }
    else if (c === "w") { s = "v"; }
    else if (c === "h") { s = ""; }
    out += s; i += u;
  }
  var key = "";
  for (i = 0; i < out.length; i++) { if (out.charAt(i) !== key.charAt(key.length - 1)) key += out.charAt(i); }
  if (key.length > 1 && key.charAt(key.length - 1) === "e") key = key.slice(0, -1);
  return key;
}
var cartableIndex;
(function () {
  var box = document.getElementById("q"), count = document.getElementById("count");
  var list = document.getElementById("docs"), rows = list.getElementsByTagName("li"), hits = [];
  // The index: distinct words (sorted), their sound keys, and where each word's rows start in
  // `lists`; a word's rows are decoded only when a search matches it.
  var words = [], keys = [], starts = [], lists = "", total = 0, decoded = {}, coded = null;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/", PARAMS = "!#%&'()*,-.:;=?@[]^_`{|}~";
  var digit = [], param = [];
  for (var d = 0; d < 128; d++) { digit.push(-1); param.push(-1); }
  for (d = 0; d < DIGITS.length; d++) digit[DIGITS.charCodeAt(d)] = d;
  for (d = 0; d < PARAMS.length; d++) param[PARAMS.charCodeAt(d)] = d;
  // Front-coded: an upper-case letter says how many letters the entry shares with the previous
  // one, the lower-case letters and digits after it are the rest; for keys, "." repeats the
  // previous key and "-" is a word without one.
  function isTail(code) { return (code >= 97 && code <= 122) || (code >= 48 && code <= 57); }
  function unfold(text, out, repeats) {
    var previous = "", at = 0, n = text.length;
    while (at < n) {
      var c = text.charAt(at), end = at + 1;
      if (repeats && (c === "." || c === "-")) { if (c === "-") previous = null; out.push(previous); at++; continue; }
      while (end < n && isTail(text.charCodeAt(end))) end++;
      previous = (previous || "").substr(0, text.charCodeAt(at) - 65) + text.substring(at + 1, end);
      out.push(previous); at = end;
    }
  }
  // The rows having word `i`: Rice-coded gaps between row numbers, 6 bits a character, with the
  // parameter in the character that opens the list; a first bit 1 means the rows NOT having it.
  function rowsOf(i) {
    if (decoded.hasOwnProperty(i)) return decoded[i];
    var at = starts[i] + 1, end = starts[i + 1], b = param[lists.charCodeAt(starts[i])], cur = 0, left = 0, out = [], row = -1;
    function bit() {
      if (!left) { if (at >= end) return -1; cur = digit[lists.charCodeAt(at++)]; left = 6; }
      left--; return (cur >> left) & 1;
    }
    var without = bit() === 1;
    for (;;) {
      var q = 0, x, v = 0;
      while ((x = bit()) === 1) q++;
      if (x < 0) break;
      for (var k = 0; k < b; k++) v = v * 2 + bit();
      row += q * Math.pow(2, b) + v + 1;
      out.push(row);
    }
    if (without) {
      var all = [], next = 0;
      for (var r = 0; r < total; r++) { if (next < out.length && out[next] === r) next++; else all.push(r); }
      out = all;
    }
    decoded[i] = out;
    return out;
  }
  // At most one letter added, dropped, changed, or two swapped.
  function near(a, b) {
    var i = 0;
    while (i < a.length && i < b.length && a.charAt(i) === b.charAt(i)) i++;
    if (a.length === b.length) return a.substr(i + 1) === b.substr(i + 1) || (a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.substr(i + 2) === b.substr(i + 2));
    if (a.length === b.length + 1) return a.substr(i + 1) === b.substr(i);
    if (b.length === a.length + 1) return b.substr(i + 1) === a.substr(i);
    return false;
  }
  // The rows having a word that starts with `q` (plural dropped), is one typo from it, or sounds like
  // it. Only when none has: for keys of 6+ sounds, a key one slip away ("sovgarde"), as the web
  // search looks further only for words it does not know.
  // Unpacks the words and keys, and finds where each word's rows start, on the first search: a
  // page opened without one never pays for it.
  function unpack() {
    if (!coded) return;
    unfold(coded[0], words, false);
    unfold(coded[1], keys, true);
    for (var c = 0; c < lists.length; c++) if (param[lists.charCodeAt(c)] >= 0) starts.push(c);
    starts.push(lists.length);
    coded = null;
  }
  function rowsFor(q) {
    unpack();
    var stem = q.length > 3 ? q.replace(/[sx]$/, "") : q, key = q.length >= 4 ? soundKey(q) : null, found = {}, any = false;
    if (key && key.length < 3) key = null;
    function take(i) { any = true; var list = rowsOf(i); for (var k = 0; k < list.length; k++) found[list[k]] = true; }
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (w.indexOf(stem) === 0 || (q.length >= 5 && Math.abs(w.length - q.length) <= 1 && near(q, w)) || (key && keys[i] === key)) take(i);
    }
    if (!any && key && key.length >= 6) {
      for (i = 0; i < words.length; i++) {
        var h = keys[i];
        if (h !== null && Math.abs(h.length - key.length) <= 1 && near(key, h)) take(i);
      }
    }
    return found;
  }
  function run() {
    var typed = fold(box.value).split(/[^a-z0-9]+/), sets = [], all = [], some = [];
    for (var t = 0; t < typed.length; t++) if (typed[t]) sets.push(rowsFor(typed[t]));
    for (var r = 0; r < rows.length; r++) {
      var n = 0;
      for (var s = 0; s < sets.length; s++) if (sets[s][r]) n++;
      if (n === sets.length) all.push(r); else if (n > 0) some.push(r);
    }
    var shown = all.length ? all : some, message;
    // Only the rows shown get a class, and the list one that hides the others: an inline style on
    // each of 2,000 rows took Chromium over half a second.
    for (r = 0; r < hits.length; r++) rows[hits[r]].className = "";
    hits = sets.length ? shown : [];
    for (r = 0; r < hits.length; r++) rows[hits[r]].className = "hit";
    list.className = sets.length ? "filtered" : "";
    if (shown.length === 0) message = "Aucun document ne correspond à « " + box.value + " ». Essayez un autre mot.";
    else if (!all.length) message = "Aucun document ne contient tous vos mots ; voici ceux qui en contiennent une partie (" + shown.length + ").";
    else message = shown.length + " document(s)";
    count.textContent = message;
  }
  // recherche.js calls this with the index: the number of rows, the words, their keys, their rows.
  cartableIndex = function (n, vocabulary, sounds, postings) {
    total = n; lists = postings; coded = [vocabulary, sounds];
    document.getElementById("search").style.display = "block";
    // index.html#q=fractions opens with that search done (a link written on a sheet or a poster).
    var asked = typeof location !== "undefined" && /[#&]q=([^&]*)/.exec(location.hash);
    if (asked) box.value = decodeURIComponent(asked[1]);
    box.oninput = run; run();
  };
})();
