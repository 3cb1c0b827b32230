#!/usr/bin/env python3
"""man_signatures.py CC... -- INCDIR... -- PAGE: check a section 3 page's
SYNOPSIS against <puffs.h>.

Every .Ft/.Fn pair of the SYNOPSIS becomes a compile-time assertion that
the function (or, for puffs_fs_* and puffs_node_* names, the struct
puffs_ops slot) has exactly the documented type; the compiler checks them.
Fails if the page declares nothing or the compiler disagrees.
"""
import os
import shlex
import subprocess
import sys
import tempfile


def synopsis(page):
    lines = open(page, encoding='utf-8').read().split('\n')
    start = lines.index('.Sh SYNOPSIS')
    end = lines.index('.Sh DESCRIPTION')
    ftype = None
    for line in lines[start:end]:
        if line.startswith('.Ft '):
            ftype = line[4:]
        elif line.startswith('.Fn ') and ftype is not None:
            words = shlex.split(line[4:])
            yield ftype, words[0], ', '.join(words[1:]) or 'void'
            ftype = None


def assertion(ftype, name, args):
    if name.startswith(('puffs_fs_', 'puffs_node_')):
        expr = '((struct puffs_ops *)0)->' + name
    else:
        expr = '&' + name
    return ('_Static_assert(__builtin_types_compatible_p(__typeof__(%s), '
            '%s (*)(%s)), "%s: type differs from <puffs.h>");'
            % (expr, ftype, args, name))


def main(argv):
    first = argv.index('--')
    second = argv.index('--', first + 1)
    cc, incs, page = argv[1:first], argv[first + 1:second], argv[-1]
    checks = [assertion(*sig) for sig in synopsis(page)]
    if not checks:
        print('%s: no .Ft/.Fn pairs in the SYNOPSIS' % page)
        return 1
    with tempfile.NamedTemporaryFile('w', suffix='.c', delete=False) as f:
        f.write('#include <puffs.h>\n' + '\n'.join(checks) + '\n')
        src = f.name
    try:
        cmd = cc + ['-fsyntax-only', '-D_GNU_SOURCE']
        cmd += ['-I' + d for d in incs] + [src]
        res = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        os.unlink(src)
    sys.stdout.write(res.stdout + res.stderr)
    print('%s: %d signatures checked' % (page, len(checks)))
    return 0 if res.returncode == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
