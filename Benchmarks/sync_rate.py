#!/usr/bin/env python3
"""Sync push rate against a provider limit (DESIGN.md §8: ≥ 0.9·R sustained, zero duplicates).

Starts the local Etsy stand-in (Tests/Servers/fake_providers.py) with a per-second limit R,
queues N valid drafts in a fresh workspace, runs `podpusher sync --json` once, and reports the
requests per second the pass sustained against R, the 429s the server had to send (requests
over the limit) and the duplicates created. Run: `make bench-sync` or
`python3 Benchmarks/sync_rate.py [--rate 10] [--drafts 300] [--bin .build/release/podpusher]`.

With `--bulk N`, the same for a bulk update instead: a shop of N active listings is pulled,
each gets +10 % on its price and a new tag (through `listings export --shop` and `listings
import`, the queue a bulk edit in the Listings table fills too), and one sync sends them: a
PATCH (the tag) and an inventory PUT (the price) per listing, each once.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = "title,description,price,quantity,tags,materials,taxonomy_id,who_made,when_made,shipping_profile_id,sku,language\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=10, help="the provider's per-second limit")
    ap.add_argument("--drafts", type=int, default=300)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "podpusher"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--bulk", type=int, default=0, help="instead: a bulk update of this many listings pulled from the shop")
    ap.add_argument("--ui", action="store_true",
                    help="instead: open the UI on the queued workspace (it syncs at start) and measure key to flush meanwhile")
    args = ap.parse_args()

    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests", "Servers", "fake_providers.py"), "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        base = "http://127.0.0.1:%d" % int(server.stdout.readline().split()[-1])
        control = urllib.request.Request(base + "/_control", data=json.dumps({"etsy": {"per_second": args.rate}}).encode(), method="POST")
        urllib.request.urlopen(control).read()
        d = tempfile.mkdtemp(prefix="podpusher-sync-bench-")
        config = os.path.join(d, "config.toml")
        with open(config, "w") as f:
            f.write('[providers.etsy]\napi_base_url = "%s/etsy/v3/application"\nclient_id = "testkeystring"\nshared_secret = "testsecret"\n' % base)
        ws = ["--data-dir", os.path.join(d, "data"), "--config", config]
        if args.bulk:
            return bulk_update(args, ws, d, base)
        with open(os.path.join(d, "in.csv"), "w") as f:
            f.write(HEADER + "".join("Bench Mug Design %d,A mug.,19.99,5,cat mug,ceramic,482,i_did,made_to_order,777001,,en\n" % i
                                     for i in range(args.drafts)))
        for cmd in (["listings", "import", os.path.join(d, "in.csv")], ["listings", "publish", "--all-ready"]):
            subprocess.run([args.bin, *cmd, *ws], check=True, capture_output=True)
        write_credentials(d)
        if args.ui:
            return ui_during_sync(args, ws, base)
        started = time.monotonic()
        out = subprocess.run([args.bin, "sync", "--provider", "etsy", "--json", *ws], capture_output=True, text=True)
        wall = time.monotonic() - started
        report = next(p for p in json.loads(out.stdout)["providers"] if p["provider"] == "etsy")
        state = json.load(urllib.request.urlopen(base + "/_state"))["etsy"]
        titles = [l["title"] for l in state["listings"]]
        sustained = report["requests"] / report["seconds"]
        result = {
            "limit_per_second": args.rate, "drafts": args.drafts, "pushed": report["pushed"], "requests": report["requests"],
            "seconds": round(report["seconds"], 3), "wall_seconds": round(wall, 3),
            "sustained_per_second": round(sustained, 3), "ratio": round(sustained / args.rate, 3),
            "over_limit_429s": state["violations"], "listings_created": len(titles), "duplicates": len(titles) - len(set(titles)),
        }
        if args.json:
            print(json.dumps(result, indent=2, sort_keys=True))
        else:
            print("sync push against a limit of %d/s: %d listings in %.2f s, %d requests, %.2f requests/s sustained = %.3f of the limit "
                  "(budget ≥ 0.9); %d requests over the limit; %d duplicates"
                  % (args.rate, report["pushed"], report["seconds"], report["requests"], sustained, result["ratio"],
                     state["violations"], result["duplicates"]))
        return 0 if out.returncode == 0 else out.returncode
    finally:
        server.kill()
        server.wait()


def write_credentials(d):
    os.makedirs(os.path.join(d, "data"), mode=0o700, exist_ok=True)
    fd = os.open(os.path.join(d, "data", "credentials.json"), os.O_CREAT | os.O_WRONLY, 0o600)
    os.write(fd, json.dumps({"etsy": {"access_token": "12345678.validtoken"}}).encode())
    os.close(fd)


def bulk_update(args, ws, d, base):
    """N listings on the shop, pulled at a high limit; +10 % and a tag each; one sync at R."""
    def control(change):
        req = urllib.request.Request(base + "/_control", data=json.dumps({"etsy": change}).encode(), method="POST")
        urllib.request.urlopen(req).read()
    control({"per_second": 1000, "seed": args.bulk})
    write_credentials(d)
    subprocess.run([args.bin, "sync", "--provider", "etsy", *ws], check=True, capture_output=True)
    sheet = os.path.join(d, "shop.csv")
    subprocess.run([args.bin, "listings", "export", "--shop", "--out", sheet, *ws], check=True, capture_output=True)
    with open(sheet, newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["price"] = "%.2f" % (float(row["price"]) * 1.1)
        row["tags"] += ",gift idea"
    with open(sheet, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    subprocess.run([args.bin, "listings", "import", sheet, *ws], check=True, capture_output=True)
    control({"per_second": args.rate})
    out = subprocess.run([args.bin, "sync", "--provider", "etsy", "--json", *ws], capture_output=True, text=True)
    report = next(p for p in json.loads(out.stdout)["providers"] if p["provider"] == "etsy")
    state = json.load(urllib.request.urlopen(base + "/_state"))["etsy"]
    both = sum(1 for l in state["listings"] if l["price"]["amount"] == 2200 and "gift idea" in l["tags"])
    sustained = report["requests"] / report["seconds"]
    result = {
        "limit_per_second": args.rate, "listings": args.bulk, "requests": report["requests"], "seconds": round(report["seconds"], 3),
        "sustained_per_second": round(sustained, 3), "ratio": round(sustained / args.rate, 3), "over_limit_429s": state["violations"],
        "patches": state["patches"], "inventory_puts": state["inventory_puts"], "listings_with_both_changes": both,
        "listings_on_the_shop": len(state["listings"]),
    }
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print("bulk update of %d listings against a limit of %d/s: %d requests in %.2f s, %.2f requests/s sustained = %.3f of the limit "
              "(budget ≥ 0.9); %d PATCHes, %d inventory PUTs, %d listings with both changes, %d requests over the limit"
              % (args.bulk, args.rate, report["requests"], report["seconds"], sustained, result["ratio"], state["patches"],
                 state["inventory_puts"], both, state["violations"]))
    return 0 if out.returncode == 0 else out.returncode


def ui_during_sync(args, ws, base):
    """`podpusher bench` on the workspace: each UI it opens syncs the queue in the background
    (the credentials and config are there), so its key-to-flush figures are taken while
    listings are pushed."""
    out = subprocess.run([args.bin, "bench", "--json", "--signals", "100000", "--listings", "10000", "--drafts", "0",
                          "--presses", "300", *ws], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr)
        return out.returncode
    r = json.loads(out.stdout)
    pushed = len(json.load(urllib.request.urlopen(base + "/_state"))["etsy"]["listings"])
    result = {"listings_pushed_meanwhile": pushed,
              **{k + "_p50_ms": round(r[k]["p50_ms"], 2) for k in ("dashboard_keys", "table_keys")},
              **{k + "_p99_ms": round(r[k]["p99_ms"], 2) for k in ("dashboard_keys", "table_keys")}}
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print("key to flush while the UI pushes in the background (%d listings pushed meanwhile): dashboard p50 %.2f / p99 %.2f ms, "
              "table p50 %.2f / p99 %.2f ms (budget p99 ≤ 2 ms)" % (pushed, result["dashboard_keys_p50_ms"], result["dashboard_keys_p99_ms"],
                                                                 result["table_keys_p50_ms"], result["table_keys_p99_ms"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
