#!/bin/sh
# scripts/deps.sh: a user who is not root gets the exact apt-get line for
# what the target misses, and only for that target (build: no test
# packages). dpkg-query and id are stood in for on PATH.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p bin
cat > bin/dpkg-query <<'S'
#!/bin/sh
# every package but libicu-dev is missing
for a; do p=$a; done
[ "$p" = libicu-dev ] && { printf 'install ok installed'; exit 0; }
exit 1
S
printf '#!/bin/sh\necho 1000\n' > bin/id
chmod +x bin/dpkg-query bin/id
PATH="$(pwd)/bin:$PATH" sh "$TOP/scripts/deps.sh" build 2> err.txt && fail "build: exit 0 with packages missing"
grep -q 'sudo apt-get update && sudo apt-get install -y build-essential pkg-config libxml2-dev zlib1g-dev libdeflate-dev libjansson-dev libxlsxwriter-dev libsqlite3-dev libmicrohttpd-dev$' err.txt ||
    { cat err.txt; fail "build: not the exact line"; }
grep -q 'omegat\|cmocka\|libicu-dev' err.txt && fail "build: names test packages or installed ones"
PATH="$(pwd)/bin:$PATH" sh "$TOP/scripts/deps.sh" test 2> err.txt && fail "test: exit 0 with packages missing"
grep -q 'install -y.* libcmocka-dev .*omegat' err.txt || { cat err.txt; fail "test: test packages not named"; }
PATH="$(pwd)/bin:$PATH" sh "$TOP/scripts/deps.sh" cluster 2> err.txt && fail "cluster: exit 0 with packages missing"
grep -q 'install -y.* slurm-wlm munge parallel openssh-server openssh-client rsync$' err.txt ||
    { cat err.txt; fail "cluster: cluster packages not named"; }
grep -q 'omegat\|cmocka' err.txt && fail "cluster: names test packages"
sh "$TOP/scripts/deps.sh" nonsense 2> /dev/null; [ $? -eq 2 ] || fail "unknown target: expected exit 2"
exit 0
