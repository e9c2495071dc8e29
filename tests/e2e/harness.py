"""Harness for kindred's end-to-end suite: runs the real binary and talks to it the way users do.

It builds nothing. `$KINDRED_BIN` (default: <repo>/build/kindred) is started as
`kindred serve --port 0 --data-dir <tmp> ...` with fixed test keys; the port is read from the
`kindred listening on http://<addr>:<port>` line. Use it through:

  KindredServer     start / kill9 / terminate / restart one server process, its data dir and s3 root;
                    `client()` gives a boto3 `personalize` client, `raw()` sends any request (signed
                    with botocore's SigV4 signer, or not, or with a wrong key or an old clock).
  ServerTestCase    a unittest base class: one server per test class (started in setUpClass), helpers
                    that create resources, write CSVs under the server's s3 root and wait for statuses.

Only the Python standard library and Debian's boto3/botocore are used (run with /usr/bin/python3).
"""

import collections
import contextlib
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

import boto3
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO_ROOT, "tests", "fixtures")

REGION = "us-east-1"
ACCOUNT = "123456789012"
ACCESS_KEY = "AKIDKINDREDE2E000001"
SECRET_KEY = "kindred/e2e+Secret0123456789abcdefghijklm"
ROLE_ARN = "arn:aws:iam::123456789012:role/KindredE2E"
ARN_PREFIX = f"arn:aws:personalize:{REGION}:{ACCOUNT}:"

START_TIMEOUT_S = 20
_LISTENING = re.compile(r"kindred listening on http://([^\s:/]+):(\d+)")

INTERACTIONS_SCHEMA = {
    "type": "record", "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
        {"name": "EVENT_VALUE", "type": ["null", "float"]},
    ],
    "version": "1.0",
}
# The Items schema of AWS's Personalize proof-of-concept workshop.
ITEMS_SCHEMA = {
    "type": "record", "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "GENRE", "type": "string", "categorical": True},
        {"name": "YEAR", "type": "int"},
    ],
    "version": "1.0",
}
USERS_SCHEMA = {
    "type": "record", "name": "Users",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "USER_ID", "type": "string"},
        {"name": "AGE", "type": ["null", "int"]},
        {"name": "GENDER", "type": "string", "categorical": True},
    ],
    "version": "1.0",
}


def kindred_bin():
    path = os.environ.get("KINDRED_BIN") or os.path.join(REPO_ROOT, "build", "kindred")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(f"kindred binary not found at {path!r}: build it, or set KINDRED_BIN")
    return path


def run_metrics_command(command, *args):
    """Runs `kindred <command> <args>` (train, evaluate); returns the CompletedProcess and the
    metric table it printed on stdout as {name: value}."""
    r = subprocess.run([kindred_bin(), command, *args], capture_output=True, text=True,
                       timeout=120)
    metrics = {}
    for line in r.stdout.splitlines():
        m = re.match(r"^(.*?)\s{2,}(-?[0-9.]+)$", line)
        if m:
            metrics[m.group(1).strip()] = float(m.group(2))
    return r, metrics


def uniq(prefix):
    """A resource name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def error_type(self):
        """The AWS error type, from the JSON `__type` (namespace stripped) or x-amzn-ErrorType."""
        try:
            t = self.json().get("__type")
        except (ValueError, UnicodeDecodeError, AttributeError):
            t = None
        if not t:
            t = self.headers.get("x-amzn-errortype", "").split(":")[0] or None
        return t.split("#")[-1] if t else None

    @property
    def message(self):
        try:
            doc = self.json()
        except (ValueError, UnicodeDecodeError):
            return ""
        return doc.get("message") or doc.get("Message") or ""

    def __repr__(self):
        return f"<RawResponse {self.status} {self.body[:300]!r}>"


@contextlib.contextmanager
def _signing_clock(when):
    """Makes botocore's SigV4 signer believe that it is `when` (a naive UTC datetime)."""
    real = botocore.auth.datetime

    class _FrozenDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    class _Module:
        datetime = _FrozenDatetime

        def __getattr__(self, name):
            return getattr(real, name)

    botocore.auth.datetime = _Module()
    try:
        yield
    finally:
        botocore.auth.datetime = real


