"""scripts/cluster.sh from the outside: `start` with a private state
directory brings up PostgreSQL, a demo site on it, two nodes and nginx in
front; the site answers through nginx, both nodes serve, a change made with
`nashra article` shows through the balancer on the very next request
whichever node answers, and `stop` leaves no process and no directory
behind (checked when the class is torn down, like a server's exit status).
The nodes run $NASHRA_BIN, so the sanitizer builds check them too: their
logs are held open before `stop` removes them, and read after.

Skipped when nginx or a PostgreSQL server (or psql) is not installed."""
import glob
import http.client
import os
import shlex
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from nashra_e2e import BIN, ENV, ROOT, SEED_TITLE_PREFIX, free_port, parse_html, headline, \
    run_cli, sanitizer_report

SCRIPT = os.path.join(ROOT, "scripts", "cluster.sh")
NODES = 2


def missing():
    """Why the cluster cannot run here, or None."""
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        return "nginx is not installed (scripts/setup.sh installs nginx-light)"
    if not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        return "no PostgreSQL server is installed (scripts/setup.sh installs postgresql)"
    if not shutil.which("psql"):
        return "psql is not installed"
    return None


def script(*args, timeout=180, env=None):
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=env or ENV)


def cluster_processes(state_dir):
    """pid -> command line of every process whose command line names the
    state directory (nodes, nginx's master), and of their children (nginx's
    workers)."""
    cmds, parent = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmds[int(pid)] = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % pid) as f:
                parent[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found = {p: c for p, c in cmds.items() if state_dir + "/" in c and p != os.getpid()}
    found.update({p: c for p, c in cmds.items() if parent.get(p) in found})
    return found


def end_processes(pids):
    """SIGTERM, then SIGKILL after 10 s (nginx's master takes its workers along)."""
    for sig, wait in ((15, 10), (9, 0)):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(os.path.exists("/proc/%d" % p) for p in pids):
            time.sleep(0.1)


@unittest.skipIf(missing(), missing() or "")
class ClusterScript(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="nashra-e2e-cluster-")
        cls.dir = os.path.join(cls.tmp, "state")
        cls.port = free_port()
        cls.env = dict(ENV, NASHRA_BIN=BIN, PORT=str(cls.port), NASHRA_NODES=str(NODES),
                       NASHRA_THREADS="2")
        r = script("start", cls.dir, env=cls.env)
        if r.returncode != 0:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise RuntimeError("cluster.sh start failed (%d):\n%s%s" % (r.returncode, r.stdout, r.stderr))
        cls.start_output = r.stdout
        cls.state = {}
        with open(os.path.join(cls.dir, "cluster.env")) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                cls.state[k] = shlex.split(v)[0] if v else ""
        cls.pg_dir = cls.state["PG_DIR"]
        cls.node_ports = [int(cls.state["NODE_%d_PORT" % i]) for i in range(1, NODES + 1)]
        cls.node_pids = [int(cls.state["NODE_%d_PID" % i]) for i in range(1, NODES + 1)]
        # held open: `stop` removes the directory, the nodes' last words
        # (a sanitizer's report at exit) are read after it
        cls.logs = [open(os.path.join(cls.dir, "node-%d.log" % i), "rb") for i in range(1, NODES + 1)]

    @classmethod
    def tearDownClass(cls):
        before = cluster_processes(cls.dir)
        r = script("stop", cls.dir, env=cls.env)
        time.sleep(0.2)
        left = cluster_processes(cls.dir)
        end_processes(left)     # not to leave them to the next test
        logs = [f.read().decode("utf-8", "replace") for f in cls.logs]
        for f in cls.logs:
            f.close()
        remains = [p for p in (cls.dir, cls.pg_dir) if os.path.exists(p)]
        shutil.rmtree(cls.tmp, ignore_errors=True)
        problems = []
        if r.returncode != 0:
            problems.append("cluster.sh stop failed (%d): %s%s" % (r.returncode, r.stdout, r.stderr))
        if len(before) < NODES + 1:
            problems.append("before stop, expected the nodes and nginx running, found: %r" % before)
        if left:
            problems.append("processes left after stop: %r" % left)
        if remains:
            problems.append("directories left after stop: %r" % remains)
        for i, log in enumerate(logs, 1):
            if sanitizer_report(log):
                problems.append("sanitizer report in node %d's output:\n%s" % (i, log[-16000:]))
        if problems:
            raise AssertionError("\n".join(problems))

    # -- helpers -----------------------------------------------------------
    def get(self, port, path):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def balancer(self, path):
        return self.get(self.port, path)

    def pages_served(self, port):
        """cache hits + misses of the node on port, from its /healthz."""
        status, _, body = self.get(port, "/healthz")
        self.assertEqual(status, 200, body)
        stats = dict(line.split(" ", 1) for line in body.decode().splitlines()[2:])
        return int(stats["cache_hits"]) + int(stats["cache_misses"])

    def psql(self, sql):
        r = subprocess.run(["psql", self.state["PG_URL"], "-AtX", "-c", sql], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def seed(self):
        """(id, path) of the seed article."""
        row = self.psql("SELECT id || '|' || slug FROM articles WHERE title LIKE '%s%%'" % SEED_TITLE_PREFIX)
        aid, slug = row.split("|", 1)
        return int(aid), urllib.parse.quote("/%s/" % slug)

    # -- tests ---------------------------------------------------------------
    def test_start_says_where(self):
        self.assertIn("http://127.0.0.1:%d/" % self.port, self.start_output)
        self.assertIn("cluster.sh stop %s" % self.dir, self.start_output)
        r = script("status", self.dir, env=self.env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.count("running (pid"), NODES + 2, r.stdout)   # nodes, nginx, PostgreSQL

    def test_site_answers_through_nginx(self):
        status, headers, body = self.balancer("/")
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers.get("content-type", ""))
        self.assertIn(b'dir="rtl"', body)
        status, _, body = self.balancer("/healthz")
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"ok\ndatabase ok\n"), body[:40])
        # links name the balancer, not a node
        self.assertIn(b"http://127.0.0.1:%d/" % self.port, self.balancer("/feed/")[2])

    def test_both_nodes_serve(self):
        before = [self.pages_served(p) for p in self.node_ports]
        for _ in range(4 * NODES):
            self.assertEqual(self.balancer("/")[0], 200)
        after = [self.pages_served(p) for p in self.node_ports]
        for i, (b, a) in enumerate(zip(before, after), 1):
            self.assertGreater(a, b, "node %d served nothing of %d requests (before %r, after %r)"
                               % (i, 4 * NODES, before, after))
        with open(os.path.join(self.dir, "nginx", "access.log")) as f:
            nodes = {w[len("node="):].rstrip(",") for line in f for w in line.split() if w.startswith("node=")}
        self.assertEqual(nodes, {"127.0.0.1:%d" % p for p in self.node_ports})

    def test_write_visible_at_once(self):
        aid, path = self.seed()
        # every node holds the page in its cache first
        for _ in range(2 * NODES):
            status, _, body = self.balancer(path)
            self.assertEqual(status, 200)
        self.assertEqual(self.balancer(path)[1].get("x-cache"), "HIT")
        title = "عنوان من سطر الأوامر %d" % time.time_ns()
        r = run_cli("article", os.path.join(self.dir, "site"), "set", str(aid), "title", title)
        self.assertEqual(r.returncode, 0, r.stderr)
        # at once, from each node in turn
        for _ in range(2 * NODES):
            status, _, body = self.balancer(path)
            self.assertEqual(status, 200)
            self.assertEqual(headline(parse_html(body.decode())), title)


if __name__ == "__main__":
    unittest.main()
