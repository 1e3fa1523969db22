# The README's look-up examples run as written and answer what the README
# says they answer.
set -eu
n=0
grep '^    bitext lookup ' "$TOP/README.md" > examples
while IFS= read -r line; do
    cmd=${line%%#*}
    want=$(printf '%s' "$line" | sed -n 's/.*# *//p')
    out=$(eval "\"\$BITEXT\"${cmd#    bitext}")
    case "$want" in
      *"do not matter"*) ;;
      "") ;;
      *) printf '%s\n' "$out" | grep -qF "$want" || { echo "README example: $cmd"; echo "want: $want"; echo "got: $out"; exit 1; } ;;
    esac
    n=$((n + 1))
done < examples
[ "$n" -ge 3 ]
