"""The `kindred` command itself: version, start-up, credentials, graceful shutdown."""

import json
import os
import re
import signal
import subprocess
import unittest

from harness import ACCESS_KEY, ServerTestCase, KindredServer, kindred_bin, uniq


class VersionTest(unittest.TestCase):
    def test_version(self):
        out = subprocess.run([kindred_bin(), "version"], capture_output=True, text=True,
                             timeout=10)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout.strip(), r"^kindred \d+\.\d+\.\d+\S*$")


class GracefulShutdownTest(ServerTestCase):
    def test_sigterm_exits_zero_and_keeps_data(self):
        group = self.create_group()
        self.assertEqual(self.server.terminate(), 0, self.server.output_tail())
        self.server.start()
        type(self).pz = self.server.client()
        self.assertEqual(self.pz.describe_dataset_group(
            datasetGroupArn=group)["datasetGroup"]["status"], "ACTIVE")

    def test_sigint_exits_zero(self):
        self.server.proc.send_signal(signal.SIGINT)
        self.assertEqual(self.server.proc.wait(timeout=15), 0, self.server.output_tail())
        self.server.start()
        type(self).pz = self.server.client()


class CredentialsTest(unittest.TestCase):
    def server(self, **kwargs):
        srv = KindredServer(**kwargs)
        self.addCleanup(srv.cleanup)
        return srv

    def test_generated_keys_are_stored_printed_and_reused(self):
        srv = self.server(keys=None)
        srv.start()
        path = os.path.join(srv.data_dir, "credentials.json")
        self.assertTrue(os.path.isfile(path), "credentials.json was not written")
        with open(path) as f:
            keys = json.load(f)["keys"]
        self.assertEqual(len(keys), 1)
        key, secret = keys[0]["accessKeyId"], keys[0]["secretAccessKey"]
        self.assertTrue(key and secret)
        self.assertIn(key, srv.output_tail(), "the generated access key was not printed")
        self.assertIn(secret, srv.output_tail(), "the generated secret was not printed")
        self.assertEqual(os.stat(path).st_mode & 0o077, 0, "credentials.json is readable by others")

        client = srv.client(access_key=key, secret_key=secret)
        group = client.create_dataset_group(name=uniq("g"))["datasetGroupArn"]
        rejected = srv.client(access_key=ACCESS_KEY, secret_key="whatever")
        with self.assertRaises(Exception) as ctx:
            rejected.list_dataset_groups()
        self.assertEqual(ctx.exception.response["Error"]["Code"], "UnrecognizedClientException")

        srv.restart(hard=False)
        with open(path) as f:
            self.assertEqual(json.load(f)["keys"], keys, "credentials.json was rewritten")
        client = srv.client(access_key=key, secret_key=secret)
        client.describe_dataset_group(datasetGroupArn=group)

    def test_keys_from_environment(self):
        srv = self.server(keys=None, env={"KINDRED_ACCESS_KEY_ID": "AKIDFROMENVIRONMENT1",
                                          "KINDRED_SECRET_ACCESS_KEY": "env-secret"})
        srv.start()
        client = srv.client(access_key="AKIDFROMENVIRONMENT1", secret_key="env-secret")
        self.assertIn("datasetGroups", client.list_dataset_groups())
        self.assertFalse(os.path.exists(os.path.join(srv.data_dir, "credentials.json")))

    def test_listening_line(self):
        srv = self.server()
        srv.start()
        self.assertRegex(srv.output_tail(), re.compile(
            r"kindred listening on http://127\.0\.0\.1:%d" % srv.port))
