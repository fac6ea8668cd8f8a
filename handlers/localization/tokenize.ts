// Code-aware terms for BM25, the same for issue text and file contents: identifiers are split at
// camelCase, PascalCase, snake_case, kebab-case and letter-digit boundaries and also kept whole
// ("refreshToken" -> "refreshtoken", "refresh", "token"); terms are lower-cased, German umlauts
// folded, English and German stop words dropped, and plurals and common endings stemmed so
// "tokens"/"token" and "Einstellungen"/"Einstellung" meet.

// Arrays joined into one string: Pulumi serializes module-level values by value and a Set arrives
// as `{}`; the lookup object is built per call.
const STOP_WORDS_TEXT =
  // English
  "a an the and or but if then else when while of to in on at by for with from into onto over " +
  "under about as is are was were be been being am do does did done doing have has had having " +
  "it its this that these those there their they them we our you your he she his her i me my " +
  "not no nor so too very can could should would will shall may might must just also only " +
  "what which who whom whose why how where all any both each few more most other some such " +
  "than same own out up down off again further once here now get got gets use used using " +
  "like want need make made see seems seem think thanks thank please hi hello issue bug " +
  "problem error expected actual behavior behaviour steps reproduce version versions " +
  "description describe environment screenshot screenshots example happens happen work works " +
  "working tried try trying instead however because since still even way thing things " +
  // German
  "der die das den dem des ein eine einer eines einem einen und oder aber wenn dann als ist " +
  "sind war waren wird werden wurde wurden bin bist sein seine ihr ihre ich du er sie es wir " +
  "ihr mich mir dich dir uns euch nicht kein keine keinen mit von zu zum zur im in auf aus bei " +
  "nach vor fur uber unter durch gegen ohne um auch noch nur schon sehr hier dort da dass " +
  "wie was wer wo warum welche welcher welches man kann konnen muss mussen soll sollte " +
  "sollten hat haben hatte hatten bitte danke fehler leider immer jetzt mal doch";

export function stopWords(): Record<string, true> {
  const words: Record<string, true> = {};
  for (const word of STOP_WORDS_TEXT.split(" ")) if (word) words[word] = true;
  return words;
}

function foldUmlauts(word: string): string {
  return word.replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u").replace(/ß/g, "ss");
}

/** A light stemmer for English and German endings; the same on both sides of the match. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 6 && /(ungen|heiten|keiten)$/.test(w)) return w.replace(/en$/, "");
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith("sses")) return w.slice(0, -2);
  if (w.length > 5 && /(ches|shes|xes|zes)$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !/(ss|us|is|os)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith("ed") && !w.endsWith("eed")) return w.slice(0, -2);
  return w;
}

/** Identifier parts: "parseHTTPResponse2" -> ["parse", "HTTP", "Response", "2"]. */
export function splitIdentifier(word: string): string[] {
  return word
    .split(/[_$-]+/)
    .flatMap((part) =>
      part
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
        .replace(/([A-Za-z])([0-9])/g, "$1 $2")
        .split(" "),
    )
    .filter(Boolean);
}

const WORD = /[A-Za-z0-9_$äöüÄÖÜß]+(?:-[A-Za-z0-9_äöüÄÖÜß]+)*/g;

/** Raw terms of a text: each word whole (when compound) and its identifier parts. */
export function rawTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const parts = splitIdentifier(word);
    if (parts.length > 1) terms.push(word.replace(/[_$-]/g, ""));
    terms.push(...parts);
  }
  return terms;
}

/** One raw term as indexed: lower-cased, folded, stemmed; null for stop words and noise. */
export function normalizeTerm(term: string, stops: Record<string, true>): string | null {
  const lower = foldUmlauts(term.toLowerCase());
  if (lower.length < 2 || lower.length > 40) return null;
  if (/^[0-9]+$/.test(lower)) return null;
  if (stops[lower]) return null;
  return stem(lower);
}

/** Each indexed term of a text mapped to the first word it came from (for reasons people read). */
export function termSources(
  text: string,
  stops: Record<string, true> = stopWords(),
): Map<string, string> {
  const sources = new Map<string, string>();
  for (const raw of rawTerms(text)) {
    const term = normalizeTerm(raw, stops);
    if (term && !sources.has(term)) sources.set(term, raw);
  }
  return sources;
}

/** The indexed terms of a text, in order (duplicates kept: BM25 counts them). */
export function codeTerms(text: string, stops: Record<string, true> = stopWords()): string[] {
  return createTermizer(stops)(text);
}

/**
 * Terms of a document for a BM25 index that only needs `wanted` terms: every occurrence of a
 * wanted term, and each other term once. The distinct-term count (what MiniSearch stores as the
 * field length) and every wanted term's frequency are exactly those of the full term list, so the
 * scores are the same, at a fraction of the tokens handed to the index.
 */
export function createIndexTermizer(
  wanted: Record<string, true>,
  stops: Record<string, true> = stopWords(),
): (text: string) => string[] {
  const termsOfWord = createWordTermCache(stops);
  return (text) => {
    const out: string[] = [];
    const others = new Set<string>();
    const words = text.match(WORD);
    if (!words) return out;
    for (let i = 0; i < words.length; i++) {
      const terms = termsOfWord(words[i]);
      for (let j = 0; j < terms.length; j++) {
        const term = terms[j];
        if (wanted[term]) out.push(term);
        else if (!others.has(term)) {
          others.add(term);
          out.push(term);
        }
      }
    }
    return out;
  };
}

function createWordTermCache(stops: Record<string, true>): (word: string) => string[] {
  const cache = new Map<string, string[]>();
  return (word) => {
    let terms = cache.get(word);
    if (terms === undefined) {
      const parts = splitIdentifier(word);
      const raws = parts.length > 1 ? [word.replace(/[_$-]/g, ""), ...parts] : parts;
      terms = [];
      for (const raw of raws) {
        const term = normalizeTerm(raw, stops);
        if (term) terms.push(term);
      }
      cache.set(word, terms);
    }
    return terms;
  };
}

/**
 * `codeTerms` with a per-word cache, for indexing many files: code repeats its words, so each
 * distinct word is split and stemmed once. The cache lives as long as the returned function.
 */
export function createTermizer(
  stops: Record<string, true> = stopWords(),
): (text: string) => string[] {
  const termsOfWord = createWordTermCache(stops);
  return (text) => {
    const out: string[] = [];
    // `match` with a global pattern returns the matched strings only: far cheaper than matchAll's
    // match objects over megabytes of code. Index loops: this is the engine's hottest path.
    const words = text.match(WORD);
    if (!words) return out;
    for (let i = 0; i < words.length; i++) {
      const terms = termsOfWord(words[i]);
      for (let j = 0; j < terms.length; j++) out.push(terms[j]);
    }
    return out;
  };
}
