#!/usr/bin/python3
"""Every public symbol and every struct member says which release added it: each doc comment
of the public headers (but a file's own) holds @since, and a version no later than the
library's."""
import re
import sys

def main(version, headers):
    major, minor = (int(x) for x in version.split('.')[:2])
    problems = []
    for path in headers:
        text = open(path).read()
        for m in re.finditer(r'/\*\*(<?)(.*?)\*/', text, re.S):
            body = m.group(2)
            line = text.count('\n', 0, m.start()) + 1
            if '@file' in body or '@{' in body or '@}' in body:
                continue  # a file's or a group's own comment
            since = re.findall(r'@since (\d+)\.(\d+)', body)
            if not since:
                problems.append('%s:%d: no @since: %s' % (path, line, ' '.join(body.split())[:70]))
            for a, b in since:
                if (int(a), int(b)) > (major, minor):
                    problems.append('%s:%d: @since %s.%s is after %s' % (path, line, a, b, version))
    for p in problems:
        print(p)
    print('%d headers checked, %d problems' % (len(headers), len(problems)))
    return 1 if problems else 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2:]))