class KindredServer:
    """One `kindred serve` process with its own temporary data dir and s3 root.

    Not thread-safe: drive it from the test thread. Output (stdout and stderr merged) is kept in a
    bounded buffer, shown in failure messages via `output_tail()`.
    """

    def __init__(self, extra_args=(), auth=True, keys=(ACCESS_KEY, SECRET_KEY), env=None):
        self.tmp = tempfile.mkdtemp(prefix="kindred-e2e-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.s3_root = os.path.join(self.tmp, "s3")
        os.makedirs(self.s3_root)
        self.extra_args = list(extra_args)
        self.auth = auth
        self.keys = keys
        self.env = dict(env or {})
        self.proc = None
        self.host = None
        self.port = None
        self._clients = []
        self._pump = None
        self._lines = collections.deque(maxlen=400)
        self._lock = threading.Lock()

    # -- process control ---------------------------------------------------------------------
    def start(self, timeout=START_TIMEOUT_S):
        assert self.proc is None or self.proc.poll() is not None, "server already running"
        self._reap()  # a previous process of ours, stopped by a test
        args = [kindred_bin(), "serve", "--port", "0", "--address", "127.0.0.1",
                "--data-dir", self.data_dir, "--s3-root", self.s3_root,
                "--region", REGION, "--account-id", ACCOUNT]
        if not self.auth:
            args.append("--no-auth")
        elif self.keys:
            args += ["--access-key-id", self.keys[0], "--secret-access-key", self.keys[1]]
        args += self.extra_args
        env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
        env.update(self.env)
        with self._lock:
            self._lines.append("$ " + " ".join(args))
        ready = threading.Event()
        found = {}
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env)
        self.proc = proc

        def pump():
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                with self._lock:
                    self._lines.append(line)
                m = _LISTENING.search(line)
                if m and not ready.is_set():
                    found["host"], found["port"] = m.group(1), int(m.group(2))
                    ready.set()
            ready.set()  # EOF: the process is gone

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()
        if not ready.wait(timeout) or "port" not in found:
            self.kill9()
            raise RuntimeError(
                f"kindred did not print 'kindred listening on' within {timeout}s "
                f"(exit code {proc.poll()}); its output:\n{self.output_tail()}")
        self.host, self.port = found["host"], found["port"]
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        self._reap()

    def _reap(self):
        """After the process is gone: finish reading its output, close pipes and clients."""
        if self.proc is None:
            return
        self.proc.wait(timeout=10)
        if self._pump is not None:
            self._pump.join(timeout=5)
        if self.proc.stdout and not self.proc.stdout.closed and not self._pump.is_alive():
            self.proc.stdout.close()
        for c in self._clients:
            c.close()
        self._clients.clear()

    def terminate(self, timeout=15):
        """SIGTERM, then wait; returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
            self._reap()
            return code
        except subprocess.TimeoutExpired:
            self.kill9()
            raise AssertionError(f"kindred ignored SIGTERM for {timeout}s:\n{self.output_tail()}")

    def restart(self, hard=True):
        """Stops the server (kill -9 when `hard`, else SIGTERM) and starts it on the same data dir."""
        if hard:
            self.kill9()
        elif self.alive():
            self.terminate()
        return self.start()

    def cleanup(self):
        self.kill9()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def output_tail(self, n=80):
        with self._lock:
            return "\n".join(list(self._lines)[-n:])

    # -- talking to it -----------------------------------------------------------------------
    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def client(self, access_key=None, secret_key=None, region=REGION, service="personalize",
               **config):
        """A boto3 client of `service`: personalize, personalize-runtime or personalize-events."""
        cfg = Config(retries={"max_attempts": 0}, connect_timeout=5, read_timeout=60, **config)
        client = boto3.session.Session().client(
            service, endpoint_url=self.url, region_name=region,
            aws_access_key_id=access_key or (self.keys[0] if self.keys else ACCESS_KEY),
            aws_secret_access_key=secret_key or (self.keys[1] if self.keys else SECRET_KEY),
            config=cfg)
        self._clients.append(client)  # closed when the server stops
        return client

    def sign(self, method, path, headers, body, access_key=None, secret_key=None, when=None,
             region=REGION):
        """Returns `headers` plus X-Amz-Date and Authorization, as botocore's SigV4Auth makes them."""
        req = AWSRequest(method=method, url=self.url + path, data=body, headers=headers)
        creds = Credentials(access_key or self.keys[0], secret_key or self.keys[1])
        signer = SigV4Auth(creds, "personalize", region)
        if when is None:
            signer.add_auth(req)
        else:
            with _signing_clock(when):
                signer.add_auth(req)
        return dict(req.headers.items())

    def pipelined(self, calls, timeout=30):
        """Sends several signed requests back to back on one connection before reading any
        answer (HTTP/1.1 pipelining), so the server handles them with no gap between them.

        `calls` is a list of (operation, body); returns one RawResponse per call, in order.
        """
        wire = b""
        for operation, body in calls:
            data = json.dumps(body).encode()
            headers = self.sign("POST", "/", {"Content-Type": "application/x-amz-json-1.1",
                                              "X-Amz-Target": f"AmazonPersonalize.{operation}"},
                                data)
            headers["Host"] = f"{self.host}:{self.port}"
            headers["Content-Length"] = str(len(data))
            head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            wire += head.encode() + b"\r\n" + data
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        shared = _SharedFileSocket(sock)
        try:
            sock.sendall(wire)
            out = []
            for _ in calls:
                resp = http.client.HTTPResponse(shared)
                resp.begin()
                out.append(RawResponse(resp.status,
                                       {k.lower(): v for k, v in resp.getheaders()}, resp.read()))
            return out
        finally:
            shared.close()
            sock.close()

    def raw(self, target=None, body=b"{}", *, method="POST", path="/", headers=None, sign=True,
            access_key=None, secret_key=None, when=None, region=REGION,
            content_type="application/x-amz-json-1.1", timeout=30):
        """Sends one HTTP request. `target` is the operation name (AmazonPersonalize.<target>).

        `body` may be bytes, str or a JSON-able object. With `sign`, botocore's SigV4Auth signs it
        (service personalize) with the given keys, at time `when` (naive UTC datetime) if given.
        """
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        hdrs = {}
        if content_type:
            hdrs["Content-Type"] = content_type
        if target:
            hdrs["X-Amz-Target"] = f"AmazonPersonalize.{target}"
        hdrs.update(headers or {})
        if sign:
            hdrs = self.sign(method, path, hdrs, body, access_key, secret_key, when, region)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            conn.close()


