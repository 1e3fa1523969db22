#!/bin/sh
# The bash completion offers the commands, each command's options (read from
# its --help) and the subcommands of tmx and glossary.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v bash >/dev/null 2>&1 || fail "bash not found"
mkdir -p bin && ln -sf "$BITEXT" bin/bitext
complete_words() { # the words offered for the command line "$@" (last = current)
    PATH="$(pwd)/bin:$PATH" bash -c '
        . "$0"
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _bitext
        printf "%s\n" "${COMPREPLY[@]}"' "$TOP/scripts/bitext.bash-completion" bitext "$@"
}
complete_words al | grep -qx align || fail "bitext al<TAB>"
complete_words tmx v | grep -qx validate || fail "bitext tmx v<TAB>"
complete_words glossary "" | grep -qx export || fail "bitext glossary <TAB>"
complete_words align --enc | grep -qx -- --encoding || fail "bitext align --enc<TAB>"
complete_words check --qu | grep -qx -- --quiet || fail "bitext check --qu<TAB>"
complete_words lookup --rev | grep -qx -- --reverse || fail "bitext lookup --rev<TAB>"
complete_words tmx merge -- | grep -qx -- --output || fail "bitext tmx merge --<TAB>"
complete_words align --di | grep -qx -- --dict || fail "bitext align --di<TAB>"
complete_words align --lea | grep -qx -- --learn || fail "bitext align --lea<TAB>"
complete_words tab | grep -qx table || fail "bitext tab<TAB>"
complete_words rev | grep -qx review || fail "bitext rev<TAB>"
complete_words decisions "" | grep -qx import || fail "bitext decisions <TAB>"
complete_words review --li | grep -qx -- --listen || fail "bitext review --li<TAB>"
complete_words check --dec | grep -qx -- --decisions || fail "bitext check --dec<TAB>"
complete_words table "" | grep -qx merge || fail "bitext table <TAB>"
touch words.tsv
complete_words align --dict wor | grep -qx words.tsv || fail "bitext align --dict wor<TAB>"
complete_words tmx ex | grep -qx export || fail "bitext tmx ex<TAB>"
complete_words tmx export --format x | grep -qx xliff || fail "bitext tmx export --format x<TAB>"
complete_words align --export "" | grep -qx tsv || fail "bitext align --export <TAB>"
complete_words align --lang-vi vi- | grep -qx vi-VN || fail "bitext align --lang-vi vi-<TAB>"
exit 0
