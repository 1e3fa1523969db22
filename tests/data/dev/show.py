#!/usr/bin/env python3
"""Show and check the labels of the development set.

    python3 tests/data/dev/show.py FILE...     each labelled pair with its two lines
    python3 tests/data/dev/show.py -c FILE...  only check; exit 1 on a bad label

FILE is a .case (captions/, heldout/) or a pairs/NAME.expect (its lines are
looked up in NAME.vi.txt and NAME.en.txt). A label is bad when a line
number is out of range or points at a blank line, when the status is not
one of accepted, partial, mismatch, unpaired, when a pair is listed twice,
or when an unpaired label has both sides."""
import sys

STATUSES = {'accepted', 'partial', 'mismatch', 'unpaired'}


def load(path):
    if path.endswith('.case'):
        text = open(path, encoding='utf-8').read()
        body = text.split('--- input\n', 1)[1]
        inp, exp = body.split('--- expect\n', 1)
        lines = inp.rstrip('\n').split('\n')
        return lines, lines, exp.split('\n')
    base = path[:-len('.expect')]
    vi = open(base + '.vi.txt', encoding='utf-8').read().rstrip('\n').split('\n')
    en = open(base + '.en.txt', encoding='utf-8').read().rstrip('\n').split('\n')
    return vi, en, open(path, encoding='utf-8').read().split('\n')


def main(argv):
    check = argv[:1] == ['-c']
    files = argv[1:] if check else argv
    if not files:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bad = 0
    for path in files:
        vi, en, rows = load(path)
        seen = set()
        if not check:
            print(f'== {path}')
        for n, row in enumerate(rows, 1):
            t = row.split()
            if not t or row.startswith('#'):
                continue
            err = None
            try:
                v, e, st = int(t[0]), int(t[1]), t[2]
            except (ValueError, IndexError):
                v, e, st, err = 0, 0, '', 'not VI EN STATUS [credit]'
            credit = t[3] if len(t) > 3 else ''
            if not err and st not in STATUSES:
                err = f'unknown status {st}'
            elif not err and credit not in ('', 'credit'):
                err = f'unknown flag {credit}'
            elif not err and not v and not e:
                err = 'both sides 0'
            elif not err and st == 'unpaired' and v and e:
                err = 'unpaired with both sides'
            for side, k, lines in (('vi', v, vi), ('en', e, en)):
                if not err and k and not (1 <= k <= len(lines) and lines[k - 1].strip()):
                    err = f'{side} line {k} is blank or out of range'
            key = (v, e, credit)
            if not err and key in seen:
                err = 'listed twice'
            seen.add(key)
            if err:
                bad += 1
                print(f'{path}: expect row {n}: {err}: {row}', file=sys.stderr)
            elif not check:
                print(f'{v:3} {e:3} {st}{" credit" if credit else ""}')
                print(f'    vi {vi[v - 1] if v else "-"}')
                print(f'    en {en[e - 1] if e else "-"}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