class _SharedFileSocket:
    """Lets several http.client.HTTPResponse objects read one after another from one socket:
    each gets the same buffered reader, and closing a response leaves it open."""

    class _KeepOpen:
        def __init__(self, file):
            self._file = file

        def __getattr__(self, name):
            return getattr(self._file, name)

        def close(self):
            pass

    def __init__(self, sock):
        self._file = sock.makefile("rb")

    def makefile(self, *args, **kwargs):
        return self._KeepOpen(self._file)

    def close(self):
        self._file.close()


def wait_for_status(describe, want, timeout=30.0, interval=0.05):
    """Polls `describe()` (returns the resource dict, with `status`) until its status is `want`.

    Fails at once when the resource settles in a different final status (ACTIVE, CREATE FAILED),
    and after `timeout` seconds otherwise. Returns the last description; `seen` lists statuses.
    """
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        res = describe()
        status = res.get("status")
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == want:
            res["_seen"] = seen
            return res
        if status in ("ACTIVE", "CREATE FAILED") and status != want:
            raise AssertionError(f"wanted status {want!r}, resource settled in {status!r} "
                                 f"(statuses seen {seen}): {res}")
        if time.monotonic() > deadline:
            raise AssertionError(f"status still {status!r} after {timeout}s waiting for {want!r} "
                                 f"(statuses seen {seen}): {res}")
        time.sleep(interval)


