#!/bin/sh
# bitext check: exit codes (0 nothing found, 1 findings, 2 usage or an
# input or output error, findings or not), --help on stdout, errors as "bitext: FILE: message", and the
# rest of the inputs processed after a bad one.
set -u
fail() { echo "FAIL: $*"; exit 1; }

"$BITEXT" check --help >help.out 2>help.err; rc=$?
[ "$rc" -eq 0 ] || fail "--help exits $rc"
grep -q '^usage: bitext check' help.out || fail "--help prints no usage"
[ -s help.err ] && fail "--help writes to stderr"

"$BITEXT" check >/dev/null 2>err; rc=$?
[ "$rc" -eq 2 ] || fail "no INPUT exits $rc, not 2"
grep -q '^bitext: ' err || fail "no usage message"
"$BITEXT" check --no-such-option x.txt >/dev/null 2>err; rc=$?
[ "$rc" -eq 2 ] || fail "unknown option exits $rc, not 2"
"$BITEXT" check -o >/dev/null 2>err; rc=$?
[ "$rc" -eq 2 ] || fail "-o without a value exits $rc, not 2"

# consistent input: nothing to report, exit 0, both reports written
cat >ok.txt <<'TXT'
Leaders meet voters

Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu. Ảnh: Mai Hoa
Comrade Nguyen Xuan Son - Standing Deputy Secretary of the Provincial Party Committee, Chairman of the Provincial People's Council spoke at the meeting. Photo: Mai Hoa

Speaking at the meeting, comrade Nguyen Xuan Son - Standing Deputy Secretary of the Provincial Party Committee, Chairman of the Provincial People's Council asked all levels to listen to voters.
TXT
"$BITEXT" check -o ok-out ok.txt >out 2>err; rc=$?
[ "$rc" -eq 0 ] || { cat out err; fail "consistent input exits $rc, not 0"; }
[ -s ok-out/consistency.json ] || fail "no consistency.json"
[ -s ok-out/consistency.html ] || fail "no consistency.html"
grep -q '"findings": \[\]' ok-out/consistency.json || fail "findings not empty"
grep -q '^0 findings' out || fail "summary does not say 0 findings"
ls -a ok-out | grep -q '\.tmp' && fail "temporary file left behind"

# one body named two ways in English: a finding, exit 1
cat >var.txt <<'TXT'
The Central Committee for Mass Mobilization held a conference.

Truong Thi Mai - Politburo member, Head of the Central Mass Mobilization Commission spoke.
TXT
"$BITEXT" check -o var-out var.txt >out 2>err; rc=$?
[ "$rc" -eq 1 ] || fail "findings exit $rc, not 1"
grep -q 'english-variant' out || fail "summary does not name the finding"
# -q: no summary, same status; the default directory is bitext-out
"$BITEXT" check -q var.txt >out 2>err; rc=$?
[ "$rc" -eq 1 ] || fail "-q findings exit $rc, not 1"
[ -s out ] && fail "-q still prints a summary"
[ -s bitext-out/consistency.json ] || fail "default directory not bitext-out"

# stdin
"$BITEXT" check -o stdin-out - <var.txt >out 2>err; rc=$?
[ "$rc" -eq 1 ] || fail "stdin findings exit $rc, not 1"
grep -q '"file": "-"' stdin-out/consistency.json || fail "stdin not named '-'"

# --encoding: a Windows-1258 file read as such (and not as UTF-8)
printf '%s\n' \
 'Đồng chí Lê Hồng Vinh - Ủy viên Ban Thường vụ Tỉnh ủy, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy phát biểu. Ảnh: Mai Hoa' \
 "Comrade Le Hong Vinh - Member of the Provincial Party Standing Committee, Vice Chairman of the Provincial People's Committee spoke. Photo: Mai Hoa" \
 >cap-utf8.txt
iconv -f UTF-8 -t WINDOWS-1258 cap-utf8.txt >cap.txt || fail "iconv"
"$BITEXT" check -o enc-out --encoding windows-1258 cap.txt >out 2>err; rc=$?
[ "$rc" -eq 1 ] || fail "--encoding: exit $rc, not 1 (a finding)"
[ -s err ] && { cat err; fail "--encoding: messages on stderr"; }
grep -q 'caption-title-mismatch' out || fail "--encoding: finding not found"
"$BITEXT" check -o enc-out2 cap.txt >out 2>err
grep -q '^bitext: cap.txt:1: ' err || fail "no error for a non-UTF-8 line"

# a missing input: reported with its name, the rest still processed, exit 2
"$BITEXT" check -o miss-out missing.txt ok.txt >out 2>err; rc=$?
[ "$rc" -eq 2 ] || fail "missing input exits $rc, not 2"
grep -q '^bitext: .*missing.txt' err || { cat err; fail "no 'bitext: FILE' error"; }
grep -q '"files": 1' miss-out/consistency.json || fail "rest not processed"

# an output directory that cannot be created
: >blocker
"$BITEXT" check -o blocker/sub ok.txt >out 2>err; rc=$?
[ "$rc" -eq 2 ] || fail "unwritable output exits $rc, not 2"
grep -q '^bitext: ' err || fail "no error for the output directory"
exit 0
