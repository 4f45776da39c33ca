import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractGuardFeatures, guardsAgree, type GuardName } from "../../../images/router/src/cache/guards";

describe("guardsAgree", () => {
  // [query, candidate, expected]: "ok" or the guard that must reject.
  const table: [string, string, "ok" | GuardName][] = [
    // polarity and negation
    ["Is port 6379 open by default?", "Is port 6379 closed by default?", "polarity"],
    ["Is port 6379 open by default?", "By default, is port 6379 open?", "ok"],
    ["Is the default 16 databases?", "Isn't the default 16 databases?", "polarity"],
    ["Is the default 16 databases?", "Is the default not 16 databases?", "polarity"],
    ["Why doesn't Redis persist?", "Why does Redis not persist?", "ok"],
    ["Why can't I connect?", "Why cannot I connect?", "ok"],
    ["How do I enable AOF?", "How do I disable AOF?", "polarity"],
    ["How do I turn on AOF?", "How do I turn off AOF?", "polarity"],
    ["Should I allow root login?", "Should I deny root login?", "polarity"],
    ["How to increase maxmemory?", "How to decrease maxmemory?", "polarity"],
    ["Is it true that keys expire?", "Is it false that keys expire?", "polarity"],
    ["Run the backup before the upgrade", "Run the backup after the upgrade", "polarity"],
    ["What is the min pool size?", "What is the max pool size?", "polarity"],
    ["Set the minimum pool size", "Set the maximum pool size", "polarity"],
    ["Does it always fsync?", "Does it never fsync?", "polarity"],
    ["Can I run it with TLS?", "Can I run it without TLS?", "polarity"],
    ["How do I log in to the console?", "How do I log out of the console?", "polarity"],
    ["Which keys include the prefix?", "Which keys exclude the prefix?", "polarity"],
    ["Is the cache encrypted at rest?", "Is the cache unencrypted at rest?", "polarity"],
    ["Why is it secure?", "Why is it insecure?", "polarity"],
    ["Why is the request slow?", "Why is the request fast?", "polarity"],
    ["Why is Redis fast?", "How is Redis fast?", "polarity"],
    ["Where is the config file?", "When is the config file read?", "polarity"],
    ["Use blocking reads", "Use non-blocking reads", "polarity"],
    // numbers, versions, ports, number words
    ["Does Redis 7.0.15 support ACLs?", "Does Redis 7.0.14 support ACLs?", "numbers"],
    ["Does Redis 7.0.15 support ACLs?", "Does Redis 7.0.15 support ACLs", "ok"],
    ["Open port 6379", "Open port 6380", "numbers"],
    ["Set maxmemory to 1.5 GB", "Set maxmemory to 15 GB", "numbers"],
    ["Store 1,000 keys", "Store 1000 keys", "ok"],
    ["Run two replicas", "Run 2 replicas", "ok"],
    ["Run two replicas", "Run three replicas", "numbers"],
    ["Run one replica", "Run a replica", "numbers"],
    ["What is 20% of 50?", "What is 25% of 50?", "numbers"],
    ["Explain the 3rd rule", "Explain the 4th rule", "numbers"],
    ["Retry 5-10 times", "Retry 5-12 times", "numbers"],
    // dates and times
    ["Schedule it for 2024-05-01", "Schedule it for 2024-05-02", "dates"],
    ["Schedule it for 2024-05-01", "Schedule it for 2024-05-01.", "ok"],
    ["Run it at 10:30", "Run it at 11:30", "dates"],
    ["Run it at 5pm", "Run it at 5am", "dates"],
    ["What happened on May 3?", "What happened on June 3?", "dates"],
    ["Is the office open on Monday?", "Is the office open on Tuesday?", "dates"],
    ["You may restart it", "You can restart it", "ok"],
    ["Backups run on 05/01/2024", "Backups run on 05/02/2024", "dates"],
    // identifiers
    ["What does maxmemory_policy do?", "What does maxmemory_samples do?", "identifiers"],
    ["What does getUserById return?", "What does getUserByName return?", "identifiers"],
    ["Explain os.path.join", "Explain os.path.split", "identifiers"],
    ["Explain the file /etc/redis/redis.conf", "Explain the file /etc/redis/sentinel.conf", "identifiers"],
    ["What is in redis.conf?", "What's in redis.conf?", "ok"],
    ["What is in redis.conf?", "What is outside redis.conf?", "polarity"],
    ["Look up order 3f9a1c2b", "Look up order 3f9a1c2c", "identifiers"],
    ["Find 123e4567-e89b-12d3-a456-426614174000", "Find 123e4567-e89b-12d3-a456-426614174001", "identifiers"],
    ["How do I enable AOF?", "How do I enable RDB?", "identifiers"],
    ["What does --maxmemory do?", "What does --maxclients do?", "identifiers"],
    ["Compare gpt-4o and h100", "Compare gpt-4o and h200", "identifiers"],
    ["Call https://api.example.com/v1", "Call https://api.example.com/v2", "identifiers"],
    // quoted strings and code
    ['What does "not found" mean?', 'What does "found" mean?', "quoted"],
    ["What does `maxmemory-policy` do?", "What does `maxmemory` do?", "quoted"],
    ["What does `KEYS *` do?", "What does `keys *` do?", "quoted"],
    ["Fix this:\n```py\nif x:\n    y()\n```", "Fix this:\n```py\nif x:\n  y()\n```", "quoted"],
    ["Translate 'open sesame'", "Translate 'close sesame'", "quoted"],
    ["Translate “open sesame”", "Translate \"open sesame\"", "ok"],
    // names
    ["Does Redis support TLS?", "Does Valkey support TLS?", "names"],
    ["what is redis used for", "What is Redis used for?", "ok"],
    ["Is Postgres faster than Oracle?", "Is Postgres faster than Cassandra?", "names"],
    ["Is Postgres faster than MySQL?", "Is Postgres faster than SQLite?", "identifiers"],
    ["Backups run on 1.5.2024", "Backups run on 1.6.2024", "dates"],
    // paraphrases that must still agree
    ["What is the difference between a list and a set? I don't know.", "Difference between list and set? I do not know", "ok"],
    ["How do I configure Redis persistence?", "how can i configure redis persistence", "ok"],
  ];

  it.each(table)("compares %j with %j as %s", (a, b, expected) => {
    const verdict = guardsAgree(a, b);
    expect(verdict.ok ? "ok" : verdict.guard).toBe(expected);
    // Symmetric: the same pair in the other order gives the same answer.
    const back = guardsAgree(b, a);
    expect(back.ok ? "ok" : back.guard).toBe(expected);
  });

  it("reports both sides of the disagreement", () => {
    expect(guardsAgree("Is port 6379 open by default?", "Is port 6379 closed by default?")).toEqual({
      ok: false, guard: "polarity", query: ["open"], candidate: ["close"],
    });
  });

  it("always agrees with itself", () => {
    // Prompt-like strings built from the tokens the extractor treats specially, plus arbitrary text.
    const token = fc.constantFrom("A", "a", "-", "'", '"', "`", " ", ".", "?", "not", "Redis", "7.0", "1,000", "x_y", "May", "5pm", "\n", "```", "“", "”", "’", "(", ")", "--p", "é", "0x1f");
    const promptLike = fc.array(token, { maxLength: 20 }).map((a) => a.join(""));
    fc.assert(fc.property(fc.oneof(promptLike, fc.string({ maxLength: 200 })), (s) => guardsAgree(s, s).ok), { numRuns: 2000 });
  });

  it("rejects a prompt that only adds a negation", () => {
    const word = fc.constantFrom("redis", "cache", "port", "key", "replica", "value", "server", "open", "expire");
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.nat(), (words, at) => {
        const i = at % (words.length + 1);
        const negated = [...words.slice(0, i), "not", ...words.slice(i)];
        return !guardsAgree(words.join(" "), negated.join(" ")).ok;
      }),
    );
  });

  it("rejects a prompt whose only difference is a number", () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (x, y) => {
        fc.pre(x !== y);
        return !guardsAgree(`Open port ${x} on the host`, `Open port ${y} on the host`).ok;
      }),
    );
  });
});

describe("extractGuardFeatures", () => {
  it("extracts every feature class from one prompt", () => {
    const f = extractGuardFeatures('Meet Alice on May 3rd, 2024 at 5pm: set user_id 0x1f3a, "hello world" and --port 6379 for 1,000 items, not two');
    expect({ ...f, words: undefined }).toEqual({
      polarity: ["not"],
      numbers: ["1000", "2", "2024", "3rd", "6379"],
      dates: ["5pm", "may"],
      identifiers: ["--port", "0x1f3a", "user_id"],
      quoted: ["hello world"],
      names: ["alice"],
      words: undefined,
    });
  });
});
