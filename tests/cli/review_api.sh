#!/bin/sh
# bitext review over HTTP without a browser (tests/review/http_checks.py):
# the API, 4xx with a message for bad requests, other origins and hosts
# refused, two clients and two servers writing to one database at once;
# then the token of --listen, SIGTERM, and the command's usage errors.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT
PY=/usr/bin/python3
cp -r "$TOP/corpus/samples" samples
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done' EXIT

# start_server OUTFILE ARGS...: the server in the background, its URL in $url
start_server() {
    out=$1; shift
    $B review -q --port 0 "$@" > "$out" 2> "$out.err" &
    pid=$!
    pids="$pids $pid"
    i=0
    while ! grep -q 'review at' "$out" 2>/dev/null; do
        i=$((i + 1))
        [ $i -gt 100 ] && { cat "$out.err"; fail "server did not start"; }
        kill -0 $pid 2>/dev/null || { cat "$out.err"; fail "server exited"; }
        sleep 0.1
    done
    url=$(sed -n 's/^bitext: review at \(http[^ ]*\) .*/\1/p' "$out")
}

start_server one.txt -o out samples
one=$url pid1=$pid
grep -q '(33 pairs, 4 findings; decisions in out/decisions.db)' one.txt || { cat one.txt; fail "first line"; }
start_server two.txt -o out samples
two=$url pid2=$pid
$PY "$TOP/tests/review/http_checks.py" "$one" "$two" || fail "http checks"
kill -TERM $pid1 $pid2
wait $pid1; rc1=$?
wait $pid2; rc2=$?
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] || fail "SIGTERM: exit $rc1 $rc2, want 0"
$B decisions export out/decisions.db > all.tsv || fail "export"
[ "$(grep -c "^pair" all.tsv)" -eq 33 ] || { cat all.tsv; fail "not 33 pair decisions"; }
[ "$(/usr/bin/python3 -c "import sqlite3;print(sqlite3.connect('out/decisions.db').execute('select count(*) from log').fetchone()[0])")" -ge 33 ] ||
    fail "the log misses decisions"

# --listen wants a token, and then every request carries it
T=abcdefghijklmnop0123
start_server tok.txt -o out2 --listen 127.0.0.1 --token $T samples
grep -q "?token=$T " tok.txt || { cat tok.txt; fail "the address does not carry the token"; }
base=${url%%\?*}
# code URL [TOKEN]: the status of a GET, with the token as a header
code() {
    $PY -c '
import sys, urllib.request, urllib.error
r = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 2:
    r.add_header("X-Bitext-Token", sys.argv[2])
try:
    print(urllib.request.urlopen(r, timeout=20).status)
except urllib.error.HTTPError as e:
    print(e.code)' "$@"
}
[ "$(code "${base}api/pairs")" = 403 ] || fail "no token: want 403"
[ "$(code "${base}api/pairs" wrong-token-0000000)" = 403 ] || fail "wrong token: want 403"
[ "$(code "${base}api/pairs" $T)" = 200 ] || fail "token header: want 200"
[ "$(code "${base}?token=$T")" = 200 ] || fail "token in the address: want 200"
kill -TERM $pid; wait $pid

# usage errors: exit 2, nothing served
$B review --listen 127.0.0.1 samples 2> err.txt; [ $? -eq 2 ] || fail "--listen without --token"
grep -q -- "--listen needs --token" err.txt || fail "--listen message"
$B review --token short samples 2>/dev/null; [ $? -eq 2 ] || fail "short token"
$B review --port 70000 samples 2>/dev/null; [ $? -eq 2 ] || fail "bad port"
$B review 2>/dev/null; [ $? -eq 2 ] || fail "no archive"
$B review --listen nowhere --token $T --port 0 samples > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad address"
$B review -q --port 0 nonexistent 2>/dev/null; [ $? -eq 2 ] || fail "unreadable archive"
$B review --help | grep -q '^usage: bitext review' || fail "--help"
exit 0
