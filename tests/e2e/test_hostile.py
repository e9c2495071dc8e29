"""Hostile and malformed input: kindred answers with proper errors and stays up."""

import os
import socket
import threading

from harness import ServerTestCase, uniq

BODY_LIMIT = 1 << 20


class HostileInputTest(ServerTestCase):
    server_args = ("--body-limit", str(BODY_LIMIT))

    def tearDown(self):
        self.assertServerAlive()
        super().tearDown()

    def socket_exchange(self, data, timeout=10):
        """Sends raw bytes, tolerating a server that stops reading; returns what came back."""
        s = socket.create_connection((self.server.host, self.server.port), timeout=timeout)
        try:
            try:
                for i in range(0, len(data), 65536):
                    s.sendall(data[i:i + 65536])
            except (BrokenPipeError, ConnectionResetError):
                pass
            chunks = []
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    if b"\r\n\r\n" in b"".join(chunks) and len(b"".join(chunks)) > 12:
                        s.settimeout(1)
            except (socket.timeout, ConnectionResetError):
                pass
            return b"".join(chunks)
        finally:
            s.close()

    @staticmethod
    def status_of(response_bytes):
        line = response_bytes.split(b"\r\n", 1)[0].split()
        return int(line[1]) if len(line) >= 2 and line[1].isdigit() else None

    # -- bodies ----------------------------------------------------------------------------------
    def test_body_over_limit(self):
        body = b'{"name": "' + b"a" * (2 * BODY_LIMIT) + b'"}'
        headers = self.server.sign("POST", "/", {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonPersonalize.CreateDatasetGroup"}, body)
        head = f"POST / HTTP/1.1\r\nHost: {self.server.host}:{self.server.port}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head += f"Content-Length: {len(body)}\r\n\r\n"
        reply = self.socket_exchange(head.encode() + body)
        self.assertEqual(self.status_of(reply), 413, reply[:500])
        self.assertIn(b"RequestEntityTooLargeException", reply)

    def test_signed_body_just_under_limit_is_read(self):
        body = b'{"name": "' + b"a" * (BODY_LIMIT - 100) + b'"}'
        resp = self.server.raw("CreateDatasetGroup", body)
        self.assertRawError(resp, "InvalidInputException")
        self.assertIn("name", resp.message)

    def test_garbage_bytes(self):
        resp = self.server.raw("CreateDatasetGroup", os.urandom(4096))
        self.assertRawError(resp, "SerializationException")

    def test_not_json(self):
        resp = self.server.raw("ListDatasetGroups", "maxResults=3")
        self.assertRawError(resp, "SerializationException")

    def test_json_but_not_an_object(self):
        for body in ("[]", "42", '"name"', "null"):
            with self.subTest(body=body):
                self.assertRawError(self.server.raw("ListDatasetGroups", body),
                                    "SerializationException")

    def test_truncated_json(self):
        resp = self.server.raw("CreateDatasetGroup", '{"name": "half')
        self.assertRawError(resp, "SerializationException")

    def test_deep_nesting(self):
        depth = 100_000
        body = '{"name": ' + "[" * depth + "]" * depth + "}"
        self.assertRawError(self.server.raw("CreateDatasetGroup", body), "SerializationException")
        self.assertRawError(self.server.raw("ListDatasetGroups", "[" * depth),
                            "SerializationException")

    def test_wrong_member_types(self):
        self.assertRawError(self.server.raw("CreateDatasetGroup", {"name": 123}),
                            "SerializationException")
        self.assertRawError(self.server.raw("ListDatasetGroups", {"maxResults": "three"}),
                            "SerializationException")
        self.assertRawError(self.server.raw("CreateDatasetGroup",
                                            {"name": uniq("g"), "tags": "team=recs"}),
                            "SerializationException")

    # -- names -----------------------------------------------------------------------------------
    def test_invalid_utf8_in_name(self):
        resp = self.server.raw("CreateDatasetGroup", b'{"name": "grp-\xff\xfe\xc3"}')
        self.assertRawError(resp, "SerializationException")

    def test_non_ascii_and_control_characters_in_name(self):
        for name in ("gr\u00fcppe", "a\u0000b", "tab\there", "x" * 10_000, ""):
            with self.subTest(name=name[:20]):
                resp = self.server.raw("CreateDatasetGroup", {"name": name})
                self.assertRawError(resp, "InvalidInputException")
                self.assertIn("name", resp.message)

    # -- operations, methods, paths ------------------------------------------------------------------
    def test_unknown_operation(self):
        self.assertRawError(self.server.raw("CreateRecommenderFromThinAir", {}),
                            "UnknownOperationException")
        self.assertRawError(self.server.raw(None, {}, headers={"X-Amz-Target": "Nope.Nope"}),
                            "UnknownOperationException")

    def test_missing_target(self):
        self.assertRawError(self.server.raw(None, {}), "UnknownOperationException")

    def test_wrong_http_method(self):
        for method in ("GET", "PUT", "DELETE"):
            with self.subTest(method=method):
                resp = self.server.raw("ListDatasetGroups", b"" if method == "GET" else b"{}",
                                       method=method)
                self.assertRawError(resp, "MethodNotAllowedException", 405)
                self.assertEqual(resp.headers.get("allow"), "POST")

    def test_unknown_path(self):
        for path in ("/admin", "/admin/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
            with self.subTest(path=path):
                resp = self.server.raw("ListDatasetGroups", {}, path=path)
                self.assertRawError(resp, "UnknownOperationException", 404)
                self.assertNotIn(b"root:", resp.body)

    def test_not_http_at_all(self):
        tls_client_hello = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(500)
        reply = self.socket_exchange(tls_client_hello)
        self.assertEqual(self.status_of(reply), 400, reply[:300])
        self.assertIn(b"BadRequestException", reply)

    # -- connections -----------------------------------------------------------------------------
    def test_content_length_lie(self):
        head = (f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                "X-Amz-Target: AmazonPersonalize.ListDatasetGroups\r\n\r\n{}").encode()
        s = socket.create_connection((self.server.host, self.server.port), timeout=5)
        s.sendall(head)
        s.close()  # the server waits for 998 bytes that never come

    def test_stalled_connection_does_not_block_others(self):
        stalled = [socket.create_connection((self.server.host, self.server.port), timeout=5)
                   for _ in range(8)]
        try:
            for s in stalled:
                s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar")
            resp = self.server.raw("ListDatasetGroups", {}, timeout=10)
            self.assertEqual(resp.status, 200, resp)
        finally:
            for s in stalled:
                s.close()

    def test_concurrent_requests(self):
        results = []
        lock = threading.Lock()

        def worker():
            for _ in range(10):
                status = self.server.raw("ListDatasetGroups", {"maxResults": 5}).status
                with lock:
                    results.append(status)

        threads = [threading.Thread(target=worker) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(results, [200] * 160)
