/**
 * @module Deterministic guards for semantic hits: two prompts that embed close together may share an
 * answer only if their negations/polarity words, numbers, dates/times, identifiers, names and quoted
 * strings agree. Cosine ≥ 0.95 alone serves "Is port 6379 closed?" the answer to "…open?" (0.98 in
 * vllm-project/semantic-router#2691), so the threshold is necessary but never sufficient.
 */
import { CAPITALIZED_DATE_WORDS, DATE_WORDS, NUMBER_WORDS, POLARITY_WORDS } from "./guard-lexicon";
import { splitSpans } from "./normalize";

/** What the guards compare, extracted once per text. */
export interface GuardFeatures {
  /** Polarity/negation lemmas (multiset, sorted). */
  polarity: string[];
  /** Numbers as written without thousands separators, incl. decimals, versions, ordinals, number words (multiset, sorted). */
  numbers: string[];
  /** Dates and times: ISO/slashed dates, clock times, month/weekday names (multiset, sorted). */
  dates: string[];
  /** Case-sensitive identifiers: snake_case, camelCase, dotted, paths, URLs, flags, UUIDs, hex, ALL-CAPS, letter+digit mixes (set, sorted). */
  identifiers: string[];
  /** Inner text of quoted strings and inline/fenced code (set, sorted). */
  quoted: string[];
  /** Capitalized words not at a sentence start, lower-cased (checked by containment, see {@link compareGuards}). */
  names: string[];
  /** Every lower-cased word, for the names containment check. */
  words: ReadonlySet<string>;
}

/** The guard that rejected a candidate. */
export type GuardName = "polarity" | "numbers" | "dates" | "identifiers" | "quoted" | "names";

/** Result of {@link compareGuards}. */
export type GuardVerdict = { ok: true } | { ok: false; guard: GuardName; query: string[]; candidate: string[] };

const TRIM_LEAD = /^[([{<"'“‘*_~]+/;
const TRIM_TAIL = /[)\]}>"'”’*,;:!?….]+$/;
const NUMBER_RE = /^[-+]?[$€£]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)*(?:%|st|nd|rd|th|x)?$/;
const ISO_DATE_RE = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
// Dotted dates need a 4-digit year so versions like 7.0.15 stay numbers.
const SLASH_DATE_RE = /^\d{1,4}\/\d{1,2}\/\d{2,4}$|^\d{1,2}-\d{1,2}-\d{2,4}$|^\d{1,2}\.\d{1,2}\.\d{4}$/;
const TIME_RE = /^\d{1,2}(?::\d{2}){1,2}(?:am|pm)?$|^\d{1,2}(?:am|pm)$/i;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isIdentifier(tok: string): boolean {
  return (
    /[/\\@]|:\/\/|::|\(\)/.test(tok) || // paths, URLs, emails, Class::member, call()
    UUID_RE.test(tok) ||
    /^--?[A-Za-z]/.test(tok) || // CLI flags
    /_/.test(tok) || // snake_case, ENV_VARS
    /[a-z][A-Z]/.test(tok) || // camelCase, PascalCase, iPhone
    /\w\.\w/.test(tok) || // dotted: os.path, redis.conf, example.com
    /^[A-Z][A-Z0-9]+$/.test(tok) || // acronyms: AOF, RDB, TLS, H100
    (/\d/.test(tok) && /[A-Za-z]/.test(tok)) // letter+digit: v7, gpt-4o, sha 3f9a1c2
  );
}

function push(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sortedMulti(map: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of map) for (let i = 0; i < n; i++) out.push(k);
  return out.sort();
}

/** Extracts the guard features of a (whitespace-normalized, case-preserved) prompt. */
export function extractGuardFeatures(text: string): GuardFeatures {
  const polarity = new Map<string, number>();
  const numbers = new Map<string, number>();
  const dates = new Map<string, number>();
  const identifiers = new Set<string>();
  const quoted = new Set<string>();
  const names = new Set<string>();
  const words = new Set<string>();
  let prose = "";
  for (const span of splitSpans(text)) {
    if (span.kind === "prose") prose += span.text;
    else {
      quoted.add(span.text.replace(/^(```|~~~)[^\n]*\n?|^[`"'“‘]|(```|~~~)$|[`"'”’]$/g, "").trim());
      prose += " . ";
    }
  }
  let sentenceStart = true;
  for (const raw of prose.split(/\s+/)) {
    if (raw === "") continue;
    const endsSentence = /[.!?:]["')\]]*$/.test(raw);
    const tok = raw.replace(TRIM_LEAD, "").replace(TRIM_TAIL, "").replace(/[’‘]/g, "'");
    const atStart = sentenceStart;
    sentenceStart = endsSentence;
    if (tok === "") continue;
    if (ISO_DATE_RE.test(tok) || SLASH_DATE_RE.test(tok) || TIME_RE.test(tok)) { push(dates, tok.toLowerCase()); continue; }
    if (NUMBER_RE.test(tok)) { push(numbers, tok.replace(/,/g, "")); continue; }
    const capDate = CAPITALIZED_DATE_WORDS.get(tok);
    if (capDate !== undefined) { push(dates, capDate); continue; }
    if (isIdentifier(tok)) { identifiers.add(tok); continue; }
    const lower = tok.toLowerCase();
    words.add(lower);
    for (const part of lower.split(/[-–—]/)) {
      if (part === "") continue;
      if (NUMBER_RE.test(part)) { push(numbers, part.replace(/,/g, "")); continue; }
      words.add(part);
      const lemma = POLARITY_WORDS.get(part);
      if (lemma !== undefined) push(polarity, lemma);
      const num = NUMBER_WORDS.get(part);
      if (num !== undefined) push(numbers, num);
      const date = DATE_WORDS.get(part);
      if (date !== undefined) push(dates, date);
    }
    if (!atStart && /^[A-Z][a-z]/.test(tok) && !/^I'/.test(tok)) names.add(lower);
  }
  return {
    polarity: sortedMulti(polarity),
    numbers: sortedMulti(numbers),
    dates: sortedMulti(dates),
    identifiers: [...identifiers].sort(),
    quoted: [...quoted].sort(),
    names: [...names].sort(),
    words,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const ORDERED: readonly Exclude<GuardName, "names">[] = ["polarity", "numbers", "dates", "identifiers", "quoted"];

/**
 * Compares a query's features with a candidate's. Lists must be equal; names are checked by
 * containment (a name on one side must appear as a word on the other, case-insensitively), so
 * "what is redis" and "What is Redis" agree while "Does Redis…" and "Does Valkey…" do not.
 */
export function compareGuards(query: GuardFeatures, candidate: GuardFeatures): GuardVerdict {
  for (const guard of ORDERED) {
    if (!sameList(query[guard], candidate[guard])) return { ok: false, guard, query: query[guard], candidate: candidate[guard] };
  }
  const missing = query.names.some((n) => !candidate.words.has(n)) || candidate.names.some((n) => !query.words.has(n));
  if (missing) return { ok: false, guard: "names", query: query.names, candidate: candidate.names };
  return { ok: true };
}

/** Convenience for tests and one-off checks: extract both and compare. */
export function guardsAgree(query: string, candidate: string): GuardVerdict {
  return compareGuards(extractGuardFeatures(query), extractGuardFeatures(candidate));
}
