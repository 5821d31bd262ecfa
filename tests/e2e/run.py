"""Runs every tests/e2e/test_*.py module and prints one closing line,
'[e2e] N passed, N failed, N skipped (BACKEND)' (errors, including a server
that did not start or stop cleanly, count as failures; skipped tests are
reported apart; BACKEND is sqlite, or postgresql when $NASHRA_E2E_PG_URL
names a server to create the sites' databases on).

Arguments choose what runs instead: a file pattern (test_http.py,
test_c*.py) or a test name (test_abuse.OutsideWriter,
test_cache.CacheInvalidation.test_title_change), any number of each."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    sys.path.insert(0, HERE)
    import nashra_e2e
    if nashra_e2e.PG_URL:
        # a server that cannot be reached fails every test alike: say it once
        try:
            nashra_e2e.PostgresDatabase.admin("SELECT 1")
        except Exception as e:
            print("e2e: cannot use the PostgreSQL server of NASHRA_E2E_PG_URL: %s" % e, file=sys.stderr)
            sys.exit(1)
    loader = unittest.defaultTestLoader
    suite = unittest.TestSuite()
    for arg in sys.argv[1:] or ["test_*.py"]:
        if arg.endswith(".py"):
            suite.addTest(loader.discover(HERE, pattern=arg, top_level_dir=HERE))
        else:
            suite.addTest(loader.loadTestsFromName(arg))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    # class/module set-up and tear-down errors are not among testsRun
    test_errors = [e for e in result.errors if not isinstance(e[0], unittest.suite._ErrorHolder)]
    passed = result.testsRun - len(result.failures) - len(test_errors) \
        - len(result.skipped) - len(result.unexpectedSuccesses) - len(result.expectedFailures)
    passed = max(passed, 0)
    print("[e2e] %d passed, %d failed, %d skipped (%s)"
          % (passed, failed, len(result.skipped), nashra_e2e.BACKEND))
    sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)


if __name__ == "__main__":
    main()
