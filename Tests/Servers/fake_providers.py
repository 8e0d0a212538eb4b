#!/usr/bin/env python3
"""Local stand-ins for the services PODPusher talks to, started by the tests themselves.

Each one enforces what the provider documents (DESIGN.md §4), so that a client that breaks a
rule fails a test here instead of in front of a seller:

  /t/...                 transport checks: echo, status codes, slow answers, broken bodies
  /etsy/v3/application   Etsy Open API v3: x-api-key "keystring:secret", Bearer "<user>.<opaque>",
                         limit 1..100 with offset paging, a per-second limit with 429 and
                         retry-after and the x-limit/x-remaining headers, createDraftListing's
                         field rules (201), PATCH for updates, 401 for an unknown token
  /openai/v1             an OpenAI-compatible chat/completions endpoint

`/_control` (POST JSON) changes the behaviour for a test (faults, limits, tokens) and
`/_state` (GET) shows what the server holds, so tests can assert on it.

Run: python3 fake_providers.py [--port N]   (prints "listening on PORT" once ready)
"""
import argparse
import base64
import hashlib
import gzip
import json
import os
import re
import sys
import threading
import time
import unicodedata
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from lifetime import end_with_parent

LOCK = threading.Lock()

ETSY_KEY = "testkeystring:testsecret"


def title_refused(title):
    """The characters Etsy's document refuses in a title: it takes only letters, decimal digits,
    punctuation, mathematical symbols, space separators and ™©® (/[^\\p{L}\\p{Nd}\\p{P}\\p{Sm}\\p{Zs}™©®]/u),
    read in NFC."""
    return [c for c in unicodedata.normalize("NFC", title)
            if not (unicodedata.category(c)[0] in "LP" or unicodedata.category(c) in ("Nd", "Sm", "Zs") or c in "™©®")]


TAG_ALLOWED = re.compile(r"^[\w\s\-'™©®]*$", re.UNICODE)
MATERIAL_ALLOWED = re.compile(r"^[\w\s]*$", re.UNICODE)
# The body parameters updateListing declares in Etsy's Open API v3 document (no price, quantity,
# sku or styles: those are the inventory's or set at creation only).
UPDATE_LISTING_PARAMS = {
    "image_ids", "title", "description", "materials", "should_auto_renew", "shipping_profile_id", "return_policy_id",
    "shop_section_id", "item_weight", "item_length", "item_width", "item_height", "item_weight_unit", "item_dimensions_unit",
    "is_taxable", "taxonomy_id", "tags", "who_made", "when_made", "featured_rank", "is_personalizable",
    "personalization_is_required", "personalization_char_count_max", "personalization_instructions", "state", "is_supply",
    "production_partner_ids", "type",
}
# when_made as Etsy's Open API v3 document enumerates it (createDraftListing, updateListing).
WHEN_MADE = ["made_to_order", "2020_2025", "2010_2019", "2006_2009", "before_2006", "2000_2005", "1990s", "1980s", "1970s", "1960s",
             "1950s", "1940s", "1930s", "1920s", "1910s", "1900s", "1800s", "1700s", "before_1700"]


# getPropertiesByTaxonomyId for the categories the tests use: two that can vary, one that cannot.
TAXONOMY_PROPERTIES = [
    {"property_id": 100, "name": "size", "display_name": "Size", "supports_variations": True, "is_required": False,
     "possible_values": [{"value_id": 1000 + i, "name": v} for i, v in enumerate(["S", "M", "L", "XL", "2XL"])]},
    {"property_id": 200, "name": "primary_color", "display_name": "Primary color", "supports_variations": True, "is_required": False,
     "possible_values": [{"value_id": 2000 + i, "name": v} for i, v in enumerate(["Black", "White", "Navy", "Red", "Green"])]},
    {"property_id": 300, "name": "occasion", "display_name": "Occasion", "supports_variations": False, "is_required": False,
     "possible_values": [{"value_id": 3000, "name": "Birthday"}]},
]


def inventory_error(inventory):
    """updateListingInventory's rules for products with variations: property values of at most
    two properties, the same properties on every product, each combination once, and a price
    (quantity, SKU) that differs between products only along the properties listed for it."""
    products = inventory["products"]
    keys = []
    for p in products:
        pvs = p.get("property_values", [])
        if not isinstance(pvs, list) or any(not isinstance(v.get("property_id"), int) or not isinstance(v.get("values"), list)
                                            or len(v["values"]) != 1 or not isinstance(v.get("value_ids", []), list) for v in pvs):
            return "property_values: each needs an integer property_id and one value"
        keys.append(tuple((v["property_id"], v["values"][0]) for v in pvs))
    ids = {tuple(pid for pid, _ in k) for k in keys}
    if len(ids) > 1:
        return "products: every product needs the same properties"
    props = next(iter(ids), ())
    if len(props) > 2:
        return "property_values: at most two properties can vary"
    if len(set(keys)) != len(keys):
        return "products: each combination of property values only once"
    for key, value in (("price_on_property", lambda p: p["offerings"][0]["price"]), ("quantity_on_property", lambda p: p["offerings"][0]["quantity"]),
                       ("sku_on_property", lambda p: p.get("sku", ""))):
        on = inventory.get(key, [])
        if any(pid not in props for pid in on):
            return "%s: names a property the products do not have" % key
        groups = {}
        for k, p in zip(keys, products):
            groups.setdefault(tuple(v for pid, v in k if pid in on), set()).add(value(p))
        if any(len(g) > 1 for g in groups.values()):
            return "%s: the values differ along a property not listed" % key
    return None


def stored_inventory(inventory):
    """The inventory as getListingInventory returns it: ids, prices as Money."""
    out = {k: inventory.get(k, []) for k in ("price_on_property", "quantity_on_property", "sku_on_property")}
    out["products"] = [{"product_id": 7000 + i, "sku": p.get("sku", ""), "property_values": p.get("property_values", []),
                        "offerings": [{"offering_id": 8000 + i, "quantity": o["quantity"], "is_enabled": o["is_enabled"],
                                       "price": {"amount": int(round(o["price"] * 100)), "divisor": 100, "currency_code": "USD"}}
                                      for o in p["offerings"]]}
                       for i, p in enumerate(inventory["products"])]
    return out


def touch(listing):
    """Marks a listing changed now (a second later than its last change at least)."""
    listing["last_modified_timestamp"] = max(int(time.time()), listing.get("last_modified_timestamp", 0) + 1)


def tee_variants(first_id, colors, sizes, cost, xl_extra):
    """A shirt provider's variants: every colour in every size, front and back print areas."""
    out, costs, n = [], {}, first_id
    for color in colors:
        for size in sizes:
            out.append({"id": n, "title": "%s / %s" % (color, size), "options": {"color": color, "size": size},
                        "placeholders": [{"position": "front", "width": 4500, "height": 5400},
                                         {"position": "back", "width": 4500, "height": 5400}]})
            costs[n] = cost + (xl_extra if size in ("XL", "2XL") else 0)
            n += 1
    return out, costs


