// Which procedures may solve what a customer is writing: the ranking behind the pre-check's
// suggestions. Pure functions, no DOM: the page (suggestions.mjs), the quality test and the
// benchmark run this same module.
//
// The index (validator/kb_build/suggestions.py) holds each procedure's title, summary,
// applies_to, keywords and the words of its text. Both sides are reduced to the same word
// forms here (lower case, common words dropped, a light English stemmer), so the index file
// stays plain text and this is the one place word forms are decided.
//
// Score of a procedure = the sum, over the distinct words the customer wrote, of
//   (how much the field the word was written in counts: the subject most)
//   x (how rare the word is among the procedures: BM25's idf, at least RARITY_FLOOR, so that
//      words every procedure shares, such as "CyTrack" and "calls", still count a little)
//   x (where the procedure has it: title 3, keywords 2.5, summary 2, text 1; added up).
// A procedure whose applies_to holds the chosen issue type scores TYPE_BOOST times more.
// Shown: at most MAX_SHOWN, each scoring at least MIN_SCORE and at least MIN_SHARE of the best,
// so unrelated text suggests nothing rather than noise.

export const MAX_SHOWN = 3;
export const MIN_SCORE = 5;
export const RARITY_FLOOR = 0.5;
export const MIN_SHARE = 0.3;
export const TYPE_BOOST = 1.5;
const PLACES = [
  ["title", 3],
  ["keywords", 2.5],
  ["summary", 2],
  ["text", 1],
];

// Words that say nothing about which procedure fits.
const COMMON = new Set(
  (
    "a about after again all also am an and any are as at be been before being both but by can " +
    "cannot could did do does doing done each for from further had has have having he her here " +
    "him his how i if in into is it its itself just me more most my no nor not now of off on " +
    "once only or other our out over own same she should since so some still such than that the " +
    "their them then there these they this those through to too under until up us very was we " +
    "were what when where which while who whom why will with would you your yours please thanks " +
    "hi hello get got getting one need needs needed"
  ).split(" "),
);

// A light stemmer: plural and -ed/-ing endings off, a doubled final consonant undoubled and a
// final e dropped, so "rebooted", "reboots" and "rebooting" meet, as do "logged" and "log".
export function stem(word) {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed") && !w.endsWith("eed")) w = w.slice(0, -2);
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

// The distinct word forms of a text, in order.
export function terms(text) {
  const found = new Set();
  for (const word of String(text).toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || COMMON.has(word) || /^\p{N}+$/u.test(word)) continue;
    found.add(stem(word));
  }
  return found;
}

// The index as the ranking reads it: for each word form, the procedures that have it and how
// strongly (the sum of the weights of the places it occurs in).
export function buildIndex(data) {
  const procedures = data.procedures.map((entry) => ({
    url: entry.url,
    title: entry.title,
    summary: entry.summary,
    appliesTo: entry.applies_to,
  }));
  const postings = new Map();
  data.procedures.forEach((entry, index) => {
    const strength = new Map();
    for (const [place, weight] of PLACES) {
      const text = place === "keywords" ? entry.keywords.join(" ") : entry[place];
      for (const term of terms(text)) strength.set(term, (strength.get(term) || 0) + weight);
    }
    for (const [term, weight] of strength) {
      if (!postings.has(term)) postings.set(term, []);
      postings.get(term).push(index, weight);
    }
  });
  const count = procedures.length;
  const rarity = new Map();
  for (const [term, list] of postings) {
    const holders = list.length / 2;
    rarity.set(term, Math.max(RARITY_FLOOR, Math.log(1 + (count - holders + 0.5) / (holders + 0.5))));
  }
  return { procedures, postings, rarity };
}

// What the customer wrote as weighted word forms: texts is [[text, weight], ...]; a word
// written in several fields counts with its heaviest. `known` (a Map from text to its word
// forms) spares working out again the fields that did not change since the last keystroke.
export function queryTerms(texts, known = null) {
  const weights = new Map();
  for (const [text, weight] of texts) {
    let found = known && known.get(text);
    if (!found) {
      found = terms(text);
      if (known) known.set(text, found);
    }
    for (const term of found) weights.set(term, Math.max(weights.get(term) || 0, weight));
  }
  return weights;
}

// The procedures to suggest for these weighted word forms and issue type, best first:
// [{procedure, score}].
export function rank(index, weights, issueType) {
  const scores = new Float64Array(index.procedures.length);
  for (const [term, weight] of weights) {
    const list = index.postings.get(term);
    if (!list) continue;
    const value = weight * index.rarity.get(term);
    for (let i = 0; i < list.length; i += 2) scores[list[i]] += value * list[i + 1];
  }
  const found = [];
  scores.forEach((score, position) => {
    if (score <= 0) return;
    const procedure = index.procedures[position];
    const boosted = issueType && procedure.appliesTo.includes(issueType) ? score * TYPE_BOOST : score;
    found.push({ procedure, score: boosted });
  });
  found.sort((a, b) => b.score - a.score || a.procedure.title.localeCompare(b.procedure.title));
  const best = found.length ? found[0].score : 0;
  return found
    .filter((item) => item.score >= MIN_SCORE && item.score >= best * MIN_SHARE)
    .slice(0, MAX_SHOWN);
}
