#!/bin/sh
# Install the Debian packages a target needs, when they are missing.
#   sh scripts/deps.sh build   what building and running bitext needs
#   sh scripts/deps.sh test    that, and what the tests need (make check)
#   sh scripts/deps.sh cluster what building needs, and Slurm, munge, GNU
#                              parallel and OpenSSH (make check-cluster)
# As root it installs them; otherwise it prints the command to run for that
# target only, and exits 1.
BUILD="build-essential pkg-config libicu-dev libxml2-dev zlib1g-dev
libdeflate-dev libjansson-dev libxlsxwriter-dev libsqlite3-dev libmicrohttpd-dev"
TEST="libcmocka-dev libxml2-utils unzip omegat translate-toolkit chromium
time gettext valgrind strace clang libclang-rt-14-dev php-symfony-translation
python3-openpyxl python3-selenium chromium-driver"
CLUSTER="slurm-wlm munge parallel openssh-server openssh-client rsync"
case "${1:-test}" in
    build) PKGS=$BUILD ;;
    test)  PKGS="$BUILD $TEST" ;;
    cluster) PKGS="$BUILD $CLUSTER" ;;
    *) echo "usage: sh scripts/deps.sh build|test|cluster" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "bitext: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq $missing >&2 || {
        echo "bitext: apt-get install failed" >&2; exit 1; }
else
    echo "bitext: missing Debian packages; run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
