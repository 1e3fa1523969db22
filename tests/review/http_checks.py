"""The review server's answers to good, bad and hostile requests, and two
clients (and two servers on one database) writing at once.
Usage: http_checks.py URL [URL2]  (URL2: a second server, same database)."""
import http.client
import json
import socket
import sys
import threading
import urllib.parse

URL = sys.argv[1]
u = urllib.parse.urlparse(URL)
HOST, PORT = u.hostname, u.port
failures = []


def req(method, path, body=None, headers=None, host=None, port=PORT):
    c = http.client.HTTPConnection(HOST, port, timeout=20)
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    c.putheader("Host", host if host is not None else "%s:%d" % (HOST, port))
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        c.putheader("Content-Length", str(len(data)))
    c.endheaders(data)
    r = c.getresponse()
    out = r.status, r.getheader("Content-Type") or "", r.read()
    c.close()
    return out


def expect(what, got, want, needle=None):
    status, ctype, body = got
    ok = status == want and (needle is None or needle.encode() in body)
    if status >= 400 and ok:
        # every refusal says why, as JSON
        try:
            ok = bool(json.loads(body)["error"])
        except Exception:
            ok = False
    if not ok:
        failures.append("%s: want %d%s, got %d %r" % (what, want,
                        " with %r" % needle if needle else "", status, body[:200]))


J = {"Content-Type": "application/json"}


def unpaired_id():
    return json.loads(req("GET", "/api/pairs?status=unpaired&limit=1")[2])["pairs"][0]["id"]


expect("page", req("GET", "/"), 200, "bitext review")
expect("pairs", req("GET", "/api/pairs"), 200, '"total":33')
first = json.loads(req("GET", "/api/pairs?limit=1")[2])["pairs"][0]
if first["status"] != "partial":
    failures.append("worst first: the first pair is %s" % first["status"])
expect("filter", req("GET", "/api/pairs?status=mismatch"), 200, '"total":2')
expect("filter score", req("GET", "/api/pairs?status=all&min=0.99&max=1"), 200, '"total":')
expect("findings", req("GET", "/api/findings"), 200, "caption-title-mismatch")
page = json.loads(req("GET", "/api/findings?kind=title-variant&offset=1&limit=5")[2])["groups"]
if len(page) != 1 or page[0]["count"] != 2 or [f["id"] for f in page[0]["findings"]] != [1]:
    failures.append("findings by kind, from an offset: %r" % page)
# the evidence behind a score: the judge's inputs, largest first, each its
# weight times its value, the starting point (bias) last
mis = json.loads(req("GET", "/api/pairs?status=mismatch&limit=1")[2])["pairs"][0]
st, _, body = req("GET", "/api/pairs/%d/evidence" % mis["id"])
ev = json.loads(body) if st == 200 else {}
rs = ev.get("reasons", [])
sizes = [abs(r["contribution"]) for r in rs[:-1]]
if st != 200 or not rs or rs[-1]["feature"] != "bias" or sizes != sorted(sizes, reverse=True) \
        or any(abs(r["weight"] * r["value"] - r["contribution"]) > 1e-9 for r in rs) \
        or not all(r["says"] for r in rs) or ev.get("own_status") != "mismatch" or not ev.get("facts"):
    failures.append("evidence of pair %d: %d %r" % (mis["id"], st, body[:300]))
expect("evidence of an unpaired segment", req("GET", "/api/pairs/%d/evidence" % unpaired_id()), 200,
       '"reasons":[]')
expect("evidence: no such pair", req("GET", "/api/pairs/999/evidence"), 404)
expect("evidence: id not a number", req("GET", "/api/pairs/abc/evidence"), 400)
expect("evidence: negative id", req("GET", "/api/pairs/-1/evidence"), 400)
expect("evidence: id too long", req("GET", "/api/pairs/99999999999999999999/evidence"), 400)
expect("evidence: no id", req("GET", "/api/pairs//evidence"), 400)
expect("evidence: other page", req("GET", "/api/pairs/1/reasons"), 404)
expect("evidence by POST", req("POST", "/api/pairs/1/evidence", b"{}", J), 405)
expect("split without a credit", req("POST", "/api/decide", {"pair": mis["id"], "action": "split"}, J),
       400, "no photo credit")