def printify_catalog():
    """Blueprints → print providers → variants (with the cost Printify charges, which the
    catalog does not show: a product's answer carries it) and shipping, as Printify's catalog
    serves them."""
    us = {"address1": "1 Main St", "address2": None, "city": "Columbus", "country": "US", "region": "OH", "zip": "43004"}
    tees_99, costs_99 = tee_variants(12100, ["Black", "White", "Navy"], ["S", "M", "L", "XL"], 1029, 200)
    tees_29, costs_29 = tee_variants(12200, ["Black", "White"], ["S", "M", "L", "XL", "2XL"], 1189, 250)
    mugs = [{"id": 33719, "title": "11oz / White", "options": {"color": "White", "size": "11oz"},
             "placeholders": [{"position": "front", "width": 2700, "height": 1120}]},
            {"id": 33720, "title": "15oz / White", "options": {"color": "White", "size": "15oz"},
             "placeholders": [{"position": "front", "width": 2700, "height": 1120}]}]

    def shipping(ids, us_first, us_more, world_first, world_more):
        return {"handling_time": {"value": 3, "unit": "day"}, "profiles": [
            {"variant_ids": ids, "first_item": {"cost": us_first, "currency": "USD"},
             "additional_items": {"cost": us_more, "currency": "USD"}, "countries": ["US"]},
            {"variant_ids": ids, "first_item": {"cost": world_first, "currency": "USD"},
             "additional_items": {"cost": world_more, "currency": "USD"}, "countries": ["REST_OF_THE_WORLD"]}]}

    return {
        68: {"blueprint": {"id": 68, "title": "Mug 11oz", "brand": "Generic", "model": "11oz", "images": []},
             "providers": {1: {"provider": {"id": 1, "title": "SPOKE Custom Products", "location": us},
                               "variants": mugs, "costs": {33719: 450, 33720: 560},
                               "shipping": shipping([33719, 33720], 699, 399, 1299, 699)}}},
        6: {"blueprint": {"id": 6, "title": "Unisex Heavy Cotton Tee", "brand": "Gildan", "model": "5000", "images": []},
            "providers": {99: {"provider": {"id": 99, "title": "Printify Choice", "location": us},
                               "variants": tees_99, "costs": costs_99,
                               "shipping": shipping([v["id"] for v in tees_99], 475, 240, 1000, 400)},
                          29: {"provider": {"id": 29, "title": "Monster Digital",
                                            "location": dict(us, city="Las Vegas", region="NV")},
                               "variants": tees_29, "costs": costs_29,
                               "shipping": shipping([v["id"] for v in tees_29], 429, 209, 950, 450)}}},
        12: {"blueprint": {"id": 12, "title": "Unisex Jersey Short Sleeve Tee", "brand": "Bella+Canvas", "model": "3001", "images": []},
             "providers": {}},
        384: {"blueprint": {"id": 384, "title": "Poster", "brand": "Generic", "model": "Matte", "images": []},
              "providers": {}},
    }


_MOCKUP = []


def mockup_png():
    """A 300×300 PNG, green on the left and yellow on the right: a product's mockup."""
    if not _MOCKUP:
        import struct
        import zlib
        row = b"\x00" + b"\x00\xc0\x00" * 150 + b"\xff\xd0\x00" * 150

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        _MOCKUP.append(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 300, 300, 8, 2, 0, 0, 0))
                       + chunk(b"IDAT", zlib.compress(row * 300)) + chunk(b"IEND", b""))
    return _MOCKUP[0]


def fresh_state():
    return {
        "etsy": {
            "tokens": {"12345678.validtoken": 12345678},
            "refresh_tokens": ["refresh-1"],   # valid refresh tokens; each is good for one refresh
            "refreshes": 0,
            "reused_refresh": 0,              # refresh tokens presented again after rotation
            "shop_id": 5550001,
            "listings": [],          # created listings, in order
            "next_listing_id": 900000001,
            "per_second": 10,        # x-limit-per-second
            "per_day": 10000,
            "used_today": 0,
            "window": [],            # times of the calls in the last second
            "violations": 0,         # calls answered 429 because the client went too fast
            "faults": [],            # queued faults for the next calls: "500", "503", "timeout", "garbage", "truncated",
                                     # "close", "slow", "lose_answer" (a create that is done but
                                     # never answered); "POST:503" applies to the next POST only
            "retry_after": 1,
            "shipping_profiles": [{"shipping_profile_id": 777001, "title": "Standard"}, {"shipping_profile_id": 777002, "title": "Express"}],
            "sections": [{"shop_section_id": 31001, "title": "Mugs", "rank": 1}, {"shop_section_id": 31002, "title": "Shirts", "rank": 2}],
            "return_policies": [{"return_policy_id": 41001, "accepts_returns": True, "accepts_exchanges": True, "return_deadline": 30},
                                {"return_policy_id": 41002, "accepts_returns": False, "accepts_exchanges": False, "return_deadline": None}],
            "taxonomy": [{"id": 1, "name": "Clothing", "children": [{"id": 482, "name": "T-shirts", "children": []}]},
                         {"id": 2, "name": "Home & Living", "children": [{"id": 1027, "name": "Mugs", "children": []}]}],
            "receipts": [],          # the shop's sales (getShopReceipts), as Etsy answers them
            "receipt_requests": [],  # the query of each getShopReceipts
            "ledger": [],            # the payment account's ledger entries (getShopPaymentAccountLedgerEntries)
            "ledger_requests": [],   # the query of each ledger request
            "scopes": ["listings_r", "listings_w", "listings_d", "shops_r", "shops_w", "transactions_r"],  # what the tokens were granted
            "requests": 0,
            "patches": 0,
            "patched_fields": [],    # the fields of each PATCH, in order
            "inventory_puts": 0,     # updateListingInventory requests taken
            "uploaded_images": 0,    # uploadListingImage with a file
            "reranked_images": 0,    # uploadListingImage with a listing_image_id (rank, alt text)
        },
        "openai": {"key": "sk-test-123", "faults": [], "calls": 0, "reply": None, "delay": 0},
        "rss": {"faults": [], "calls": 0},
        # RFC 8628: each token poll takes the next step of the script.
        "auth": {"script": ["pending", "approve"], "interval": 1, "expires_in": 600, "google": False, "no_interval": False,
                 "polls": [], "too_fast": 0, "issued": [],
                 # tokens: each refresh token works once (rotation); "refresh": False issues none
                 "refresh": True, "token_expires_in": 3600, "refresh_tokens": [], "reused_refresh": 0},
        "printify": {
            "token": "printify-test-token",
            "shops": [{"id": 4242, "title": "My POD shop", "sales_channel": "custom_integration"}],
            "products": [],          # created products, in order
            "next_product": 1,
            "uploads": [],
            "publishes": 0,
            "catalog_calls": 0,
            "catalog": printify_catalog(),
            "next_external": 4100000001,   # the Etsy listing a product published to an Etsy shop becomes
            "mockup_fetches": 0,
            "orders": [],            # the shop's orders, oldest first
            "order_pages": 0,        # order list pages served
            "faults": [],
            "per_minute": 600,
            "window": [],
            "violations": 0,
        },
    }


STATE = fresh_state()


_BOMB = []


