/**
 * @module Word lists for the semantic cache's deterministic guards.
 *
 * Each row is `lemma: form form …`. Two prompts may share a cached answer only if the multiset of
 * lemmas found in them is equal, so a row holds every form of one side of a meaning flip
 * (open/closed, enable/disable, before/after, …). Where one side is a very common function word
 * ("on", "up", "with", "in") only the other side is listed: "turn off" vs "turn on" still differ by
 * "off", and "… on Linux" vs "… for Linux" still match. An extra word only costs a miss; a missing
 * one can cost a false hit. Sources: the negation and antonym pairs behind
 * vllm-project/semantic-router#2691 (8 pairs at cosine 0.94–0.98) and zilliztech/GPTCache#694.
 */

const POLARITY_ROWS = `
not: not n't isn't aren't wasn't weren't don't doesn't didn't won't wouldn't can't cannot couldn't shouldn't mustn't haven't hasn't hadn't needn't ain't shan't mightn't isnt arent wasnt werent dont doesnt didnt wouldnt cant couldnt shouldnt mustnt havent hasnt hadnt
no: no
none: none
nothing: nothing
nobody: nobody
nowhere: nowhere
neither: neither nor
never: never
always: always
sometimes: sometimes
without: without
non: non
only: only
except: except unless
instead: instead
all: all every
any: any
enable: enable enables enabled enabling
disable: disable disables disabled disabling
off: off
open: open opens opened opening
close: close closes closed closing
allow: allow allows allowed allowing permit permits permitted
deny: deny denies denied denying forbid forbids forbidden prohibit prohibits prohibited
block: block blocks blocked blocking
unblock: unblock unblocks unblocked
increase: increase increases increased increasing raise raises raised
decrease: decrease decreases decreased decreasing reduce reduces reduced reducing
true: true
false: false
yes: yes
before: before prior
after: after
min: min minimum minimal minimize
max: max maximum maximal maximize
more: more most
less: less fewer least fewest
high: high higher highest
low: low lower lowest
above: above
below: below
down: down
start: start starts started starting begin begins began
stop: stop stops stopped stopping end ends ended
include: include includes included including
exclude: exclude excludes excluded excluding
add: add adds added adding
remove: remove removes removed removing delete deletes deleted deleting
accept: accept accepts accepted
reject: reject rejects rejected
succeed: succeed succeeds succeeded success successful successfully
fail: fail fails failed failing failure unsuccessful
pass: pass passes passed passing
valid: valid
invalid: invalid
positive: positive
negative: negative
first: first
last: last
good: good better best
bad: bad worse worst
fast: fast faster fastest quick quicker
slow: slow slower slowest
big: big bigger biggest large larger largest
small: small smaller smallest
long: long longer longest
short: short shorter shortest
inside: inside internal inbound
outside: outside external outbound
out: out
upper: upper uppercase
lowercase: lowercase
public: public
private: private
read: read reads reading
write: write writes writing written
input: input inputs
output: output outputs
import: import imports imported
export: export exports exported
push: push pushes pushed
pull: pull pulls pulled
encrypt: encrypt encrypts encrypted encryption
decrypt: decrypt decrypts decrypted decryption unencrypted
sync: sync synchronous synchronously
async: async asynchronous asynchronously
secure: secure
insecure: insecure
safe: safe
unsafe: unsafe dangerous
possible: possible
impossible: impossible
supported: supported
unsupported: unsupported
required: required mandatory
optional: optional
ascending: ascending asc
descending: descending desc
upload: upload uploads uploaded
download: download downloads downloaded
install: install installs installed installing
uninstall: uninstall uninstalls uninstalled
lock: lock locks locked
unlock: unlock unlocks unlocked
show: show shows showed shown visible
hide: hide hides hid hidden invisible
connect: connect connects connected
disconnect: disconnect disconnects disconnected
encode: encode encodes encoded
decode: decode decodes decoded
compress: compress compressed compression
decompress: decompress decompressed decompression
same: same identical equal
different: different differ unequal
old: old older oldest
newer: newer
early: early earlier
late: late later
left: left
cheap: cheap cheaper cheapest
expensive: expensive
easy: easy easier easiest
hard: hard harder hardest difficult
strong: strong stronger
weak: weak weaker
hot: hot hotter
cold: cold colder
forward: forward
backward: backward backwards
horizontal: horizontal horizontally
vertical: vertical vertically
manual: manual manually
automatic: automatic automatically
static: static
dynamic: dynamic
mutable: mutable
immutable: immutable
stateful: stateful
stateless: stateless
buy: buy buys bought
sell: sell sells sold
win: win wins won
lose: lose loses lost
plus: plus
minus: minus
am: am a.m a.m.
pm: pm p.m p.m.
why: why
how: how
when: when
where: where
who: who whom whose
`;

/**
 * Number words, read as the digits they stand for (so "two replicas" and "2 replicas" agree).
 * "one" is included: "Run one replica" must not match "Run two replicas".
 */
export const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(Object.entries({
  zero: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8",
  nine: "9", ten: "10", eleven: "11", twelve: "12", thirteen: "13", fourteen: "14", fifteen: "15",
  sixteen: "16", seventeen: "17", eighteen: "18", nineteen: "19", twenty: "20", thirty: "30",
  forty: "40", fifty: "50", sixty: "60", seventy: "70", eighty: "80", ninety: "90", hundred: "100",
  thousand: "1000", million: "1000000", billion: "1000000000", dozen: "12", half: "0.5",
  once: "x1", twice: "x2", double: "x2", triple: "x3", single: "x1",
}));

/** Month and weekday names, read as a canonical 3-letter token. Ambiguous ones need a capital. */
export const DATE_WORDS: ReadonlyMap<string, string> = new Map([
  ...["january", "february", "april", "august", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "midnight", "noon",
    "weekend", "weekday", "morning", "afternoon", "evening", "tonight", "tomorrow", "yesterday"]
    .map((w): [string, string] => [w, w.slice(0, 3)]),
  ["jan", "jan"], ["feb", "feb"], ["apr", "apr"], ["aug", "aug"], ["sept", "sep"], ["oct", "oct"],
  ["nov", "nov"], ["dec", "dec"], ["july", "jul"], ["june", "jun"],
]);

/** Month names that are also ordinary words ("may", "march"): dates only when capitalized. */
export const CAPITALIZED_DATE_WORDS: ReadonlyMap<string, string> = new Map([
  ["May", "may"], ["March", "mar"], ["Mar", "mar"], ["Jun", "jun"], ["Jul", "jul"], ["Sep", "sep"],
  ["Mon", "mon"], ["Tue", "tue"], ["Wed", "wed"], ["Thu", "thu"], ["Fri", "fri"], ["Sat", "sat"], ["Sun", "sun"],
]);

function parseRows(rows: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const line of rows.split("\n")) {
    const [lemma, forms] = line.split(":");
    if (!lemma || forms === undefined) continue;
    for (const form of forms.trim().split(/\s+/)) map.set(form, lemma.trim());
  }
  return map;
}

/** Lower-case word form → polarity lemma. */
export const POLARITY_WORDS: ReadonlyMap<string, string> = parseRows(POLARITY_ROWS);
