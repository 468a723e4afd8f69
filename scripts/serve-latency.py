#!/usr/bin/env python3
"""How soon `serve` serves an edited material: start it on SITE, wait for the first build, append a
sentence to one material's body, and poll the page until the sentence is there.

    scripts/serve-latency.py BINARY SITE [RUNS]"""
import os, subprocess, sys, time, urllib.request, socket

binary, site = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
server = subprocess.Popen([binary, "serve", site, "--port", str(port), "--profile", "internal"], stderr=subprocess.PIPE, text=True)
def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r: return r.read().decode()
    except Exception: return ""
try:
    start = time.time()
    while not get("/"): time.sleep(0.1)
    print(f"first build served after {time.time() - start:.1f} s")
    time.sleep(8)   # let the initial background work settle
    materials = sorted(f for f in os.listdir(os.path.join(site, "content/materials")) if f.endswith(".md"))
    results = []
    for i in range(runs):
        name = materials[(i * 37) % len(materials)]
        path = os.path.join(site, "content/materials", name)
        marker = f"编辑标记{time.time_ns()}"
        text = open(path, encoding="utf-8").read()
        saved = time.time()
        with open(path, "a", encoding="utf-8") as f: f.write(f"\n\n{marker}\n")
        url = f"/materials/{name[:-3]}/"
        while marker not in get(url):
            if time.time() - saved > 30: break
            time.sleep(0.005)
        results.append((time.time() - saved) * 1000)
        open(path, "w", encoding="utf-8").write(text)
        time.sleep(10)   # the background rebuild of the restore
    results.sort()
    print("served fresh after (ms):", ", ".join(f"{r:.0f}" for r in results), f"— median {results[len(results)//2]:.0f} ms")
finally:
    server.terminate(); server.wait()