def gzip_bomb():
    """256 MiB of zeros as gzip (about 250 KB), made once."""
    if not _BOMB:
        import zlib
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = bytes(1 << 20)
        _BOMB.append(b"".join(z.compress(block) for _ in range(256)) + z.flush())
    return _BOMB[0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeProviders/1"

    def log_message(self, *args):  # quiet
        pass

    # --- plumbing -------------------------------------------------------------------------
    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send(self, status, obj=None, headers=None, raw=None, content_type="application/json"):
        data = raw if raw is not None else (b"" if obj is None else json.dumps(obj).encode())
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def fault(self, name, headers=None):
        """Answers with a queued fault; returns True when it did."""
        if name in ("500", "502", "503"):
            self.send(int(name), {"error": "server error"}, headers)
        elif name == "timeout":
            time.sleep(5)
            self.send(504, {"error": "late"})
        elif name == "evil":  # a refusal whose words carry escape sequences and a bidi override
            self.send(400, {"error": "bad \x1b]52;c;aGk=\x07 request \u202eevil"}, headers)
        elif name == "garbage":
            self.send(200, raw=b"<html>not json", headers=headers)
        elif name == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "200")
            self.end_headers()
            self.wfile.write(b'{"listing_id": 1, "tit')
            self.wfile.flush()
            self.close_connection = True
        elif name == "close":
            self.close_connection = True
            self.connection.shutdown(2)
        elif name == "slow":  # answered normally, late (a request in flight): 1.5 s unless set
            time.sleep(STATE["etsy"].get("slow_seconds", 1.5))
            return False
        else:
            return False
        return True

    def take_fault(self, faults):
        """The first queued fault for this method ("POST:500" only for a POST, "500" for any)."""
        for i, f in enumerate(faults):
            method, _, name = f.rpartition(":")
            if not method or method == self.command:
                del faults[i]
                return name
        return None

    def do_GET(self): self.route()
    def do_POST(self): self.route()
    def do_PUT(self): self.route()
    def do_PATCH(self): self.route()
    def do_DELETE(self): self.route()

    def route(self):
        url = urlparse(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path = url.path
        try:
            if path == "/_state":
                with LOCK:
                    return self.send(200, STATE)
            if path == "/_control":
                return self.control(json.loads(self.body() or b"{}"))
            if path.startswith("/t/"):
                return self.transport(path[3:])
            if path == "/etsy/oauth/token":
                return self.etsy_token()
            if path == "/etsy/oauth/connect":
                return self.etsy_authorize()
            if path.startswith("/etsy/v3/application/"):
                return self.etsy(path[len("/etsy/v3/application"):])
            if path.startswith("/auth/"):
                return self.device_auth(path[len("/auth"):])
            if path.startswith("/printify/v1/"):
                return self.printify(path[len("/printify/v1"):])
            if path.startswith("/printify/mockups/"):   # Printify's image host: no token
                with LOCK:
                    STATE["printify"]["mockup_fetches"] += 1
                return self.send(200, raw=mockup_png(), content_type="image/png")
            if path == "/rss":
                return self.rss()
            if path.startswith("/openai/v1/"):
                return self.openai(path[len("/openai/v1"):])
            self.send(404, {"error": "no route " + path})
        except (BrokenPipeError, ConnectionResetError):
            pass

    def control(self, change):
        global STATE
        with LOCK:
            if change.get("reset"):
                STATE = fresh_state()
            seed = change.get("etsy", {}).pop("seed", 0)  # a shop that already has this many active listings
            for service in ("etsy", "openai", "rss", "printify", "auth"):
                STATE[service].update(change.get(service, {}))
            if seed:
                e = STATE["etsy"]
                for i in range(seed):
                    listing = self.etsy_typed({
                        "title": "Seeded Moon Mug %d" % i, "description": "A mug for moon lovers.", "price": "20.00", "quantity": "5",
                        "tags": ["moon mug", "space gift"], "materials": ["ceramic"], "taxonomy_id": "482", "who_made": "i_did",
                        "when_made": "made_to_order", "shipping_profile_id": "777001"})
                    listing.update({"listing_id": e["next_listing_id"], "shop_id": e["shop_id"], "state": "active", "views": 0,
                                    "num_favorers": 0, "created_timestamp": int(time.time()),
                                    "images": [{"listing_image_id": 90000 + i, "rank": 1}]})
                    touch(listing)
                    e["next_listing_id"] += 1
                    e["listings"].append(listing)
            cat = STATE["printify"]["catalog"]
            gone = change.get("printify_remove_blueprint")  # Printify takes a blueprint off its catalog
            if gone:
                cat.pop(int(gone["id"]), None)
            gone = change.get("printify_remove_variant")  # a provider stops offering a variant
            if gone:
                pp = cat[int(gone["blueprint"])]["providers"][int(gone["provider"])]
                pp["variants"] = [v for v in pp["variants"] if v["id"] != int(gone["variant"])]
            seed = change.get("printify_seed")  # a product the seller made on printify.com
            if seed:
                pf = STATE["printify"]
                product = {"id": "prod-%d" % pf["next_product"], "title": seed["title"], "description": "", "tags": [],
                           "blueprint_id": seed["blueprint"], "print_provider_id": seed["provider"], "visible": True,
                           "variants": [{"id": v, "price": 2500, "is_enabled": True} for v in seed["variants"]],
                           "print_areas": [], "created_at": time.time(), "updated_at": time.time()}
                self.printify_costs(pf, product)
                pf["next_product"] += 1
                pf["products"].append(product)
            receipt = change.get("etsy_receipt")  # a buyer's order on Etsy
            if receipt:
                self.etsy_receipt(STATE["etsy"], receipt)
            update = change.get("etsy_receipt_update")  # a receipt changes (cancelled, refunded)
            if update:
                r = next(r for r in STATE["etsy"]["receipts"] if r["receipt_id"] == update["receipt_id"])
                r.update({k: v for k, v in update.items() if k != "receipt_id"})
                r["updated_timestamp"] = r["update_timestamp"] = int(update.get("updated_timestamp", time.time()))
            entry = change.get("etsy_ledger")  # Etsy charges a fee (or pays, or refunds one)
            if entry:
                ledger = STATE["etsy"]["ledger"]
                created = int(entry.get("created", time.time()))
                ledger.append({"entry_id": entry.get("entry_id", 9000 + len(ledger)), "ledger_id": 77, "sequence_number": len(ledger) + 1,
                               "amount": entry["amount"], "currency": entry.get("currency", "USD"), "description": entry.get("description", ""),
                               "balance": sum(x["amount"] for x in ledger) + entry["amount"], "create_date": created, "created_timestamp": created,
                               "ledger_type": entry["ledger_type"], "reference_type": entry.get("reference_type", ""),
                               "reference_id": str(entry.get("reference_id", "")), "payment_adjustments": []})
            order = change.get("printify_order")  # a buyer's order Printify fulfils
            if order:
                self.printify_order(STATE["printify"], order)
            status = change.get("printify_order_status")  # Printify moves an order on
            if status:
                o = next(o for o in STATE["printify"]["orders"] if o["id"] == status["id"])
                o["status"] = status["status"]
                for line in o["line_items"]:
                    line["status"] = status["status"]
            edit = change.get("etsy_edit")  # the seller changes a listing on etsy.com
            if edit:
                listing = next(l for l in STATE["etsy"]["listings"] if l["listing_id"] == edit["listing_id"])
                listing.update({k: v for k, v in edit.items() if k != "listing_id"})
                touch(listing)
        self.send(200, {"ok": True})

    # --- transport checks ----------------------------------------------------------------
    def transport(self, what):
        body = self.body()
        if what == "echo":
            return self.send(200, {
                "method": self.command, "path": self.path, "query": self.query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"), "client_port": self.client_address[1],
            }, headers={"X-Echo": "yes"})
        if what.startswith("status/"):
            code = int(what.split("/")[1])
            extra = {"Retry-After": self.query["retry_after"]} if "retry_after" in self.query else {}
            return self.send(code, {"status": code}, extra)
        if what == "slow":
            time.sleep(float(self.query.get("ms", "1000")) / 1000)
            return self.send(200, {"slow": True})
        if what == "gzip":
            data = gzip.compress(json.dumps({"zipped": "yes" * 100}).encode())
            if "gzip" not in (self.headers.get("Accept-Encoding") or ""):
                return self.send(406, {"error": "send Accept-Encoding: gzip"})
            return self.send(200, raw=data, headers={"Content-Encoding": "gzip"})
        if what == "bomb":  # ~250 KB of gzip that inflates to 256 MiB
            return self.send(200, raw=gzip_bomb(), headers={"Content-Encoding": "gzip"})
        if what == "endless":  # a plain body with no length, closed after `mb` MiB
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(int(float(self.query.get("mb", "64")) * 16)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if what == "announced":  # says 200 MiB are coming (and sends a little)
            self.send_response(200)
            self.send_header("Content-Length", str(200 << 20))
            self.end_headers()
            try:
                self.wfile.write(b"{}")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if what == "headers":  # a megabyte of headers
            self.send_response(200)
            for i in range(10000):
                self.send_header("X-Filler-%d" % i, "y" * 90)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
            return
        if what == "multipart":
            ctype = self.headers.get("Content-Type", "")
            msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
            parts = [{"name": p.get_param("name", header="content-disposition"), "filename": p.get_filename(),
                      "type": p.get_content_type(), "size": len(p.get_payload(decode=True) or b"")}
                     for p in msg.iter_parts()]
            return self.send(200, {"parts": parts})
        if self.fault(what):
            return
        self.send(404, {"error": "unknown check"})

    # --- Etsy Open API v3 ----------------------------------------------------------------
    def etsy_authorize(self):
        """The browser's step: PKCE S256 and state required; redirects to the redirect_uri with a
        code (or access_denied when the test says the seller refuses)."""
        q = self.query
        with LOCK:
            e = STATE["etsy"]
            if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" or not q.get("code_challenge") or not q.get("state"):
                return self.send(400, {"error": "invalid_request", "error_description": "PKCE S256 and state are required"})
            if q.get("client_id") != ETSY_KEY.split(":")[0]:
                return self.send(400, {"error": "invalid_client"})
            sep = "&" if "?" in q["redirect_uri"] else "?"
            if e.get("deny"):
                location = q["redirect_uri"] + sep + "error=access_denied&state=" + q["state"]
            else:
                code = "auth-code-%d" % (len(e.setdefault("codes", {})) + 1)
                e["codes"][code] = {"challenge": q["code_challenge"], "redirect_uri": q["redirect_uri"]}
                location = q["redirect_uri"] + sep + "code=" + code + "&state=" + q["state"]
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def etsy_token(self):
        """Etsy's token endpoint: the code is traded only with the verifier whose SHA-256 is the
        challenge; a refresh returns a new access token and a new refresh token, and the old
        refresh token is refused from then on."""
        form = {k: v[-1] for k, v in parse_qs(self.body().decode()).items()}
        with LOCK:
            e = STATE["etsy"]
            if self.command != "POST" or "application/x-www-form-urlencoded" not in (self.headers.get("Content-Type") or ""):
                return self.send(400, {"error": "invalid_request", "error_description": "POST a form"})
            if form.get("client_id") != ETSY_KEY.split(":")[0]:
                return self.send(401, {"error": "invalid_client"})
            if form.get("grant_type") == "authorization_code":
                grant = e.setdefault("codes", {}).pop(form.get("code"), None)
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self.send(400, {"error": "invalid_grant", "error_description": "unknown code or redirect_uri"})
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                    e["pkce_failures"] = e.get("pkce_failures", 0) + 1
                    return self.send(400, {"error": "invalid_grant", "error_description": "code_verifier does not match the challenge"})
                return self.etsy_issue_tokens(e)
            if form.get("grant_type") != "refresh_token":
                return self.send(400, {"error": "unsupported_grant_type"})
            token = form.get("refresh_token")
            if token not in e["refresh_tokens"]:
                e["reused_refresh"] += 1
                return self.send(400, {"error": "invalid_grant", "error_description": "refresh token is invalid or was already used"})
            e["refresh_tokens"].remove(token)
            return self.etsy_issue_tokens(e)

    def etsy_issue_tokens(self, e):
        """A new access token (good for the API) and a new refresh token (good once)."""
        e["refreshes"] += 1
        access = "12345678.access%d" % e["refreshes"]
        refresh = "refresh-%d" % (e["refreshes"] + 1)
        e["tokens"][access] = 12345678
        e["refresh_tokens"].append(refresh)
        return self.send(200, {"access_token": access, "token_type": "Bearer", "expires_in": 3600, "refresh_token": refresh})

    def etsy_rate(self, e):
        """Applies the per-second and per-day limits; returns the headers to send, or None after
        answering 429."""
        now = time.monotonic()
        e["window"] = [t for t in e["window"] if now - t < 1.0]
        e["requests"] += 1
        if len(e["window"]) >= e["per_second"]:
            e["violations"] += 1
            self.send(429, {"error": "Too many requests"}, {"Retry-After": e["retry_after"], "x-limit-per-second": e["per_second"],
                                                            "x-remaining-this-second": 0})
            return None
        e["window"].append(now)
        e["used_today"] += 1
        return {"x-limit-per-second": e.get("advertised_per_second", e["per_second"]), "x-remaining-this-second": e["per_second"] - len(e["window"]),
                "x-limit-per-day": e["per_day"], "x-remaining-today": e["per_day"] - e["used_today"]}

    def etsy(self, path):
        body = self.body()
        with LOCK:
            e = STATE["etsy"]
            if self.headers.get("x-api-key") != ETSY_KEY:
                return self.send(403, {"error": "Invalid API key: x-api-key must be 'keystring:shared_secret'"})
            rate = self.etsy_rate(e)
            if rate is None:
                return
            fault = self.take_fault(e["faults"])
            if fault == "lose_answer":
                return self.etsy_create(e, body, rate, lose_answer=True)
        if fault and self.fault(fault, rate):
            return
        with LOCK:
            auth = self.headers.get("Authorization", "")
            user = None
            if auth:
                m = re.fullmatch(r"Bearer (\d+)\.(\S+)", auth)
                if not m:
                    return self.send(401, {"error": "invalid_token", "error_description": "Bearer token must look like <user_id>.<opaque>"}, rate)
                user = e["tokens"].get(auth[len("Bearer "):])
                if user is None:
                    return self.send(401, {"error": "invalid_token", "error_description": "access token is expired or unknown"}, rate)
            if "limit" in self.query:
                try:
                    limit = int(self.query["limit"])
                except ValueError:
                    limit = -1
                if not 1 <= limit <= 100:
                    return self.send(400, {"error": "Expected int <= 100 for 'limit'"}, rate)
            limit = int(self.query.get("limit", 25))
            offset = int(self.query.get("offset", 0))

            def page(items):
                return self.send(200, {"count": len(items), "results": items[offset:offset + limit]}, rate)

            shop = "/shops/%d" % e["shop_id"]
            if path == "/users/me" and self.command == "GET":
                if user is None:
                    return self.send(401, {"error": "a Bearer token is required"}, rate)
                return self.send(200, {"user_id": user, "shop_id": e["shop_id"]}, rate)
            if path == "/listings/active" and self.command == "GET":
                # Public search: a made-up but stable count per keyword.
                keywords = self.query.get("keywords", "")
                if not keywords:
                    return self.send(400, {"error": "keywords is required"}, rate)
                return self.send(200, {"count": 1000 + sum(map(ord, keywords)) * 7, "results": []}, rate)
            if path == "/seller-taxonomy/nodes" and self.command == "GET":
                return self.send(200, {"count": len(e["taxonomy"]), "results": e["taxonomy"]}, rate)
            m = re.fullmatch(r"/seller-taxonomy/nodes/(\d+)/properties", path)
            if m and self.command == "GET":  # getPropertiesByTaxonomyId
                if int(m.group(1)) not in (1, 2, 482, 1027):
                    return self.send(404, {"error": "taxonomy node not found"}, rate)
                return self.send(200, {"count": len(TAXONOMY_PROPERTIES), "results": TAXONOMY_PROPERTIES}, rate)
            if path.startswith("/shops/") and user is None:
                return self.send(401, {"error": "a Bearer token is required"}, rate)
            if path == shop and self.command == "GET":
                return self.send(200, {"shop_id": e["shop_id"], "shop_name": "CatMugStudio", "currency_code": "USD"}, rate)
            if path == shop + "/shipping-profiles" and self.command == "GET":
                return page(e["shipping_profiles"])
            if path == shop + "/sections" and self.command == "GET":  # getShopSections
                return self.send(200, {"count": len(e["sections"]), "results": e["sections"]}, rate)
            if path == shop + "/policies/return" and self.command == "GET":  # getShopReturnPolicies
                return self.send(200, {"count": len(e["return_policies"]), "results": e["return_policies"]}, rate)
            if path == shop + "/receipts" and self.command == "GET":  # getShopReceipts
                if "transactions_r" not in e["scopes"]:
                    return self.send(403, {"error": "The OAuth token is missing the required scope: transactions_r"}, rate)
                e["receipt_requests"].append(dict(self.query))
                error = self.etsy_receipt_query(self.query)
                if error:
                    return self.send(400, {"error": error}, rate)
                q = self.query
                items = [r for r in e["receipts"]
                         if r["created_timestamp"] >= int(q.get("min_created", 0)) and r["created_timestamp"] <= int(q.get("max_created", 2 ** 40))
                         and r["updated_timestamp"] >= int(q.get("min_last_modified", 0))
                         and r["updated_timestamp"] <= int(q.get("max_last_modified", 2 ** 40))]
                key = {"updated": "updated_timestamp", "created": "created_timestamp", "receipt_id": "receipt_id"}[q.get("sort_on", "created")]
                items = sorted(items, key=lambda r: (r[key], r["receipt_id"]), reverse=q.get("sort_order", "desc") in ("desc", "descending", "down"))
                return page(items)
            if path == shop + "/payment-account/ledger-entries" and self.command == "GET":  # getShopPaymentAccountLedgerEntries
                if "transactions_r" not in e["scopes"]:
                    return self.send(403, {"error": "The OAuth token is missing the required scope: transactions_r"}, rate)
                e["ledger_requests"].append(dict(self.query))
                q = self.query
                for name in ("min_created", "max_created"):
                    if name not in q:
                        return self.send(400, {"error": "Missing required parameter '%s'" % name}, rate)
                    if not re.fullmatch(r"\d+", q[name]) or int(q[name]) < 946684800:
                        return self.send(400, {"error": "Expected int >= 946684800 for '%s'" % name}, rate)
                if "offset" in q and not re.fullmatch(r"\d+", q["offset"]):
                    return self.send(400, {"error": "Expected int >= 0 for 'offset'"}, rate)
                low, high = int(q["min_created"]), int(q["max_created"])
                if high - low > 2678400:
                    return self.send(400, {"error": "Time window between min_created and max_created must be no more than 2678400 seconds (31 days)."}, rate)
                items = sorted((x for x in e["ledger"] if low <= x["created_timestamp"] <= high), key=lambda x: -x["sequence_number"])
                return page(items)
            if path == shop + "/listings" and self.command == "GET":
                items = [l for l in e["listings"] if self.query.get("state", "active") == l["state"]]
                key = {"updated": "last_modified_timestamp", "created": "created_timestamp"}.get(self.query.get("sort_on", "created"))
                items = sorted(items, key=lambda l: (l.get(key, 0), l["listing_id"]), reverse=self.query.get("sort_order") in ("desc", "down"))
                return page(items)
            if path == shop + "/listings" and self.command == "POST":
                return self.etsy_create(e, body, rate)
            m = re.fullmatch(r"/listings/(\d+)/images", path)
            if m and self.command == "GET":
                listing = next((l for l in e["listings"] if l["listing_id"] == int(m.group(1))), None)
                if listing is None:
                    return self.send(404, {"error": "listing not found"}, rate)
                images = listing.get("images", [])
                return self.send(200, {"count": len(images), "results": images}, rate)
            m = re.fullmatch(re.escape(shop) + r"/listings/(\d+)/images", path)
            if m and self.command == "POST":
                listing = next((l for l in e["listings"] if l["listing_id"] == int(m.group(1))), None)
                if listing is None:
                    return self.send(404, {"error": "listing not found"}, rate)
                ctype = self.headers.get("Content-Type", "")
                if not ctype.startswith("multipart/form-data"):
                    return self.send(400, {"error": "image: send multipart/form-data"}, rate)
                msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
                parts = {p.get_param("name", header="content-disposition"): p for p in msg.iter_parts()}
                def text(name):
                    return (parts[name].get_payload(decode=True) or b"").decode() if name in parts else None
                alt = text("alt_text")
                if alt is not None and len(alt) > 500:
                    return self.send(400, {"error": "alt_text: at most 500 characters"}, rate)
                images = listing.setdefault("images", [])
                images.sort(key=lambda i: i["rank"])
                rank = int(text("rank") or 0) or len(images) + 1
                if text("listing_image_id") is not None:  # an image of the listing again: a new rank or alt text
                    entry = next((i for i in images if i["listing_image_id"] == int(text("listing_image_id"))), None)
                    if entry is None:
                        return self.send(404, {"error": "listing_image_id: not an image of this listing"}, rate)
                    images.remove(entry)
                    e["reranked_images"] += 1
                else:
                    image = parts.get("image")
                    if image is None or image.get_content_type() not in ("image/jpeg", "image/png", "image/gif"):
                        return self.send(400, {"error": "image: a JPEG, PNG or GIF file is required"}, rate)
                    if len(images) >= 20:
                        return self.send(400, {"error": "images: a listing has at most 20 images"}, rate)
                    e["next_image_id"] = e.get("next_image_id", 5000) + 1
                    entry = {"listing_image_id": e["next_image_id"], "size": len(image.get_payload(decode=True) or b""),
                             "created_timestamp": int(time.time()), "alt_text": ""}
                    e["uploaded_images"] += 1
                if alt is not None:
                    entry["alt_text"] = alt
                # Etsy places the image at its rank; the others move along.
                images.insert(min(rank - 1, len(images)), entry)
                for n, i in enumerate(images):
                    i["rank"] = n + 1
                return self.send(201, entry, rate)
            m = re.fullmatch(re.escape(shop) + r"/listings/(\d+)/images/(\d+)", path)
            if m and self.command == "DELETE":  # deleteListingImage: 204, no body
                listing = next((l for l in e["listings"] if l["listing_id"] == int(m.group(1))), None)
                image = next((i for i in (listing or {}).get("images", []) if i["listing_image_id"] == int(m.group(2))), None)
                if image is None:
                    return self.send(404, {"error": "image not found"}, rate)
                listing["images"].remove(image)
                e["deleted_images"] = e.get("deleted_images", 0) + 1
                return self.send(204, None, rate)
            m = re.fullmatch(re.escape(shop) + r"/listings/(\d+)", path)
            if m and self.command == "PATCH":
                listing = next((l for l in e["listings"] if l["listing_id"] == int(m.group(1))), None)
                if listing is None:
                    return self.send(404, {"error": "listing not found"}, rate)
                fields, error = self.etsy_fields(body, partial=True)
                if error:
                    return self.send(400, {"error": error}, rate)
                undeclared = sorted(set(fields) - UPDATE_LISTING_PARAMS)
                if undeclared:  # price, quantity and sku are the inventory's (updateListingInventory)
                    return self.send(400, {"error": "not parameters of updateListing: " + ", ".join(undeclared)}, rate)
                # updateListing's state: active or inactive; a draft goes active only with an image.
                if "state" in fields:
                    if fields["state"] not in ("active", "inactive"):
                        return self.send(400, {"error": "state: must be active or inactive"}, rate)
                    if fields["state"] == "active" and not listing.get("images"):
                        return self.send(400, {"error": "state: a listing needs at least one image to be active"}, rate)
                listing.update(self.etsy_typed(fields))
                e["patches"] += 1
                e["patched_fields"].append(sorted(fields))
                touch(listing)
                return self.send(200, listing, rate)
            if m and self.command == "PUT":
                return self.send(405, {"error": "use PATCH to update a listing"}, rate)
            m = re.fullmatch(r"/listings/(\d+)/inventory", path)
            if m and self.command in ("GET", "PUT"):  # getListingInventory, updateListingInventory (JSON)
                if user is None:
                    return self.send(401, {"error": "a Bearer token is required"}, rate)
                listing = next((l for l in e["listings"] if l["listing_id"] == int(m.group(1))), None)
                if listing is None:
                    return self.send(404, {"error": "listing not found"}, rate)
                if self.command == "GET":
                    return self.send(200, listing.get("inventory", {"products": [], "price_on_property": [], "quantity_on_property": [],
                                                                    "sku_on_property": []}), rate)
                if "application/json" not in self.headers.get("Content-Type", ""):
                    return self.send(400, {"error": "updateListingInventory takes application/json"}, rate)
                try:
                    inventory = json.loads(body)
                except ValueError:
                    return self.send(400, {"error": "body is not valid JSON"}, rate)
                products = inventory.get("products") if isinstance(inventory, dict) else None
                if not isinstance(products, list) or not products:
                    return self.send(400, {"error": "products: at least one product is required"}, rate)
                for p in products:
                    offerings = p.get("offerings")
                    if not isinstance(p.get("sku", ""), str) or len(p.get("sku", "")) > 32:
                        return self.send(400, {"error": "sku: a string of at most 32 characters"}, rate)
                    if not isinstance(offerings, list) or not offerings:
                        return self.send(400, {"error": "offerings: each product needs one"}, rate)
                    for o in offerings:
                        if not isinstance(o.get("price"), (int, float)) or o["price"] <= 0:
                            return self.send(400, {"error": "price: a number greater than 0"}, rate)
                        if not isinstance(o.get("quantity"), int) or not 0 <= o["quantity"] <= 999:
                            return self.send(400, {"error": "quantity: a whole number from 0 to 999"}, rate)
                        if not isinstance(o.get("is_enabled"), bool):
                            return self.send(400, {"error": "is_enabled: a boolean"}, rate)
                for key in ("price_on_property", "quantity_on_property", "sku_on_property"):
                    if not isinstance(inventory.get(key, []), list):
                        return self.send(400, {"error": "%s: a list of property ids" % key}, rate)
                error = inventory_error(inventory)
                if error:
                    return self.send(400, {"error": error}, rate)
                inventory = stored_inventory(inventory)
                # The listing shows the lowest enabled price and the enabled quantity in all.
                listing["inventory"] = inventory
                enabled = [o for p in inventory["products"] for o in p["offerings"] if o["is_enabled"]]
                if enabled:
                    listing["price"] = dict(min((o["price"] for o in enabled), key=lambda m: m["amount"]))
                    listing["quantity"] = sum(o["quantity"] for o in enabled)
                touch(listing)
                e["inventory_puts"] += 1
                return self.send(200, inventory, rate)
            m = re.fullmatch(r"/listings/(\d+)", path)
            if m and self.command == "DELETE":  # deleteListing: 204, no body
                if user is None:
                    return self.send(401, {"error": "a Bearer token is required"}, rate)
                listing = next((l for l in e["listings"] if l["listing_id"] == int(m.group(1))), None)
                if listing is None:
                    return self.send(404, {"error": "listing not found"}, rate)
                e["listings"].remove(listing)
                e["deleted"] = e.get("deleted", 0) + 1
                return self.send(204, None, rate)
            if path.startswith("/shops/") and not path.startswith(shop):
                return self.send(403, {"error": "this token does not own that shop"}, rate)
            return self.send(404, {"error": "no route " + path}, rate)

    def etsy_fields(self, body, partial):
        ctype = self.headers.get("Content-Type", "")
        if "application/x-www-form-urlencoded" in ctype:
            raw = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            for key in ("tags", "materials", "styles"):
                if key in raw:
                    raw[key] = [t for t in raw[key].split(",") if t] if raw[key] else []
        elif "application/json" in ctype:
            try:
                raw = json.loads(body)
            except ValueError:
                return None, "body is not valid JSON"
        else:
            return None, "Content-Type must be application/x-www-form-urlencoded or application/json"
        required = ["quantity", "title", "description", "price", "who_made", "when_made", "taxonomy_id"]
        if not partial:
            missing = [k for k in required if k not in raw or raw[k] in ("", None)]
            if missing:
                return None, "Missing required parameter(s): " + ", ".join(missing)
        title = raw.get("title")
        if title is not None:
            if len(title) > 140:
                return None, "title: must be 140 characters or fewer"
            refused = title_refused(title)
            if refused:
                return None, "title: contains characters that are not allowed: " + "".join(dict.fromkeys(refused))
            for c in "%:&+":
                if title.count(c) > 1:
                    return None, "title: the character %s may appear only once" % c
        tags = raw.get("tags")
        if tags is not None:
            if len(tags) > 13:
                return None, "tags: at most 13 tags"
            for t in tags:
                if len(t) > 20 or not TAG_ALLOWED.match(t):
                    return None, "tags: '%s' is not a valid tag" % t
        for m in raw.get("materials") or []:
            if not MATERIAL_ALLOWED.match(m):
                return None, "materials: '%s' is not a valid material" % m
        if "price" in raw:
            try:
                if float(raw["price"]) <= 0:
                    return None, "price: must be greater than 0"
            except (TypeError, ValueError):
                return None, "price: must be a number"
        if "quantity" in raw:
            try:
                if int(raw["quantity"]) < 1:
                    return None, "quantity: must be at least 1"
            except (TypeError, ValueError):
                return None, "quantity: must be an integer"
        if raw.get("who_made") not in (None, "i_did", "someone_else", "collective"):
            return None, "who_made: must be one of i_did, someone_else, collective"
        if raw.get("when_made") not in [None] + WHEN_MADE:
            return None, "when_made: must be one of " + ", ".join(WHEN_MADE)
        shop = STATE["etsy"]
        for key, known in (("shop_section_id", [s["shop_section_id"] for s in shop["sections"]]),
                           ("return_policy_id", [p["return_policy_id"] for p in shop["return_policies"]])):
            if raw.get(key) not in (None, ""):
                try:
                    if int(raw[key]) not in known:
                        return None, "%s: not one of the shop's" % key
                except (TypeError, ValueError):
                    return None, "%s: must be an integer" % key
        return raw, None

    @staticmethod
    def etsy_typed(fields):
        """Form fields as Etsy returns them: numbers as numbers, the price as Money."""
        out = dict(fields)
        for key in ("quantity", "taxonomy_id", "shipping_profile_id", "shop_section_id", "return_policy_id"):
            if key in out:
                out[key] = int(out[key])
        if "price" in out:
            out["price"] = {"amount": int(round(float(out["price"]) * 100)), "divisor": 100, "currency_code": "USD"}
        if "styles" in out:  # sent as `styles`, returned as `style` (ShopListing)
            out["style"] = out.pop("styles")
        return out

    def etsy_create(self, e, body, rate, lose_answer=False):
        fields, error = self.etsy_fields(body, partial=False)
        if error:
            return self.send(400, {"error": error}, rate)
        if int(fields.get("taxonomy_id") or 0) not in (1, 2, 482, 1027):
            return self.send(400, {"error": "taxonomy_id: unknown taxonomy node"}, rate)
        listing = self.etsy_typed(fields)
        listing.update({"listing_id": e["next_listing_id"], "shop_id": e["shop_id"], "state": "draft",
                        "views": 0, "num_favorers": 0, "created_timestamp": int(time.time())})
        touch(listing)
        e["next_listing_id"] += 1
        e["listings"].append(listing)
        if lose_answer:  # created, but the answer never arrives (a crash, a cut line)
            self.close_connection = True
            self.connection.shutdown(2)
            return
        return self.send(201, listing, rate)

    @staticmethod
    def etsy_receipt_query(q):
        """getShopReceipts' parameters as Etsy's Open API v3 declares them."""
        for name in ("min_created", "max_created", "min_last_modified", "max_last_modified"):
            if name in q:
                if not re.fullmatch(r"\d+", q[name]) or int(q[name]) < 946684800:
                    return "Expected int >= 946684800 for '%s'" % name
        if "offset" in q and not re.fullmatch(r"\d+", q["offset"]):
            return "Expected int >= 0 for 'offset'"
        if q.get("sort_on", "created") not in ("created", "updated", "receipt_id"):
            return "sort_on must be one of created, updated, receipt_id"
        if q.get("sort_order", "desc") not in ("asc", "ascending", "desc", "descending", "up", "down"):
            return "sort_order must be one of asc, ascending, desc, descending, up, down"
        for name in ("was_paid", "was_shipped", "was_delivered", "was_canceled"):
            if name in q and q[name] not in ("true", "false"):
                return "Expected boolean for '%s'" % name
        return None

    @staticmethod
    def etsy_receipt(e, spec):
        """A buyer's receipt: lines of a listing's units at a price, with shipping (USD, Money)."""
        def money(cents):
            return {"amount": cents, "divisor": 100, "currency_code": "USD"}
        created = int(spec.get("created", time.time()))
        rid = spec.get("receipt_id", 3000 + len(e["receipts"]))
        lines, items, shipping = [], 0, 0
        for i, line in enumerate(spec["lines"]):
            q, price, ship = line.get("quantity", 1), line.get("price", 2500), line.get("shipping", 0)
            items, shipping = items + price * q, shipping + ship
            lines.append({"transaction_id": rid * 100 + i, "receipt_id": rid, "listing_id": line["listing_id"], "title": line.get("title", "Item"),
                          "quantity": q, "price": money(price), "shipping_cost": money(ship), "created_timestamp": created})
        tax = spec.get("tax", 0)
        e["receipts"].append({"receipt_id": rid, "status": spec.get("status", "paid"), "is_paid": True, "is_shipped": False,
                              "created_timestamp": created, "create_timestamp": created,
                              "updated_timestamp": int(spec.get("updated", created)), "update_timestamp": int(spec.get("updated", created)),
                              "grandtotal": money(items + shipping + tax), "subtotal": money(items), "total_price": money(items),
                              "total_shipping_cost": money(shipping), "total_tax_cost": money(tax), "total_vat_cost": money(0),
                              "discount_amt": money(0), "refunds": [], "transactions": lines})

    # --- Printify API v1 -----------------------------------------------------------------------
    def printify(self, path):
        body = self.body()
        with LOCK:
            p = STATE["printify"]
            if not self.headers.get("User-Agent"):
                return self.send(400, {"error": "User-Agent header is required"})
            if self.headers.get("Authorization") != "Bearer " + p["token"]:
                return self.send(401, {"error": "Unauthenticated."})
            now = time.monotonic()
            p["window"] = [t for t in p["window"] if now - t < 60]
            if len(p["window"]) >= p["per_minute"]:
                p["violations"] += 1
                return self.send(429, {"error": "Too Many Attempts."}, {"Retry-After": 1})
            p["window"].append(now)
            fault = self.take_fault(p["faults"]) if "/products" in path else None  # faults hit product calls
            if fault == "lose_answer" and self.command == "POST" and path.endswith("/products.json"):
                self.printify_create(p, body)
                self.close_connection = True
                self.connection.shutdown(2)
                return
        if fault and self.fault(fault):
            return
        with LOCK:
            if path == "/shops.json":
                return self.send(200, p["shops"])
            if path.startswith("/catalog/"):
                p["catalog_calls"] += 1
                cat = p["catalog"]
                if path == "/catalog/blueprints.json":
                    return self.send(200, [b["blueprint"] for b in cat.values()])
                m = re.fullmatch(r"/catalog/blueprints/(\d+)/print_providers\.json", path)
                if m:
                    b = cat.get(int(m.group(1)))
                    if b is None:
                        return self.send(404, {"status": "error", "code": 8101, "message": "Blueprint not found."})
                    return self.send(200, [pp["provider"] for pp in b["providers"].values()])
                m = re.fullmatch(r"/catalog/blueprints/(\d+)/print_providers/(\d+)/(variants|shipping)\.json", path)
                if m:
                    pp = cat.get(int(m.group(1)), {}).get("providers", {}).get(int(m.group(2)))
                    if pp is None:
                        return self.send(404, {"status": "error", "code": 8101, "message": "Print provider not found."})
                    if m.group(3) == "shipping":
                        return self.send(200, pp["shipping"])
                    return self.send(200, {"id": int(m.group(2)), "title": pp["provider"]["title"], "variants": pp["variants"]})
                return self.send(404, {"error": "Not found"})
            if path == "/uploads/images.json" and self.command == "POST":
                req = json.loads(body or b"{}")
                if not req.get("file_name") or not (req.get("url") or req.get("contents")):
                    return self.send(400, {"error": "file_name and url or contents are required"})
                image = {"id": "img-%d" % (len(p["uploads"]) + 1), "file_name": req["file_name"], "size": len(req.get("contents", ""))}
                p["uploads"].append(image)
                return self.send(200, image)
            m = re.fullmatch(r"/shops/(\d+)/products\.json", path)
            if m:
                if int(m.group(1)) not in [s["id"] for s in p["shops"]]:
                    return self.send(404, {"error": "Shop not found"})
                if self.command == "GET":
                    limit = int(self.query.get("limit", 10))
                    if not 1 <= limit <= 50:
                        return self.send(400, {"error": "limit must be between 1 and 50"})
                    page = int(self.query.get("page", 1))
                    items = p["products"][::-1]
                    last = max(1, (len(items) + limit - 1) // limit)
                    data = items[(page - 1) * limit:page * limit]
                    nxt = "/v1/shops/%s/products.json?page=%d&limit=%d" % (m.group(1), page + 1, limit) if page < last else None
                    return self.send(200, {"current_page": page, "last_page": last, "data": data, "next_page_url": nxt, "total": len(items)})
                if self.command == "POST":
                    product, error = self.printify_create(p, body)
                    if error:
                        return self.send(400, {"error": error})
                    return self.send(200, product)
            m = re.fullmatch(r"/shops/(\d+)/orders\.json", path)
            if m and self.command == "GET":
                # Printify's order list: newest first, at most 10 a page.
                limit = int(self.query.get("limit", 10))
                if not 1 <= limit <= 10:
                    return self.send(400, {"status": "error", "code": 8502, "message": "limit must be between 1 and 10"})
                p["order_pages"] += 1
                page = int(self.query.get("page", 1))
                items = sorted(p["orders"], key=lambda o: -o["_created"])
                last = max(1, (len(items) + limit - 1) // limit)
                data = [{k: v for k, v in o.items() if not k.startswith("_")} for o in items[(page - 1) * limit:page * limit]]
                nxt = "/v1/shops/%s/orders.json?page=%d&limit=%d" % (m.group(1), page + 1, limit) if page < last else None
                return self.send(200, {"current_page": page, "last_page": last, "data": data, "next_page_url": nxt, "total": len(items)})
            m = re.fullmatch(r"/shops/(\d+)/products/([\w-]+)(\.json|/publish\.json)", path)
            if m:
                product = next((x for x in p["products"] if x["id"] == m.group(2)), None)
                if product is None:
                    return self.send(404, {"error": "Product not found"})
                if m.group(3) == "/publish.json" and self.command == "POST":
                    p["publishes"] += 1
                    product["visible"] = True
                    # A shop linked to Etsy: publishing makes the Etsy listing.
                    if p["shops"][0]["sales_channel"] == "etsy" and not product.get("external"):
                        lid = p["next_external"]
                        p["next_external"] += 1
                        product["external"] = {"id": str(lid), "handle": "https://www.etsy.com/listing/%d" % lid}
                    return self.send(200, {})
                if self.command == "PUT":
                    req = json.loads(body or b"{}")
                    error = self.printify_check(p, dict(product, **req))
                    if error:
                        return self.send(400, {"status": "error", "code": 8150, "message": "Validation failed.", "errors": {"reason": error, "code": 8150}})
                    for k in ("title", "description", "tags", "variants", "print_areas"):
                        if k in req:
                            product[k] = req[k]
                    self.printify_costs(p, product)
                    product["updated_at"] = time.time()
                    return self.send(200, product)
                if self.command == "DELETE":
                    p["products"].remove(product)
                    return self.send(200, {})
                if self.command == "PATCH":
                    return self.send(405, {"error": "use PUT to update a product"})
                if self.command == "GET":
                    return self.send(200, product)
            return self.send(404, {"error": "no route " + path})

    def printify_create(self, p, body):
        try:
            req = json.loads(body)
        except ValueError:
            return None, "body is not JSON"
        missing = [k for k in ("title", "description", "blueprint_id", "print_provider_id", "variants", "print_areas") if k not in req]
        if missing:
            return None, "Missing fields: " + ", ".join(missing)
        error = self.printify_check(p, req)
        if error:
            return None, "Validation failed. " + error
        product = dict(req)
        pid = "prod-%d" % p["next_product"]
        base = "http://%s/printify/mockups/" % self.headers.get("Host")
        ids = [v["id"] for v in req["variants"]]
        product.update({"id": pid, "shop_id": p["shops"][0]["id"], "visible": False,
                        "created_at": time.time(), "updated_at": time.time(),
                        # Printify makes mockups of a product it creates (the default first)
                        "images": [{"src": base + pid + "-front.png", "variant_ids": ids, "position": "front", "is_default": True},
                                   {"src": base + pid + "-back.png", "variant_ids": ids, "position": "back", "is_default": False}]})
        self.printify_costs(p, product)
        p["next_product"] += 1
        p["products"].append(product)
        return product, None

    @staticmethod
    def printify_check(p, req):
        """Printify's product rules: a blueprint the catalog has, a provider that prints it,
        variants that provider offers, positive prices in cents, print areas that exist for
        those variants, and uploaded images."""
        bp = p["catalog"].get(req.get("blueprint_id"))
        if bp is None:
            return "blueprint_id: the blueprint %s is not in the catalog" % req.get("blueprint_id")
        pp = bp["providers"].get(req.get("print_provider_id"))
        if pp is None:
            return "print_provider_id: %s does not print blueprint %s" % (req.get("print_provider_id"), req.get("blueprint_id"))
        offered = {v["id"]: v for v in pp["variants"]}
        for v in req["variants"]:
            if v.get("id") not in offered:
                return "variants: the variant %s is not offered by this provider" % v.get("id")
            if not isinstance(v.get("price"), int) or isinstance(v.get("price"), bool) or v["price"] <= 0:
                return "variants.price must be a positive integer (cents)"
        images = {u["id"] for u in p["uploads"]}
        for area in req["print_areas"]:
            for vid in area.get("variant_ids", []):
                if vid not in offered:
                    return "print_areas: the variant %s is not offered by this provider" % vid
            for ph in area.get("placeholders", []):
                positions = {x["position"] for vid in area.get("variant_ids", []) for x in offered[vid]["placeholders"]}
                if ph.get("position") not in positions:
                    return "print_areas: no print area %s" % ph.get("position")
                for img in ph.get("images", []):
                    if img.get("id") not in images:
                        return "print_areas: unknown image " + str(img.get("id"))
                    if not (0 <= img.get("x", -1) <= 1 and 0 <= img.get("y", -1) <= 1 and img.get("scale", 0) > 0):
                        return "print_areas: x and y must be within 0 and 1, scale above 0"
        return None

    @staticmethod
    def printify_order(p, spec):
        """An order of a product's variants: each line costs the variant's cost per unit, and
        ships at the provider's first-item rate plus its additional-item rate per further unit
        (to the US). The order's totals are the sums of its lines (USD cents)."""
        product = next(x for x in p["products"] if x["id"] == spec["product"])
        pp = p["catalog"][product["blueprint_id"]]["providers"][product["print_provider_id"]]
        lines = []
        for line in spec["lines"]:
            rate = next(r for r in pp["shipping"]["profiles"] if line["variant"] in r["variant_ids"])
            q = line.get("quantity", 1)
            lines.append({"product_id": product["id"], "variant_id": line["variant"], "quantity": q,
                          "print_provider_id": product["print_provider_id"], "cost": pp["costs"][line["variant"]] * q,
                          "shipping_cost": rate["first_item"]["cost"] + rate["additional_items"]["cost"] * (q - 1),
                          "status": spec.get("status", "in-production"),
                          "metadata": {"title": product["title"], "price": 2500, "variant_label": str(line["variant"]), "country": "US"}})
        created = spec.get("created", time.time())
        p["orders"].append({
            "id": spec.get("id", "order-%d" % (len(p["orders"]) + 1)), "status": spec.get("status", "in-production"),
            "line_items": lines, "total_price": sum(l["cost"] for l in lines), "total_shipping": sum(l["shipping_cost"] for l in lines),
            "total_tax": 0, "shipping_method": 1, "metadata": {"order_type": "external", "shop_order_id": spec.get("shop_order", 3000 + len(p["orders"]))},
            "created_at": time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(created)), "_created": created})

    @staticmethod
    def printify_costs(p, product):
        """A product's variants carry what Printify charges for each (cents)."""
        pp = p["catalog"].get(product["blueprint_id"], {}).get("providers", {}).get(product["print_provider_id"], {})
        for v in product["variants"]:
            if v.get("id") in pp.get("costs", {}):
                v["cost"] = pp["costs"][v["id"]]

    # --- an RFC 8628 authorization server ----------------------------------------------------
    def device_auth(self, path):
        body = self.body()
        form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
        base = "http://%s/auth" % self.headers.get("Host")
        with LOCK:
            a = STATE["auth"]
            if path == "/.well-known/oauth-authorization-server":
                return self.send(200, {"issuer": base, "device_authorization_endpoint": base + "/device", "token_endpoint": base + "/token"})
            if path == "/device" and self.command == "POST":
                if form.get("client_id") != "podpusher":
                    return self.send(401, {"error": "invalid_client"})
                answer = {"device_code": "dev-code-1", "user_code": "WDJB-MJHT", "expires_in": a["expires_in"],
                          "verification_uri_complete": base + "/activate?code=WDJB-MJHT"}
                answer["verification_url" if a["google"] else "verification_uri"] = base + "/activate"
                if not a["no_interval"]:
                    answer["interval"] = a["interval"]
                a["current_interval"] = a["interval"] if not a["no_interval"] else 5
                return self.send(200, answer)
            if path == "/token" and self.command == "POST" and form.get("grant_type") == "refresh_token":
                if form.get("client_id") != "podpusher" or form.get("refresh_token") not in a["refresh_tokens"]:
                    a["reused_refresh"] += 1
                    return self.send(400, {"error": "invalid_grant", "error_description": "refresh token is invalid or was already used"})
                a["refresh_tokens"].remove(form["refresh_token"])
                return self.device_issue_tokens(a)
            if path == "/token" and self.command == "POST":
                if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:device_code" or form.get("device_code") != "dev-code-1":
                    return self.send(400, {"error": "invalid_grant"})
                now = time.monotonic()
                if a["polls"] and now - a["polls"][-1] < a["current_interval"] - 0.05:
                    a["too_fast"] += 1
                    a["polls"].append(now)
                    a["current_interval"] += 5
                    return self.send(400, {"error": "slow_down"})
                a["polls"].append(now)
                step = a["script"].pop(0) if a["script"] else "pending"
                if step == "pending":
                    return self.send(400, {"error": "authorization_pending"})
                if step == "slow_down":
                    a["current_interval"] += 5
                    return self.send(400, {"error": "slow_down"})
                if step == "deny":
                    return self.send(400, {"error": "access_denied"})
                if step == "expire":
                    return self.send(400, {"error": "expired_token"})
                if step == "garbage":
                    return self.send(200, raw=b"<html>", content_type="text/html")
                return self.device_issue_tokens(a)
            if path == "/me":
                if self.headers.get("Authorization", "")[len("Bearer "):] not in a["issued"]:
                    return self.send(401, {"error": "invalid_token"})
                return self.send(200, {"name": "Acme Seller"})
        return self.send(404, {"error": "no route"})

    def device_issue_tokens(self, a):
        """A new access token and, unless turned off, a new refresh token good once."""
        token = "device-token-%d" % (len(a["issued"]) + 1)
        a["issued"].append(token)
        answer = {"access_token": token, "token_type": "Bearer", "expires_in": a["token_expires_in"]}
        if a["refresh"]:
            answer["refresh_token"] = "device-refresh-%d" % len(a["issued"])
            a["refresh_tokens"].append(answer["refresh_token"])
        return self.send(200, answer)

    # --- an RSS trend feed (Google Trends' daily RSS shape) ----------------------------------
    def rss(self):
        with LOCK:
            r = STATE["rss"]
            r["calls"] += 1
            fault = self.take_fault(r["faults"])
        if fault == "not_rss":
            return self.send(200, raw=b"<html><body>Sign in</body></html>", content_type="text/html")
        if fault == "bomb":
            return self.send(200, raw=gzip_bomb(), headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml")
        if fault == "hostile":
            # 20,000 items with attributes (a string scanner went quadratic on them), among them a
            # traffic of NaN, one past any integer, and a title with an escape sequence.
            items = ['<item id="%d" kind="trend"><title>kw %d</title><ht:approx_traffic>%s</ht:approx_traffic></item>'
                     % (i, i, "nan" if i == 5 else "99999999999999999999+" if i == 6 else "%d+" % (i + 1)) for i in range(20000)]
            items.append('<item><title>evil \x1b]52;c;aGk=\x07 title</title><ht:approx_traffic>10+</ht:approx_traffic></item>')
            xml = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                   '<rss version="2.0" xmlns:ht="https://trends.google.com/trending/rss"><channel>%s</channel></rss>' % "".join(items))
            return self.send(200, raw=xml.encode(), content_type="application/rss+xml")
        if fault and self.fault(fault):
            return
        geo = self.query.get("geo", "US")
        items = [("Cat Mug &amp; Tea", "20,000+", "Thu, 26 Nov 2026 20:00:00 -0800"),
                 ("<![CDATA[Retro Cat Shirt]]>", "5K+", "Fri, 27 Nov 2026 08:00:00 +0000"),
                 ("thanksgiving " + geo.lower(), "200,000+", "Thu, 26 Nov 2026 10:00:00 -0800"),
                 ("no traffic here", None, None)]
        body = "".join("<item><title>%s</title>%s%s</item>" % (t, "<ht:approx_traffic>%s</ht:approx_traffic>" % a if a else "",
                                                               "<pubDate>%s</pubDate>" % d if d else "") for t, a, d in items)
        xml = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:ht="https://trends.google.com/trending/rss">'
               '<channel><title>Daily Search Trends</title>%s</channel></rss>' % body)
        self.send(200, raw=xml.encode(), content_type="application/rss+xml")

    # --- OpenAI-compatible ---------------------------------------------------------------
    def openai(self, path):
        body = self.body()
        with LOCK:
            o = STATE["openai"]
            o["calls"] += 1
            fault = self.take_fault(o["faults"])
            delay = o["delay"]
            reply = o["reply"]
        if delay:
            time.sleep(delay)
        if fault and self.fault(fault):
            return
        if self.headers.get("Authorization") != "Bearer " + o["key"]:
            return self.send(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
        if path != "/chat/completions" or self.command != "POST":
            return self.send(404, {"error": {"message": "no route"}})
        try:
            req = json.loads(body)
            messages = req["messages"]
            assert isinstance(messages, list) and messages and "model" in req
        except (ValueError, KeyError, AssertionError, TypeError):
            return self.send(400, {"error": {"message": "model and messages are required", "type": "invalid_request_error"}})
        content = reply if reply is not None else json.dumps({
            "title": "Handmade Cat Mug for Coffee Lovers, Funny Cat Gift",
            "description": "A sturdy ceramic mug for cat people.\n\nDishwasher safe.",
            "tags": ["cat mug", "cat lover gift", "coffee mug"]})
        self.send(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": req["model"],
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("listening on %d" % server.server_address[1], flush=True)
    end_with_parent()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
