#!/usr/bin/env python3
"""What a query transfers: the files assets/search.js fetches for QUERY on a built site, and their sizes.

    scripts/search-budget.py OUTPUT_DIR QUERY [RESULTS_SHOWN]

Mirrors the script: the manifest, one term shard per query term, then the document shards of the first
RESULTS_SHOWN (10, the script's first page) hits. Tokenizer and FNV-1a as in Search/Tokenizer.swift."""
import json, os, sys, unicodedata

def is_cjk(c):
    return (0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x2FA1F
            or 0x30000 <= c <= 0x323AF or 0x3040 <= c <= 0x30FF or 0x31F0 <= c <= 0x31FF or 0xAC00 <= c <= 0xD7AF or 0x1100 <= c <= 0x11FF)

def fold(c):
    if 0xFF01 <= c <= 0xFF5E: c -= 0xFEE0
    elif c == 0x3000: c = 0x20
    if 0x41 <= c <= 0x5A: c += 0x20
    return c

def is_word(c):
    if c < 0x80: return 0x30 <= c <= 0x39 or 0x61 <= c <= 0x7A
    return not is_cjk(c) and unicodedata.category(chr(c))[0] in "LN"

def query_terms(q):
    terms, run, word = [], [], ""
    def flush_run():
        nonlocal run
        if len(run) == 1: terms.append((True, run[0]))
        terms.extend((True, run[i - 1] + run[i]) for i in range(1, len(run)))
        run = []
    def flush_word():
        nonlocal word
        if word: terms.append((False, word)); word = ""
    for ch in q:
        c = fold(ord(ch)); s = chr(c)
        if is_cjk(c): flush_word(); run.append(s)
        elif is_word(c): flush_run(); word += s
        else: flush_run(); flush_word()
    flush_run(); flush_word()
    return list(dict.fromkeys(terms))

def shard(key, count):
    h = 0x811C9DC5
    for b in key.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h % count

def main():
    out, q = sys.argv[1], sys.argv[2]
    shown = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    size = lambda p: os.path.getsize(os.path.join(out, p))
    manifest = json.load(open(os.path.join(out, "search/index.json")))
    files = {"search/index.json"}
    total = None
    for cjk, text in query_terms(q):
        path = f"search/t/{shard(text if cjk else text[:2], manifest['shards'])}.json"
        files.add(path)
        postings = json.load(open(os.path.join(out, path)))
        scores = {}
        for key, posting in postings.items():
            if (key == text) if cjk else key.startswith(text):
                title, body = posting.split("|")
                d = 0
                for x in filter(None, title.split(".")): d += int(x, 36); scores[d] = scores.get(d, 0) + 100
                d, num = 0, ""
                for ch in body:
                    if ch.isupper(): d += int(num, 36); scores[d] = scores.get(d, 0) + ord(ch) - 64; num = ""
                    else: num += ch
        total = scores if total is None else {d: s + scores[d] for d, s in total.items() if d in scores}
    hits = sorted(total or {}, key=lambda d: (-total[d], d))
    for d in hits[:shown]: files.add(f"search/d/{d // manifest['per']}.json")
    bytes_ = sum(size(p) for p in files)
    print(f"query {q!r}: {len(hits)} hits, {len(files)} files, {bytes_ / 1024:.1f} KiB "
          f"(manifest + {sum(1 for p in files if '/t/' in p)} term shards + {sum(1 for p in files if '/d/' in p)} document shards)")
    print(f"index: {manifest['shards']} term shards, {manifest['docs']} documents")

main()
