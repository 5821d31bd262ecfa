"""Runs every tests/e2e/test_*.py module and prints one closing line,
'[e2e] N passed, N failed, N skipped (BACKEND)' (errors, including a server
that did not start or stop cleanly, count as failures; skipped tests are
reported apart; BACKEND is sqlite, or postgresql when $NASHRA_E2E_PG_URL
names a server to create the sites' databases on).

Arguments choose what runs instead: a file pattern (test_http.py,
test_c*.py) or a test name (test_abuse.OutsideWriter,
test_cache.CacheInvalidation.test_title_change), any number of each.

-j N runs the test classes in N worker processes at once (default: twice
the CPUs, at least 2; -j 1 runs them one after another in this process).
A test's time goes mostly to waiting on servers, not to the CPU, and every
class has its own servers on free ports, its own temporary directories and
its own databases, so classes do not meet. A class that stops something
all the others use (the PostgreSQL server) says so with a true
`e2e_alone` attribute and runs once every other class has finished.
Each class's output is printed whole when it ends, with its time; the
slowest classes are listed before the closing line. The classes known to
be slow from the last run ($NASHRA_E2E_TIMES, default
build/e2e-times.json) start first, so that none of them is left to run
alone at the end."""
import concurrent.futures
import io
import json
import multiprocessing
import os
import resource
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TIMES = os.environ.get("NASHRA_E2E_TIMES") or os.path.join(ROOT, "build", "e2e-times.json")
SLOWEST_SHOWN = 12


def parse_args(argv):
    """(jobs, patterns) from the command line."""
    jobs, names, i = None, [], 0
    while i < len(argv):
        a = argv[i]
        if a in ("-j", "--jobs") and i + 1 < len(argv):
            jobs, i = argv[i + 1], i + 1
        elif a.startswith("-j") and len(a) > 2:
            jobs = a[2:]
        else:
            names.append(a)
        i += 1
    if jobs is not None and (not jobs.isdigit() or int(jobs) < 1):
        sys.exit("run.py: -j wants a number of processes, not %r" % jobs)
    n = int(jobs) if jobs else max(2, 2 * (os.cpu_count() or 1))
    return n, names


def load(names):
    loader = unittest.defaultTestLoader
    suite = unittest.TestSuite()
    for arg in names or ["test_*.py"]:
        if arg.endswith(".py"):
            suite.addTest(loader.discover(HERE, pattern=arg, top_level_dir=HERE))
        else:
            suite.addTest(loader.loadTestsFromName(arg))
    return suite


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def units(suite):
    """The tests grouped by class, in the order found: [(name, [tests])]
    (a module that failed to import is a class of its own, and fails)."""
    groups = {}
    for t in flatten(suite):
        cls = type(t)
        groups.setdefault("%s.%s" % (cls.__module__, cls.__qualname__), []).append(t)
    return list(groups.items())


# the units, known to every worker: forked after they are loaded
UNITS = []


class Outcome:
    """What a unit's run comes to, in a form that crosses processes."""

    def __init__(self, name, result, output, seconds, cpu=0.0):
        self.name, self.output, self.seconds, self.cpu = name, output, seconds, cpu
        self.run = result.testsRun
        self.failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        # class/module set-up and tear-down errors are not among testsRun
        test_errors = [e for e in result.errors if not isinstance(e[0], unittest.suite._ErrorHolder)]
        self.passed = max(0, result.testsRun - len(result.failures) - len(test_errors) - len(result.skipped)
                          - len(result.unexpectedSuccesses) - len(result.expectedFailures))
        self.skipped = len(result.skipped)


def run_unit(index):
    """Run UNITS[index] on its own result; its whole output as text."""
    name, tests = UNITS[index]
    stream = io.StringIO()
    result = unittest.TextTestResult(unittest.runner._WritelnDecorator(stream), True, 2)
    t0, cpu0 = time.monotonic(), cpu_seconds()
    unittest.TestSuite(tests).run(result)      # a top-level suite: the class's tear-down runs
    seconds, cpu = time.monotonic() - t0, cpu_seconds() - cpu0
    result.printErrors()
    return Outcome(name, result, stream.getvalue(), seconds, cpu)


