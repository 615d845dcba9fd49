"""Print one closing line, 'N passed, N failed', over the meson test runs given as build dirs.

Each Check suite counts its checks (from its 'Checks: N, Failures: F, Errors: E' line); every
other meson test counts as one. A step of .ci/run that is not a meson test (docs, fuzzing) and
failed counts as one failure, through OTHER_FAILURES."""
import json
import os
import re
import sys

passed = failed = 0
for build in sys.argv[1:]:
    log = os.path.join(build, 'meson-logs', 'testlog.json')
    if not os.path.exists(log):
        failed += 1
        continue
    for line in open(log):
        test = json.loads(line)
        m = re.search(r'Checks: (\d+), Failures: (\d+), Errors: (\d+)', test.get('stdout', ''))
        if m:
            checks, failures, errors = map(int, m.groups())
            passed += checks - failures - errors
            failed += failures + errors
        elif test.get('result') in ('OK', 'EXPECTEDFAIL', 'SKIP'):
            passed += 1
        else:
            failed += 1
print('%d passed, %d failed' % (passed, failed + int(os.environ.get('OTHER_FAILURES', '0'))))
