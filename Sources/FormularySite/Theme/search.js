/* Formulary static search: the matching and ranking of `formulary search` (FormularySearch's
   SearchEngine) over the split index in search/. A query fetches search/index.json once, then
   only the shards its words need (two letters each). No dependencies. */
(function (root) {
  "use strict";

  var QUALITY = { exact: 1.0, alias: 0.95, brand: 0.9, prefix: 0.75, typo1: 0.7, typo2: 0.55, sound: 0.85 };
  var CODE_QUALITY = { 3: 1.0, 2: 0.95, 1: 0.9 };
  var CODE_FACTOR = { 3: 1.0, 2: 0.95, 1: 0.9 };
  var FOLDS = [["sulph", "sulf"], ["aluminium", "aluminum"], ["oestr", "estr"], ["caesium", "cesium"]];

  /* Devanagari as Devanagari.fold: nukta dropped, chandrabindu as anusvara, a half nasal
     before a consonant as anusvara (half म only before प फ ब भ म), long ी/ू as ि/ु, ॉ/ॅ as
     ो/े and their vowels alike, Devanagari digits as Latin ones. */
  var NUKTA_BASES = { "\u0958": "\u0915", "\u0959": "\u0916", "\u095a": "\u0917", "\u095b": "\u091c",
    "\u095c": "\u0921", "\u095d": "\u0922", "\u095e": "\u092b", "\u095f": "\u092f",
    "\u0929": "\u0928", "\u0931": "\u0930", "\u0934": "\u0933" };
  var VOWEL_FOLDS = { "\u0901": "\u0902", "\u0940": "\u093f", "\u0942": "\u0941", "\u0949": "\u094b",
    "\u0945": "\u0947", "\u0908": "\u0907", "\u090a": "\u0909", "\u0911": "\u0913", "\u090d": "\u090f" };
  function isDevanagari(c) { return c >= "\u0900" && c <= "\u097f"; }
  function isConsonant(c) { return (c >= "\u0915" && c <= "\u0939") || (c >= "\u0958" && c <= "\u095f"); }
  function foldDevanagari(word) {
    var input = Array.from(word), out = "";
    for (var i = 0; i < input.length; i++) {
      var c = input[i];
      if (c === "\u093c" || c === "\u200c" || c === "\u200d" || c === "\u0903") continue;
      if (NUKTA_BASES[c]) { out += NUKTA_BASES[c]; continue; }
      if (VOWEL_FOLDS[c]) { out += VOWEL_FOLDS[c]; continue; }
      if (c >= "\u0966" && c <= "\u096f") { out += String.fromCharCode(c.charCodeAt(0) - 0x0966 + 48); continue; }
      if ("\u0919\u091e\u0923\u0928\u092e".indexOf(c) >= 0) {
        var next = i + 1;
        while (next < input.length && input[next] === "\u093c") next++;
        if (next + 1 < input.length && input[next] === "\u094d" && isConsonant(input[next + 1]) &&
            (c !== "\u092e" || (input[next + 1] >= "\u092a" && input[next + 1] <= "\u092e"))) {
          out += "\u0902";
          i = next;
          continue;
        }
      }
      out += c;
    }
    return out;
  }

  /* The words of a text, as SearchText.words: lower-case ASCII letters and digits, accents
     folded, `37.5mg` one word, British spellings folded, Devanagari words folded. */
  function words(text) {
    var folded = String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    var result = [];
    var current = "", devanagari = false;
    function flush() {
      if (current) result.push(devanagari ? foldDevanagari(current) : current);
      current = "";
      devanagari = false;
    }
    for (var i = 0; i < folded.length; i++) {
      var c = folded[i];
      if ((c >= "a" && c <= "z") || (c >= "0" && c <= "9")) {
        current += c;
      } else if (c === "." && current && /[0-9]$/.test(current)) {
        current += c;
      } else if ((isDevanagari(c) && c !== "\u0964" && c !== "\u0965" && c !== "\u0970") ||
                 ((c === "\u200c" || c === "\u200d") && devanagari)) {
        current += c;
        devanagari = true;
      } else {
        flush();
      }
    }
    flush();
    return result.map(function (word) {
      if (word.charAt(word.length - 1) === ".") word = word.slice(0, -1);
      if (word.length >= 5) FOLDS.forEach(function (f) { word = word.split(f[0]).join(f[1]); });
      return word;
    }).filter(function (word) { return word.length > 0; });
  }

  /* A Devanagari word's sound key, as Devanagari.soundKey: its consonants as Latin letters,
     `a` for an opening vowel, doubled letters once. (The Latin names' keys come with the index.) */
  var SOUNDS = {};
  [["\u0915\u0916\u0958\u0959", "k"], ["\u0917\u0918\u095a", "g"], ["\u0919\u091e\u0923\u0928\u0929", "n"],
   ["\u091a\u091b", "c"], ["\u091c\u091d\u095b", "j"], ["\u091f\u0920\u0924\u0925", "t"],
   ["\u0921\u0922\u0926\u0927", "d"], ["\u095c\u095d\u0930\u0931", "r"], ["\u092a", "p"], ["\u092b\u095e", "f"],
   ["\u092c\u092d", "b"], ["\u092e", "m"], ["\u0932\u0933\u0934", "l"], ["\u0935", "v"],
   ["\u0936\u0937\u0938", "s"], ["\u0939", "h"]].forEach(function (pair) {
    Array.from(pair[0]).forEach(function (c) { SOUNDS[c] = pair[1]; });
  });
  function soundKey(word) {
    var input = Array.from(word), sounds = "";
    for (var i = 0; i < input.length; i++) {
      var c = input[i];
      if (!isDevanagari(c)) return null;
      if ((c >= "\u0904" && c <= "\u0914") || c === "\u0960" || c === "\u0961") {
        if (i === 0) sounds += "a";
        if (c === "\u090b" || c === "\u0960") sounds += "r";
      } else if (isConsonant(c)) {
        var sound = SOUNDS[c];
        if (sound && !(sound === "h" && i > 0)) sounds += sound;
      } else if (c === "\u0902" || c === "\u0901") {
        var next = input[i + 1] || "";
        sounds += (next >= "\u092a" && next <= "\u092e") || next === "\u0935" ? "m" : "n";
      } else if (c === "\u0943") {
        sounds += "r";
      } else if (c >= "\u0966" && c <= "\u096f") {
        return null;
      }
    }
    var key = "";
    for (var j = 0; j < sounds.length; j++) if (sounds[j] !== key[key.length - 1]) key += sounds[j];
    return key || null;
  }

  /* How a word reads, vowels kept, in the letters sound keys use: Devanagari.reading. */
  function reading(word) {
    var input = Array.from(word), out = "";
    if (input.length && isDevanagari(input[0])) {
      var vowels = { a: "\u0905\u0906\u093e", i: "\u0907\u0908\u093f\u0940", u: "\u0909\u090a\u0941\u0942",
        e: "\u090f\u0910\u090d\u0947\u0948\u0945", o: "\u0913\u0914\u0911\u094b\u094c\u0949" };
      input.forEach(function (c) {
        for (var v in vowels) if (vowels[v].indexOf(c) >= 0) { out += v; return; }
        if (c === "\u090b" || c === "\u0943") out += "ri";
        else if (c === "\u0902" || c === "\u0901") out += "n";
        else if (isConsonant(c)) out += SOUNDS[c] || "y";
      });
      return out;
    }
    var bytes = word.toLowerCase();
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i], n = bytes[i + 1] || "";
      if (b === "p" && n === "h") { out += "f"; i++; }
      else if (b === "c") { out += "eiy".indexOf(n) >= 0 && n ? "s" : "k"; if (n === "h" || n === "k") i++; }
      else if (b === "x") out += "ks";
      else if (b === "q") out += "k";
      else if (b === "w") out += "v";
      else if (b === "z") out += "j";
      else if (b === "y") out += "i";
      else out += b;
    }
    return out;
  }

  function isNumeric(word) { return word.charCodeAt(0) >= 48 && word.charCodeAt(0) <= 57; }

  function strength(word) {
    if (!isNumeric(word)) return null;
    var match = /^([0-9.]+)(.*)$/.exec(word);
    var value = parseFloat(match[1]);
    if (isNaN(value)) return null;
    var unit = match[2];
    if (unit === "gm") unit = "g";
    if (unit === "ug") unit = "mcg";
    return { value: value, unit: unit || null };
  }

  /* The shard of a word: its first two letters, or three when the index split those two; a
     word of another script by its first letter's code point (`u92a` for प). */
  function shardKey(word, split) {
    var first = word.codePointAt(0);
    if (first > 127) return "u" + first.toString(16);
    var three = word.slice(0, 3).replace(/[^a-z0-9]/g, "_");
    var two = three.slice(0, 2);
    if (two.length === 1) return two + "_";
    if (three.length === 3 && split && split.has(two)) return three;
    return two;
  }

  var KINDS = { s: "single", c: "combination", b: "brand" };

  /* A shard's pages by id and words with their postings by id. */
  function readShard(data) {
    var pages = Object.create(null), ids = [];
    data.pages.forEach(function (page) {
      ids.push(page[0]);
      // A capital kind letter marks a page prohibited in India.
      var code = page[2], lower = code.toLowerCase();
      pages[page[0]] = { title: page[1], kind: KINDS[lower] || lower, ingredients: page[3], banned: code !== lower,
        languages: page[4] ? page[4].split(" ") : null };
    });
    var wordsById = Object.create(null);
    Object.keys(data.words).forEach(function (word) {
      var list = data.words[word], postings = Object.create(null);
      for (var i = 0; i + 1 < list.length; i += 2) postings[ids[list[i]]] = list[i + 1];
      wordsById[word] = postings;
    });
    return { pages: pages, words: wordsById };
  }

  function allowedTypos(length) { return length < 5 ? 0 : length <= 7 ? 1 : 2; }

  /* Optimal string alignment distance (a transposition counts one), or limit + 1 when larger. */
  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous2 = [], previous = [], current = [];
    for (var j = 0; j <= b.length; j++) previous[j] = j;
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var rowMinimum = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2] + 1);
        current[j] = value;
        rowMinimum = Math.min(rowMinimum, value);
      }
      if (rowMinimum > limit) return limit + 1;
      previous2 = previous;
      previous = current;
    }
    return previous[b.length];
  }

  /* An engine over the index at `base` (ending in `/`); `load(path)` returns a promise of the
     parsed JSON file, `fetch` by default. */
  function Engine(base, load) {
    this.base = base;
    this.load = load || function (path) {
      return fetch(base + path).then(function (response) { return response.ok ? response.json() : null; })
        .catch(function () { return null; });
    };
    this.shards = Object.create(null);
    this.manifest = null;
  }

  Engine.prototype.start = function () {
    var self = this;
    if (!this.manifest) {
      this.manifest = this.load("search/index.json").then(function (manifest) {
        self.nameSplit = new Set(manifest.nameSplit);
        self.bodySplit = new Set(manifest.bodySplit);
        self.joiners = new Set(manifest.joiners);
        self.saltWords = new Set(manifest.saltWords);
        self.units = new Set(manifest.units);
        self.languages = new Set(manifest.languages || []);
        self.fillers = new Set(manifest.fillers || []);
        self.optional = new Set(manifest.optional || []);
        self.unitWords = Object.create(null);
        (manifest.unitWords || []).forEach(function (pair) {
          var at = pair.lastIndexOf("=");
          self.unitWords[pair.slice(0, at)] = pair.slice(at + 1);
        });
        return manifest;
      });
    }
    return this.manifest;
  };

  Engine.prototype.shard = function (kind, key) {
    if (!/^([a-z0-9_]{2,3}|u[0-9a-f]{2,5})$/.test(key)) return Promise.resolve(null);
    var path = "search/" + kind + "/" + key + ".json";
    if (!this.shards[path]) {
      this.shards[path] = this.load(path).then(function (data) {
        if (!data) return null;
        return kind === "k" ? data.keys || null : readShard(data);
      });
    }
    return this.shards[path];
  };

  /* The Latin name words a Devanagari word sounds like (`पैरासिटामोल`: paracetamol), each with
     its match quality: the same sound key nearly the name; for the word being typed also the
     names whose key starts with its key, the closer they read the better. */
  Engine.prototype.soundWords = function (term, typing) {
    var key = soundKey(term);
    if (!key || key.length < 3) return Promise.resolve([]);
    return this.shard("k", key.slice(0, 2)).then(function (keys) {
      if (!keys) return [];
      var found = [], seen = new Set(), read = reading(term);
      Object.keys(keys).sort().forEach(function (other) {
        var same = other === key;
        if (!same && !(typing && other.indexOf(key) === 0)) return;
        keys[other].forEach(function (word) {
          if (seen.has(word) || found.length >= 64) return;
          seen.add(word);
          var quality = QUALITY.sound;
          if (!same) {
            var start = reading(word).slice(0, read.length);
            quality = QUALITY.prefix - 0.02 * Math.min(editDistance(read, start, read.length), 5);
          }
          found.push({ word: word, quality: quality });
        });
      });
      return found;
    });
  };

  Engine.prototype.shardsFor = function (kind, keys) {
    var self = this;
    var unique = Array.from(new Set(keys));
    return Promise.all(unique.map(function (key) { return self.shard(kind, key); })).then(function (shards) {
      return shards.filter(Boolean);
    });
  };

  /* The best `limit` pages for `query`: [{id, title, kind, banned, score}], best first.
     `options.regulatory` keeps only pages prohibited in India ("banned") or only the others ("not-banned"). */
  Engine.prototype.search = function (query, limit, options) {
    var self = this;
    limit = limit || 10;
    var regulatory = options && options.regulatory;
    var language = (options && options.language) || null;
    return this.start().then(function () {
      return self.rank(dottedUnits(String(query).slice(0, 300)), limit, regulatory, language);
    });
  };

  /* `मि.ग्रा.` and its like, which dots would cut, as Latin units (QueryWords.replacingDottedUnits). */
  function dottedUnits(query) {
    if (!/[\u0900-\u097f]/.test(query)) return query;
    [["\u092e\u093f.\u0917\u094d\u0930\u093e.", " mg "], ["\u092e\u093f.\u0917\u094d\u0930\u093e", " mg "],
     ["\u092e\u093f.\u0932\u0940.", " ml "], ["\u092e\u093f.\u0932\u0940", " ml "]].forEach(function (pair) {
      query = query.split(pair[0]).join(pair[1]);
    });
    return query;
  }

  Engine.prototype.rank = function (query, limit, regulatory, language) {
    var self = this;
    var every = words(query).filter(function (word) { return !self.joiners.has(word); });
    // `paracetamol ki goli`: the Hindi around a name is not part of it.
    var named = every.filter(function (word) { return !self.fillers.has(word); });
    var all = (named.length ? named : every).map(function (word) { return self.unitWords[word] || word; });
    var numbers = [], terms = [];
    all.forEach(function (word) {
      var s = strength(word);
      if (s) numbers.push(s);
      else if (self.units.has(word) && numbers.length && numbers[numbers.length - 1].unit === null) {
        numbers[numbers.length - 1].unit = word === "gm" ? "g" : word;
      } else terms.push(word);
    });
    terms = terms.slice(0, 12);
    if (!terms.length && !numbers.length) return Promise.resolve({ total: 0, results: [] });
    if (!terms.length) return Promise.resolve({ total: 0, results: [] });

    var split = this.nameSplit;
    var keys = [];
    terms.forEach(function (term, position) {
      keys.push(shardKey(term, split));
      // A two-letter word being typed is a prefix of words in all its three-letter shards.
      if (term.length === 2 && split.has(term) && position === terms.length - 1) {
        "abcdefghijklmnopqrstuvwxyz0123456789_".split("").forEach(function (c) { keys.push(term + c); });
      }
    });
    // Devanagari words: the names they sound like, and those names' shards.
    var sounds = terms.map(function () { return []; });
    var soundsLoaded = Promise.all(terms.map(function (term, position) {
      if (term.charCodeAt(0) < 0x0900) return Promise.resolve();
      return self.soundWords(term, position === terms.length - 1).then(function (found) {
        sounds[position] = found;
        found.forEach(function (entry) { keys.push(shardKey(entry.word, split)); });
      });
    }));
    return soundsLoaded.then(function () { return self.shardsFor("n", keys); }).then(function () {
      // Typos reach words of neighbouring shards: the first two letters swapped, or the second
      // dropped; fetched only when the word's own shard does not name it.
      var extra = [];
      terms.forEach(function (term) {
        if (allowedTypos(term.length) === 0) return;
        var own = self.shards["search/n/" + shardKey(term, split) + ".json"];
        extra.push(own.then(function (shard) {
          var postings = shard && shard.words[term];
          var named = postings && Object.keys(postings).some(function (id) { return postings[id] >= 2; });
          if (named) return [];
          return [term[1] + term[0] + term.slice(2), term[0] + term.slice(2)].map(function (variant) {
            return shardKey(variant, split);
          });
        }));
      });
      return Promise.all(extra).then(function (lists) { return self.shardsFor("n", [].concat.apply([], lists)); });
    }).then(function () {
      return self.score(terms, numbers, limit, regulatory, sounds, language);
    });
  };

  Engine.prototype.loadedNameShards = function () {
    var self = this;
    var result = [];
    Object.keys(this.shards).forEach(function (path) {
      if (path.indexOf("search/n/") === 0) result.push(self.shards[path]);
    });
    return Promise.all(result).then(function (shards) { return shards.filter(Boolean); });
  };

  Engine.prototype.score = function (terms, numbers, limit, regulatory, sounds, language) {
    var self = this;
    return this.loadedNameShards().then(function (shards) {
      // Maps without a prototype: a query word such as `constructor` must find nothing.
      var pages = Object.create(null);
      var vocabulary = Object.create(null);
      shards.forEach(function (shard) {
        Object.keys(shard.pages).forEach(function (id) { pages[id] = shard.pages[id]; });
        Object.keys(shard.words).forEach(function (word) { vocabulary[word] = shard.words[word]; });
      });
      var sortedWords = Object.keys(vocabulary).sort();

      var perTerm = [], matched = [];
      // The words a query word that is no word of the index was taken to be a misspelling of:
      // they cover a page's name as the word itself would (`paracetmol 650` is about Paracetamol).
      var typoWords = new Set();
      terms.forEach(function (term, position) {
        var best = Object.create(null);
        function add(postings, quality) {
          if (!postings) return;
          Object.keys(postings).forEach(function (id) {
            var q = quality * CODE_FACTOR[postings[id]];
            if ((best[id] || 0) < q) best[id] = q;
          });
        }
        var exact = vocabulary[term];
        if (exact) {
          Object.keys(exact).forEach(function (id) {
            var q = CODE_QUALITY[exact[id]];
            if ((best[id] || 0) < q) best[id] = q;
          });
        }
        if (term.length >= 3 || (position === terms.length - 1 && term.length > 1)) {
          var found = 0;
          for (var i = 0; i < sortedWords.length && found < 64; i++) {
            var word = sortedWords[i];
            if (word !== term && word.indexOf(term) === 0) {
              found++;
              add(vocabulary[word], QUALITY.prefix + 0.2 * term.length / word.length);
            }
          }
        }
        var namedExactly = exact && Object.keys(exact).some(function (id) { return exact[id] >= 2; });
        var allowed = allowedTypos(term.length);
        if (term.length > 1 && !namedExactly && allowed > 0) {
          sortedWords.forEach(function (word) {
            if (word === term) return;
            var distance = editDistance(term, word, allowed);
            if (distance <= allowed) {
              add(vocabulary[word], distance === 1 ? QUALITY.typo1 : QUALITY.typo2);
              if (!exact) typoWords.add(word);
            }
          });
        }
        (sounds[position] || []).forEach(function (entry) {
          if (entry.word === term) return;
          add(vocabulary[entry.word], entry.quality);
          typoWords.add(entry.word);
        });
        perTerm.push(best);
      });

      var required = [];
      terms.forEach(function (term, index) {
        // Salt words, single letters, what a medicine is for (`bukhar`) and a Devanagari word
        // that sounds like salts only count when they match.
        var found = sounds[index] || [];
        var saltOnly = found.length > 0 && found.every(function (entry) { return self.saltWords.has(entry.word); });
        if ((!self.saltWords.has(term) && !self.optional.has(term) && !saltOnly && term.length > 1) || terms.length === 1) {
          required.push(index);
        }
      });
      var counts = Object.create(null);
      required.forEach(function (position) {
        Object.keys(perTerm[position]).forEach(function (id) { counts[id] = (counts[id] || 0) + 1; });
      });
      var most = 0;
      Object.keys(counts).forEach(function (id) { most = Math.max(most, counts[id]); });
      var asked = new Set(terms);
      var scores = Object.create(null);
      Object.keys(counts).forEach(function (id) {
        if (counts[id] === most && most > 0 && pages[id]) {
          scores[id] = self.pageScore(pages[id], id, terms, asked, perTerm, numbers, most, required.length, typoWords);
        }
      });
      var titles = Object.create(null);
      Object.keys(scores).forEach(function (id) {
        titles[id] = [pages[id].title, pages[id].kind, pages[id].banned, pages[id].languages];
      });
      var strong = Object.keys(scores).some(function (id) {
        return required.every(function (position) { return (perTerm[position][id] || 0) >= QUALITY.brand; });
      });
      var body = strong ? Promise.resolve() : self.bodyScores(terms, scores, titles);
      return body.then(function () { return self.finish(scores, titles, limit, regulatory, language); });
    });
  };

  Engine.prototype.pageScore = function (page, id, terms, asked, perTerm, numbers, coverage, required, typoWords) {
    var self = this;
    // The name words and strengths of a page are its title's, as SearchDocument reads them.
    var titleWords = words(page.title);
    var nameWords = titleWords.filter(function (word) {
      return !isNumeric(word) && !self.joiners.has(word) && !self.saltWords.has(word);
    });
    var strengths = titleWords.map(strength).filter(Boolean).map(function (s) { return [s.value, s.unit]; });
    var ingredientCount = page.ingredients;
    var total = 0;
    perTerm.forEach(function (matches) { total += matches[id] || 0; });
    var score = 10 * total / Math.max(terms.length, 1);
    var anyMatch = perTerm.some(function (matches) { return (matches[id] || 0) > 0; });
    var covered = nameWords.filter(function (word) {
      if (asked.has(word) || typoWords.has(word)) return true;
      return anyMatch && Array.from(asked).some(function (a) { return word.indexOf(a) === 0; });
    }).length;
    var ratio = nameWords.length ? covered / nameWords.length : 0;
    score += 4 * ratio;
    if (covered === nameWords.length && nameWords.length) score += 2;
    var extra = Math.max(0, ingredientCount - Math.max(1, required));
    score -= 1.5 * extra;
    if (coverage < required) score -= 4 * (required - coverage);
    if (numbers.length) {
      var present = numbers.filter(function (number) {
        return strengths.some(function (s) {
          return Math.abs(s[0] - number.value) < 0.0001 && (number.unit === null || s[1] === null || s[1] === number.unit);
        });
      }).length;
      if (present === numbers.length) score += 3;
      else if (!strengths.length) score -= 0.5;
      else score -= 3 + (numbers.length - present);
    } else if (strengths.length) {
      score -= 0.3;
    }
    return score;
  };

  /* What a page says rather than what it is called: pages whose most used words hold every
     query word. */
  Engine.prototype.bodyScores = function (terms, scores, titles) {
    var split = this.bodySplit;
    var wanted = terms.filter(function (term) { return term.length >= 3; });
    if (!wanted.length) return Promise.resolve();
    return this.shardsFor("b", wanted.map(function (term) { return shardKey(term, split); })).then(function (shards) {
      // Words too common to be indexed (in hundreds of pages) say nothing; the others must all
      // be on the page.
      var postings = wanted.map(function (term) {
        for (var i = 0; i < shards.length; i++) if (shards[i].words[term]) return { list: shards[i].words[term], shard: shards[i] };
        return null;
      }).filter(Boolean);
      if (!postings.length) return;
      Object.keys(postings[0].list).forEach(function (id) {
        var hits = 0;
        var everywhere = postings.every(function (p) {
          if (!p.list[id]) return false;
          hits += Math.min(20, p.list[id]);
          return true;
        });
        if (!everywhere) return;
        var score = 8 + Math.min(3, hits * 0.3);
        if (scores[id] !== undefined) {
          // Found by name, and its text has the words too: a little ahead of a page that has
          // only the name (as SearchEngine does).
          scores[id] = Math.max(scores[id] + 0.25, score);
        } else {
          scores[id] = score;
          var page = postings[0].shard.pages[id];
          titles[id] = titles[id] || [page.title, page.kind, page.banned, page.languages];
        }
      });
    });
  };

  Engine.prototype.finish = function (scores, titles, limit, regulatory, language) {
    var self = this;
    var ranked = Object.keys(scores).map(function (id) {
      return { id: id, title: titles[id][0], kind: titles[id][1], banned: !!titles[id][2], score: Math.round(scores[id] * 100) / 100,
        languages: titles[id][3] || null };
    });
    // With translations, a medicine is found once: its best score, shown in the reader's
    // language when it was found in it, else in the site's language (`hi/composition/x` is the
    // Hindi page of `composition/x`).
    if (this.languages && this.languages.size) {
      var medicines = Object.create(null);
      ranked.forEach(function (result) {
        var parts = result.id.split("/");
        var lang = parts.length > 2 && self.languages.has(parts[0]) ? parts[0] : null;
        var medicine = lang ? parts.slice(1).join("/") : result.id;
        var group = medicines[medicine] || (medicines[medicine] = { best: result, byLanguage: Object.create(null) });
        group.byLanguage[lang || ""] = result;
        if (result.score > group.best.score) group.best = result;
      });
      var own = language && this.languages.has(language) ? language : "";
      ranked = Object.keys(medicines).map(function (medicine) {
        var group = medicines[medicine];
        var shown = group.byLanguage[own] || group.byLanguage[""] || group.best;
        var result = { id: shown.id, title: shown.title, kind: shown.kind, banned: shown.banned, score: group.best.score };
        // Ties go to the simpler medicine by its shortest title in any language found (a
        // translation's title carries two names).
        Object.keys(group.byLanguage).forEach(function (lang) {
          var title = group.byLanguage[lang].title;
          if (!result.sortTitle || title.length < result.sortTitle.length) result.sortTitle = title;
        });
        // Found only in another language, but there is a page in the reader's: link to that one
        // (its title is not in the shards that were read, so the one found is shown).
        if (!group.byLanguage[own] && shown.languages && language && shown.languages.indexOf(language) >= 0) {
          result.id = own ? own + "/" + medicine : medicine;
        }
        return result;
      });
    }
    ranked.forEach(function (result) { delete result.languages; });
    if (regulatory === "banned" || regulatory === "not-banned") {
      ranked = ranked.filter(function (result) { return result.banned === (regulatory === "banned"); });
    }
    var encoder = typeof TextEncoder !== "undefined" ? new TextEncoder() : null;
    function length(text) { return encoder ? encoder.encode(text).length : text.length; }
    ranked.sort(function (a, b) {
      if (b.score !== a.score) return b.score - a.score;
      var la = length(a.sortTitle || a.title), lb = length(b.sortTitle || b.title);
      if (la !== lb) return la - lb;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    var shown = ranked.slice(0, limit);
    shown.forEach(function (result) { delete result.sortTitle; });
    return { total: ranked.length, results: shown };
  };

  var api = { Engine: Engine, words: words, editDistance: editDistance, shardKey: shardKey, soundKey: soundKey, reading: reading };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.FormularySearch = api;

  /* The search page: results as you type, the query kept in the address. */
  if (typeof document === "undefined") return;
  function start() {
    var form = document.querySelector("form[data-index]");
    if (!form) return;
    // The page's words (data-strings, in its language), English when a site's own template has none.
    var strings = {
      searchNothing: "No medicines found for \u201c{query}\u201d.", searchOne: "1 medicine found.",
      searchMany: "{count} medicines found.", searchManyShown: "{count} medicines found; the best 20 are shown.",
      searchUnavailable: "Search is not available right now.", kindMedicine: "Medicine",
      kindCombination: "Combination", kindBrand: "Brand", prohibitedBadge: "Prohibited in India"
    };
    try {
      var given = JSON.parse(form.getAttribute("data-strings") || "{}");
      Object.keys(given).forEach(function (key) { strings[key] = given[key]; });
    } catch (error) { /* the English words stay */ }
    function say(key, values) {
      return strings[key].replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
    }
    var KIND_LABELS = { single: strings.kindMedicine, combination: strings.kindCombination, brand: strings.kindBrand };
    var language = form.getAttribute("data-language") || null;
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var siteRoot = form.getAttribute("data-root") || "/";
    var engine = new Engine(siteRoot);
    var latest = 0;
    /* Served with a store, a search that found nothing is counted (its words, nothing about the
       reader) once the reader has stopped typing, so that editors can add the missing page. */
    var missURL = form.getAttribute("data-misses");
    var missTimer = null;
    function show(query) {
      var ticket = ++latest;
      clearTimeout(missTimer);
      if (!query.trim()) {
        list.textContent = "";
        status.textContent = "";
        return;
      }
      var regulatory = new URL(window.location.href).searchParams.get("regulatory");
      engine.search(query, 20, { regulatory: regulatory, language: language }).then(function (response) {
        if (ticket !== latest) return;
        list.textContent = "";
        response.results.forEach(function (result) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = siteRoot + result.id.split("/").map(encodeURIComponent).join("/") + "/";
          link.textContent = result.title;
          var kind = document.createElement("p");
          kind.textContent = KIND_LABELS[result.kind] || result.kind;
          item.appendChild(link);
          item.appendChild(kind);
          if (result.banned) {
            var badge = document.createElement("span");
            badge.className = "badge-banned";
            badge.textContent = strings.prohibitedBadge;
            kind.appendChild(document.createTextNode(" "));
            kind.appendChild(badge);
          }
          list.appendChild(item);
        });
        var count = response.total;
        if (count === 0 && missURL && navigator.sendBeacon) {
          missTimer = setTimeout(function () {
            if (ticket === latest) navigator.sendBeacon(missURL, new URLSearchParams({ q: query }));
          }, 1500);
        }
        status.textContent = count === 0 ? say("searchNothing", { query: query }) :
          count === 1 ? say("searchOne", {}) : say(count > 20 ? "searchManyShown" : "searchMany", { count: count });
      }).catch(function () {
        if (ticket === latest) status.textContent = say("searchUnavailable", {});
      });
    }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = new URL(window.location.href);
        url.searchParams.set("q", input.value);
        window.history.replaceState(null, "", url);
        show(input.value);
      }, 120);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(input.value);
    });
    var initial = new URL(window.location.href).searchParams.get("q") || "";
    if (initial) {
      input.value = initial;
      show(initial);
    }
    input.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof self !== "undefined" ? self : this);