def wait_until_gone(describe, timeout=30.0, interval=0.05):
    """Polls `describe()` until it raises ResourceNotFoundException; returns statuses seen."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        try:
            res = describe()
        except ClientError as e:
            if e.response["Error"]["Code"] == "ResourceNotFoundException":
                return seen
            raise
        status = res.get("status")
        if not seen or seen[-1] != status:
            seen.append(status)
        if time.monotonic() > deadline:
            raise AssertionError(f"resource still there after {timeout}s, statuses {seen}: {res}")
        time.sleep(interval)


class ServerTestCase(unittest.TestCase):
    """Base class: one kindred server for the whole test class, in `cls.server`, boto3 in `cls.pz`."""

    server_args = ()
    server_auth = True
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = KindredServer(extra_args=cls.server_args, auth=cls.server_auth)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.pz = cls.server.client()

    def restart(self, hard=True):
        """kill -9 (or SIGTERM) and start again on the same data dir; refreshes `self.pz`."""
        self.server.restart(hard=hard)
        type(self).pz = self.server.client()

    def tearDown(self):
        if not self.server.alive():
            self.fail(f"kindred died during {self.id()} (exit code {self.server.proc.poll()}):\n"
                      f"{self.server.output_tail()}")

    # -- assertions ----------------------------------------------------------------------------
    def assertApiError(self, code, call, *args, status=400, contains=(), **kwargs):
        """Asserts that a boto3 call fails with error `code` and HTTP `status`; returns the error."""
        try:
            res = call(*args, **kwargs)
        except ClientError as e:
            got = e.response["Error"]["Code"]
            got_status = e.response["ResponseMetadata"]["HTTPStatusCode"]
            self.assertEqual((got, got_status), (code, status),
                             f"wrong error: {e.response.get('Error')}")
            message = e.response["Error"].get("Message", "")
            for needle in ([contains] if isinstance(contains, str) else contains):
                self.assertIn(needle, message, f"{code} message should mention {needle!r}")
            return e
        self.fail(f"expected {code}, call succeeded: {res}")

    def assertRawError(self, resp, code, status=400):
        self.assertEqual((resp.status, resp.error_type), (status, code), f"response: {resp!r}")

    def assertServerAlive(self):
        self.assertTrue(self.server.alive(), f"kindred died:\n{self.server.output_tail()}")
        self.pz.list_dataset_groups(maxResults=1)

    # -- resources -----------------------------------------------------------------------------
    def create_schema(self, schema=INTERACTIONS_SCHEMA, name=None):
        text = schema if isinstance(schema, str) else json.dumps(schema)
        return self.pz.create_schema(name=name or uniq("schema"), schema=text)["schemaArn"]

    def create_group(self, name=None, wait=True, **kwargs):
        arn = self.pz.create_dataset_group(name=name or uniq("group"), **kwargs)["datasetGroupArn"]
        if wait:
            self.wait_group(arn)
        return arn

    def wait_group(self, arn, want="ACTIVE", timeout=30):
        return wait_for_status(
            lambda: self.pz.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"],
            want, timeout)

    def create_dataset(self, group_arn, dataset_type="Interactions", schema_arn=None, name=None,
                       wait=True, **kwargs):
        if schema_arn is None:
            schema_arn = self.create_schema({"Interactions": INTERACTIONS_SCHEMA,
                                             "Items": ITEMS_SCHEMA,
                                             "Users": USERS_SCHEMA}[dataset_type])
        arn = self.pz.create_dataset(name=name or uniq("ds"), schemaArn=schema_arn,
                                     datasetGroupArn=group_arn, datasetType=dataset_type,
                                     **kwargs)["datasetArn"]
        if wait:
            wait_for_status(lambda: self.pz.describe_dataset(datasetArn=arn)["dataset"],
                            "ACTIVE", 30)
        return arn

    def new_dataset(self, dataset_type="Interactions"):
        """A fresh ACTIVE group with one ACTIVE dataset; returns (group_arn, dataset_arn)."""
        group = self.create_group()
        return group, self.create_dataset(group, dataset_type)

    def put_s3(self, key, content, bucket="e2e"):
        """Writes `content` (str or bytes) at s3://bucket/key under the server's s3 root."""
        path = os.path.join(self.server.s3_root, bucket, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
        return f"s3://{bucket}/{key}"

    def start_import(self, dataset_arn, location, mode=None, name=None, **kwargs):
        if mode:
            kwargs["importMode"] = mode
        return self.pz.create_dataset_import_job(
            jobName=name or uniq("job"), datasetArn=dataset_arn,
            dataSource={"dataLocation": location}, roleArn=ROLE_ARN, **kwargs,
        )["datasetImportJobArn"]

    def wait_import(self, job_arn, want="ACTIVE", timeout=60):
        """Waits for the job's status and returns the full raw description (with importReport)."""
        wait_for_status(lambda: self.describe_raw("DescribeDatasetImportJob",
                                                  datasetImportJobArn=job_arn)["datasetImportJob"],
                        want, timeout)
        return self.describe_raw("DescribeDatasetImportJob",
                                 datasetImportJobArn=job_arn)["datasetImportJob"]

    def run_import(self, dataset_arn, location, want="ACTIVE", mode=None, timeout=60):
        return self.wait_import(self.start_import(dataset_arn, location, mode), want, timeout)

    def describe_raw(self, operation, **body):
        """Calls an operation with a raw signed request and returns the whole JSON response.

        boto3 drops fields its model does not know (importReport, rowCount); this keeps them.
        """
        resp = self.server.raw(operation, body)
        self.assertEqual(resp.status, 200, f"{operation} failed: {resp!r}")
        return resp.json()

    def row_count(self, dataset_arn):
        ds = self.describe_raw("DescribeDataset", datasetArn=dataset_arn)["dataset"]
        self.assertIn("rowCount", ds, f"DescribeDataset lacks rowCount: {ds}")
        return ds["rowCount"]


def interactions_csv(rows, header="USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"):
    """CSV text from a header and a list of row tuples/strings."""
    lines = [header]
    for r in rows:
        lines.append(r if isinstance(r, str) else ",".join(str(v) for v in r))
    return "\n".join(lines) + "\n"


def good_interactions(n, start_user=0, ts=1_600_000_000):
    return [(f"u{start_user + i}", f"i{i % 17}", ts + i, "click" if i % 2 else "watch", "")
            for i in range(n)]
