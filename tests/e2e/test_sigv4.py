"""SigV4: what kindred accepts and how it refuses, as AWS does (403 + error type)."""

import datetime
import http.client

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from harness import ACCESS_KEY, SECRET_KEY, ServerTestCase


class SigV4Test(ServerTestCase):
    def test_signed_raw_request(self):
        resp = self.server.raw("ListDatasetGroups", {})
        self.assertEqual(resp.status, 200, resp)
        self.assertIn("datasetGroups", resp.json())

    def test_any_region(self):
        client = self.server.client(region="eu-west-1")
        self.assertIn("datasetGroups", client.list_dataset_groups())
        resp = self.server.raw("ListDatasetGroups", {}, region="ap-southeast-2")
        self.assertEqual(resp.status, 200, resp)

    def test_no_authorization(self):
        resp = self.server.raw("ListDatasetGroups", {}, sign=False)
        self.assertRawError(resp, "MissingAuthenticationTokenException", 403)

    def test_unknown_access_key(self):
        resp = self.server.raw("ListDatasetGroups", {}, access_key="AKIDUNKNOWN000000000")
        self.assertRawError(resp, "UnrecognizedClientException", 403)
        client = self.server.client(access_key="AKIDUNKNOWN000000000")
        self.assertApiError("UnrecognizedClientException", client.list_dataset_groups,
                            status=403)

    def test_wrong_secret(self):
        resp = self.server.raw("ListDatasetGroups", {}, secret_key=SECRET_KEY + "x")
        self.assertRawError(resp, "InvalidSignatureException", 403)
        client = self.server.client(secret_key="not-the-secret")
        self.assertApiError("InvalidSignatureException", client.list_dataset_groups, status=403)

    def test_expired_signature(self):
        old = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
        resp = self.server.raw("ListDatasetGroups", {}, when=old)
        self.assertRawError(resp, "InvalidSignatureException", 403)
        self.assertIn("Signature expired", resp.message)

    def test_signature_from_the_future(self):
        ahead = datetime.datetime.utcnow() + datetime.timedelta(minutes=20)
        resp = self.server.raw("ListDatasetGroups", {}, when=ahead)
        self.assertRawError(resp, "InvalidSignatureException", 403)

    def test_recent_signature_is_fine(self):
        recent = datetime.datetime.utcnow() - datetime.timedelta(minutes=5)
        resp = self.server.raw("ListDatasetGroups", {}, when=recent)
        self.assertEqual(resp.status, 200, resp)

    def send_tampered(self, body=None, headers=None):
        """Signs a ListDatasetGroups request, then changes its body or headers and sends it."""
        signed_body = b'{"maxResults": 1}'
        req = AWSRequest(method="POST", url=self.server.url + "/", data=signed_body, headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonPersonalize.ListDatasetGroups"})
        SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "personalize", "us-east-1").add_auth(req)
        sent_headers = dict(req.headers.items())
        sent_headers.update(headers or {})
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request("POST", "/", body=signed_body if body is None else body,
                         headers=sent_headers)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def test_untampered_control(self):
        status, data = self.send_tampered()
        self.assertEqual(status, 200, data)

    def test_body_changed_after_signing(self):
        status, data = self.send_tampered(body=b'{"maxResults": 2}')
        self.assertEqual(status, 403, data)
        self.assertIn(b"InvalidSignatureException", data)

    def test_target_changed_after_signing(self):
        status, data = self.send_tampered(
            headers={"X-Amz-Target": "AmazonPersonalize.ListSchemas"})
        self.assertEqual(status, 403, data)
        self.assertIn(b"InvalidSignatureException", data)


class NoAuthTest(ServerTestCase):
    server_auth = False

    def test_unsigned_requests_accepted(self):
        resp = self.server.raw("ListDatasetGroups", {}, sign=False)
        self.assertEqual(resp.status, 200, resp)
        resp = self.server.raw("CreateDatasetGroup", {"name": "open-door"}, sign=False)
        self.assertEqual(resp.status, 200, resp)
        self.assertTrue(resp.json()["datasetGroupArn"].endswith("dataset-group/open-door"))

    def test_boto3_still_works(self):
        self.assertIn("datasetGroups", self.pz.list_dataset_groups())