expect("findings bad offset", req("GET", "/api/findings?offset=-1"), 400)
expect("no such page", req("GET", "/nope"), 404)
expect("page by POST", req("POST", "/", b"x", J), 405)
expect("decide by GET", req("GET", "/api/decide"), 405)
expect("no content type", req("POST", "/api/decide", {"pair": 1, "action": "reject"}), 415)
bad = [
    ("not JSON", b"{nope"),
    ("not an object", b"[1,2]"),
    ("empty", b""),
    ("pair out of range", {"pair": 999, "action": "reject"}),
    ("negative pair", {"pair": -1, "action": "reject"}),
    ("pair not a number", {"pair": "1", "action": "reject"}),
    ("no action", {"pair": 1}),
    ("unknown action", {"pair": 1, "action": "frobnicate"}),
    ("fix without line", {"pair": 1, "action": "fix"}),
    ("fix to no such line", {"pair": 1, "action": "fix", "line": 100000}),
    ("fix to itself", {"pair": 0, "action": "fix", "line": 7}),
    ("edit empty", {"pair": 1, "action": "edit", "vi": "", "en": "x"}),
    ("edit not text", {"pair": 1, "action": "edit", "vi": 5, "en": "x"}),
    ("pair and finding", {"pair": 1, "finding": 0, "action": "reject"}),
    ("neither", {"action": "reject"}),
    ("who too long", {"pair": 1, "action": "reject", "who": "x" * 500}),
    ("who empty", {"pair": 1, "action": "reject", "who": ""}),
    ("finding out of range", {"finding": 99, "action": "fixed"}),
    ("variant not of the finding", {"finding": 0, "action": "accept-variant", "en": "Nope"}),
    ("house without en", {"finding": 0, "action": "house"}),
    ("duplicate keys", b'{"pair":1,"pair":2,"action":"reject"}'),
    ("NUL in text", b'{"pair":1,"action":"edit","vi":"a\\u0000b","en":"c"}'),
]
for what, body in bad:
    expect(what, req("POST", "/api/decide", body, J), 400)
unpaired = json.loads(req("GET", "/api/pairs?status=unpaired&limit=1")[2])["pairs"][0]["id"]
expect("accept unpaired", req("POST", "/api/decide", {"pair": unpaired, "action": "accept"}, J), 400)
expect("too large", req("POST", "/api/decide", b"{" + b" " * (1 << 21) + b"}", J), 413)
# other origins, and names of other hosts (DNS rebinding)
expect("other origin", req("GET", "/api/pairs", headers={"Origin": "http://evil.example"}), 403)
expect("other origin POST", req("POST", "/api/decide", {"pair": 1, "action": "reject"},
       dict(J, Origin="http://evil.example")), 403)
expect("null origin", req("GET", "/", headers={"Origin": "null"}), 403)
expect("https origin", req("GET", "/", headers={"Origin": "https://%s:%d" % (HOST, PORT)}), 403)
expect("other host", req("GET", "/api/pairs", host="evil.example:%d" % PORT), 403)
expect("no host", req("GET", "/api/pairs", host=""), 400)
expect("own origin", req("GET", "/api/pairs", headers={"Origin": "http://%s:%d" % (HOST, PORT)}), 200)
expect("localhost", req("GET", "/", host="localhost:%d" % PORT,
       headers={"Origin": "http://localhost:%d" % PORT}), 200)
# bytes that are not HTTP: the server carries on
s = socket.create_connection((HOST, PORT))
s.sendall(b"\x00\xff garbage \r\n\r\n")
try:
    s.recv(100)
except OSError:
    pass
s.close()
expect("alive after garbage", req("GET", "/api/pairs?limit=1"), 200)

# two clients at once on one server, and a second server on the same
# database: every decision kept
pairs = json.loads(req("GET", "/api/pairs?limit=1000")[2])["pairs"]
ids = sorted(p["id"] for p in pairs)


def client(name, mine, port):
    for i in mine:
        st = req("POST", "/api/decide", {"pair": i, "action": "reject", "who": name}, J,
                 port=port)[0]
        if st != 200:
            failures.append("%s: pair %d: %d" % (name, i, st))


ports = [PORT, PORT]
if len(sys.argv) > 2:
    ports[1] = urllib.parse.urlparse(sys.argv[2]).port
ts = [threading.Thread(target=client, args=("one", ids[0::2], ports[0])),
      threading.Thread(target=client, args=("two", ids[1::2], ports[1]))]
for t in ts:
    t.start()
for t in ts:
    t.join()
decided = json.loads(req("GET", "/api/pairs?status=decided&limit=1000")[2])["total"]
if decided != len(ids):
    failures.append("two clients: %d of %d decisions kept" % (decided, len(ids)))

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