def cpu_seconds():
    """CPU time of this process and of the ones it waited for (servers,
    command lines), user and system."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def report(o, out):
    out.write("--- %s: %d tests, %.1f s (CPU %.1f s)\n%s" % (o.name, o.run, o.seconds, o.cpu, o.output))
    out.flush()


def known_times():
    try:
        with open(TIMES) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_times(times, outcomes):
    times.update({o.name: round(o.seconds, 2) for o in outcomes})
    try:
        os.makedirs(os.path.dirname(TIMES), exist_ok=True)
        with open(TIMES + ".tmp", "w") as f:
            json.dump(times, f, indent=0, sort_keys=True)
        os.replace(TIMES + ".tmp", TIMES)
    except OSError:
        pass        # the order of the next run is all that is lost


def run_all(jobs):
    """Every unit, the shared ones in jobs processes, then the ones that
    must be alone; returns their outcomes."""
    times = known_times()
    alone = [i for i, (_, tests) in enumerate(UNITS) if getattr(type(tests[0]), "e2e_alone", False)]
    shared = [i for i in range(len(UNITS)) if i not in alone]
    shared.sort(key=lambda i: -times.get(UNITS[i][0], 0))
    outcomes = []
    if jobs == 1 or len(shared) <= 1:
        for i in shared:
            outcomes.append(run_unit(i))
            report(outcomes[-1], sys.stdout)
    else:
        ctx = multiprocessing.get_context("fork")
        sys.stdout.flush()
        with concurrent.futures.ProcessPoolExecutor(min(jobs, len(shared)), mp_context=ctx) as pool:
            futures = {pool.submit(run_unit, i): i for i in shared}
            for f in concurrent.futures.as_completed(futures):
                try:
                    outcomes.append(f.result())
                except Exception as e:     # the worker itself died
                    name = UNITS[futures[f]][0]
                    outcomes.append(broken_unit(name, e))
                report(outcomes[-1], sys.stdout)
    for i in alone:
        outcomes.append(run_unit(i))
        report(outcomes[-1], sys.stdout)
    save_times(times, outcomes)
    return outcomes


def broken_unit(name, error):
    result = unittest.TestResult()
    result.errors.append((unittest.suite._ErrorHolder(name), repr(error)))
    return Outcome(name, result, "ERROR: %s\nits worker process ended: %r\n" % (name, error), 0.0)


def main():
    jobs, names = parse_args(sys.argv[1:])
    sys.path.insert(0, HERE)
    import nashra_e2e
    if nashra_e2e.PG_URL:
        # a server that cannot be reached fails every test alike: say it once
        try:
            nashra_e2e.PostgresDatabase.admin("SELECT 1")
        except Exception as e:
            print("e2e: cannot use the PostgreSQL server of NASHRA_E2E_PG_URL: %s" % e, file=sys.stderr)
            sys.exit(1)
    UNITS.extend(units(load(names)))
    t0 = time.monotonic()
    outcomes = run_all(jobs)
    wall = time.monotonic() - t0
    print("slowest classes (time, CPU time):")
    for o in sorted(outcomes, key=lambda o: -o.seconds)[:SLOWEST_SHOWN]:
        print("  %6.1f s %6.1f s  %s" % (o.seconds, o.cpu, o.name))
    ran = sum(o.run for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    print("[e2e] %d passed, %d failed, %d skipped (%s) in %.0f s, %d classes in %d processes"
          % (sum(o.passed for o in outcomes), failed, sum(o.skipped for o in outcomes),
             nashra_e2e.BACKEND, wall, len(outcomes), jobs))
    sys.exit(0 if failed == 0 and ran > 0 else 1)


if __name__ == "__main__":
    main()
