"""Self-test of official_wire.py: the sample cases pass, and every kind of mistake in our wire
(wrong name, wrong placement, dropped value, changed value) is reported.

Run from this directory with a Python that has the official SDK:
    python -m unittest -v
"""
import copy
import io
import json
import os
import socket
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import official_wire  # noqa: E402

SAMPLE = os.path.join(HERE, "sample_cases.json")


def load_sample():
    with open(SAMPLE, encoding="utf-8") as f:
        return json.load(f)["cases"]


def case_of(cases, action):
    return next(c for c in cases if c["action"] == action)


class OfficialWireTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sdk = official_wire.OfficialSdk()

    def run_cases(self, cases):
        diffs, _, _ = official_wire.run(cases, self.sdk)
        return diffs

    def assertReported(self, diffs, parameter, kind):
        found = [(d.parameter, d.kind) for d in diffs]
        self.assertIn((parameter, kind), found, "\n".join(d.render() for d in diffs))

    def mutated(self, action, mutate):
        """The differences of the sample case of `action` after `mutate(case)`."""
        case = copy.deepcopy(case_of(load_sample(), action))
        mutate(case)
        return self.run_cases([case])

    # -- the sample passes ---------------------------------------------------------------------

    def test_sample_cases_have_no_difference(self):
        cases = load_sample()
        diffs, operations, compared = official_wire.run(cases, self.sdk)
        self.assertEqual([d.render() for d in diffs], [])
        self.assertEqual(operations, 4)
        expected = sum(len(c["wire"]["query"]) + len(c["wire"]["body"]) for c in cases)
        self.assertEqual(compared, expected)

    def test_sample_cases_pass_with_the_v1_signature_too(self):
        diffs, _, _ = official_wire.run(load_sample(), official_wire.OfficialSdk("v1"))
        self.assertEqual([d.render() for d in diffs], [])

    def test_the_official_sdk_sends_booleans_as_python_text(self):
        # The reason for the one case-insensitive comparison: keep it honest.
        wire, problems = self.sdk.wire("DescribeVpnGateways", {"RegionId": "r", "IncludeReservationData": True})
        self.assertEqual(problems, [])
        self.assertEqual(wire, {"query": {"RegionId": "r", "IncludeReservationData": "True"}, "body": {}})

    # -- wrong names ---------------------------------------------------------------------------

    def test_a_name_the_official_model_does_not_know_is_reported(self):
        def rename(case):
            case["values"]["VpnGatewayID"] = case["values"].pop("VpnGatewayId")
            case["wire"]["query"]["VpnGatewayID"] = case["wire"]["query"].pop("VpnGatewayId")

        diffs = self.mutated("CreateVpnConnection", rename)
        self.assertReported(diffs, "VpnGatewayID", "unknown to the official model")
        self.assertReported(diffs, "VpnGatewayID", "the official SDK does not send it")

    def test_an_unknown_nested_field_is_reported_with_its_path(self):
        def add(case):
            case["values"]["TunnelOptionsSpecification"][1]["TunnelIkeConfig"]["PreSharedKey"] = "x"
            case["wire"]["body"]["TunnelOptionsSpecification.2.TunnelIkeConfig.PreSharedKey"] = "x"

        diffs = self.mutated("CreateVpnConnection", add)
        self.assertReported(
            diffs, "TunnelOptionsSpecification.2.TunnelIkeConfig.PreSharedKey", "unknown to the official model"
        )

    def test_a_wrong_wire_name_for_a_known_value_is_reported(self):
        def misspell(case):
            case["wire"]["query"]["Tag.1.key"] = case["wire"]["query"].pop("Tag.1.Key")

        diffs = self.mutated("TagResources", misspell)
        self.assertReported(diffs, "Tag.1.Key", "only the official SDK sends it")
        self.assertReported(diffs, "Tag.1.key", "the official SDK does not send it")

    def test_a_list_numbered_from_zero_is_reported(self):
        def renumber(case):
            query = case["wire"]["query"]
            query["ResourceId.0"] = query.pop("ResourceId.1")

        diffs = self.mutated("TagResources", renumber)
        self.assertReported(diffs, "ResourceId.1", "only the official SDK sends it")
        self.assertReported(diffs, "ResourceId.0", "the official SDK does not send it")

    def test_a_flat_object_sent_as_a_list_is_reported(self):
        def as_list(case):
            query = case["wire"]["query"]
            query["TunnelOptionsSpecification.1.TunnelIkeConfig.Psk"] = query.pop(
                "TunnelOptionsSpecification.TunnelIkeConfig.Psk"
            )

        diffs = self.mutated("ModifyTunnelAttribute", as_list)
        self.assertReported(diffs, "TunnelOptionsSpecification.TunnelIkeConfig.Psk", "only the official SDK sends it")

    # -- wrong placement -----------------------------------------------------------------------

    def test_a_body_parameter_sent_in_the_query_is_reported(self):
        def move(case):
            wire = case["wire"]
            wire["query"]["TunnelOptionsSpecification.1.Role"] = wire["body"].pop("TunnelOptionsSpecification.1.Role")

        diffs = self.mutated("CreateVpnConnection", move)
        self.assertReported(diffs, "TunnelOptionsSpecification.1.Role", "different placement")
        self.assertEqual(len(diffs), 1, [d.render() for d in diffs])

    def test_a_query_parameter_sent_in_the_body_is_reported(self):
        def move(case):
            wire = case["wire"]
            wire["body"]["PageSize"] = wire["query"].pop("PageSize")

        diffs = self.mutated("DescribeVpnGateways", move)
        self.assertReported(diffs, "PageSize", "different placement")

    # -- dropped values ------------------------------------------------------------------------

    def test_a_value_our_wire_drops_is_reported(self):
        def drop(case):
            del case["wire"]["body"]["TunnelOptionsSpecification.2.TunnelIkeConfig.Psk"]

        diffs = self.mutated("CreateVpnConnection", drop)
        self.assertReported(diffs, "TunnelOptionsSpecification.2.TunnelIkeConfig.Psk", "only the official SDK sends it")

    def test_an_empty_value_our_wire_drops_is_reported(self):
        def drop(case):
            del case["wire"]["query"]["Tag.2.Value"]

        diffs = self.mutated("TagResources", drop)
        self.assertReported(diffs, "Tag.2.Value", "only the official SDK sends it")

    def test_a_value_set_but_sent_by_neither_side_is_reported(self):
        # The official SDK sends every value its model keeps; this checks the rule itself.
        diffs, _ = official_wire.compare(
            1, "X", {"A": {"B": "b"}}, {"query": {}, "body": {}}, {"query": {}, "body": {}}, []
        )
        self.assertReported(diffs, "A.B", "set in values, sent by neither side")

    def test_a_value_sent_whole_under_its_parent_name_is_not_dropped(self):
        diffs, _ = official_wire.compare(
            1, "X", {"A": {"B": "b"}}, {"query": {"A": '{"B":"b"}'}, "body": {}},
            {"query": {"A": '{"B":"b"}'}, "body": {}}, [],
        )
        self.assertEqual(diffs, [])

    # -- changed values ------------------------------------------------------------------------

    def test_a_changed_integer_is_reported(self):
        def change(case):
            case["wire"]["query"]["PageSize"] = "51"

        diffs = self.mutated("DescribeVpnGateways", change)
        self.assertReported(diffs, "PageSize", "different value")

    def test_a_flipped_boolean_is_reported(self):
        def flip(case):
            case["wire"]["body"]["TunnelOptionsSpecification.1.EnableDpd"] = "false"

        diffs = self.mutated("CreateVpnConnection", flip)
        self.assertReported(diffs, "TunnelOptionsSpecification.1.EnableDpd", "different value")

    def test_case_is_ignored_only_for_boolean_inputs(self):
        def recase(case):
            case["wire"]["query"]["Status"] = "Active"
            case["wire"]["query"]["IncludeReservationData"] = "TRUE"

        diffs = self.mutated("DescribeVpnGateways", recase)
        self.assertReported(diffs, "Status", "different value")
        self.assertEqual([d.parameter for d in diffs], ["Status"])

    def test_boolean_looking_text_is_compared_exactly(self):
        def text(case):
            case["values"]["Name"] = "True"
            case["wire"]["query"]["Name"] = "true"

        diffs = self.mutated("CreateVpnConnection", text)
        self.assertReported(diffs, "Name", "different value")

    def test_json_text_is_compared_byte_for_byte(self):
        def respace(case):
            case["wire"]["query"]["IkeConfig"] = '{"Psk": "k", "IkeVersion": "ikev2"}'

        diffs = self.mutated("CreateVpnConnection", respace)
        self.assertReported(diffs, "IkeConfig", "different value")

    def test_text_with_reserved_characters_is_compared_decoded(self):
        def change(case):
            case["wire"]["query"]["Name"] = case["wire"]["query"]["Name"].replace("+", " ")

        diffs = self.mutated("CreateVpnConnection", change)
        self.assertReported(diffs, "Name", "different value")

    # -- the command line ----------------------------------------------------------------------

    def write(self, cases):
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
        with f:
            json.dump({"cases": cases}, f, ensure_ascii=False)
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_command_line_passes_the_sample(self):
        out = io.StringIO()
        self.assertEqual(official_wire.main([SAMPLE], out=out), 0)
        self.assertEqual(
            out.getvalue().splitlines()[-1],
            f"wire parity: 4 operations, {sum(len(c['wire']['query']) + len(c['wire']['body']) for c in load_sample())} parameters compared",
        )

    def test_command_line_reports_every_difference_and_fails(self):
        cases = load_sample()
        case_of(cases, "DescribeVpnGateways")["wire"]["query"]["PageNumber"] = "3"
        create = case_of(cases, "CreateVpnConnection")["wire"]
        create["query"]["TunnelOptionsSpecification.1.Role"] = create["body"].pop("TunnelOptionsSpecification.1.Role")
        out = io.StringIO()
        self.assertEqual(official_wire.main([self.write(cases)], out=out), 1)
        text = out.getvalue()
        self.assertIn(
            'case 3 DescribeVpnGateways: PageNumber: different value; ours: query "3"; official: query "2"', text
        )
        self.assertIn(
            "case 1 CreateVpnConnection: TunnelOptionsSpecification.1.Role: different placement; "
            'ours: query "master"; official: body "master"',
            text,
        )
        self.assertIn("wire parity: 4 operations, ", text)
        self.assertIn("wire parity: 2 differences", text)

    def test_emit_prints_the_official_wire(self):
        cases = load_sample()
        for c in cases:
            del c["wire"]
        out = io.StringIO()
        self.assertEqual(official_wire.main(["--emit", self.write(cases)], out=out), 0)
        emitted = json.loads(out.getvalue())["cases"]
        self.assertEqual([c["action"] for c in emitted], [c["action"] for c in cases])
        create = emitted[0]["wire"]
        self.assertEqual(create["query"]["EffectImmediately"], "True")
        self.assertEqual(create["body"]["TunnelOptionsSpecification.1.TunnelIkeConfig.Psk"], "s3cret")
        self.assertEqual(emitted[1]["wire"]["body"], {})

    def test_malformed_cases_are_refused(self):
        for bad in (
            '{"cases": [{"action": "TagResources", "values": {"RegionId": null}, "wire": {}}]}',
            '{"cases": [{"action": "TagResources", "values": {}, "values": {}, "wire": {}}]}',
            '{"cases": [{"action": "TagResources", "values": {}, "wire": {"query": {"A": 1}}}]}',
            '{"cases": [{"action": "TagResources", "values": {}}]}',
        ):
            with self.subTest(bad=bad):
                with self.assertRaises(official_wire.UsageError):
                    official_wire.parse_cases(bad, need_wire=True)

    def test_an_unknown_action_is_reported(self):
        diffs = self.run_cases([{"action": "CreateVpnTunnel", "values": {}, "wire": {"query": {}, "body": {}}}])
        self.assertReported(diffs, "(request)", "the official SDK failed")

    def test_nothing_reaches_the_network_while_intercepting(self):
        with official_wire._intercepted():
            with self.assertRaises(official_wire._NetworkAttempt):
                socket.getaddrinfo("vpc.aliyuncs.com", 443)
            with self.assertRaises(official_wire._NetworkAttempt):
                socket.create_connection(("127.0.0.1", 9))
            with socket.socket() as s, self.assertRaises(official_wire._NetworkAttempt):
                s.connect(("127.0.0.1", 9))

    def test_interception_is_undone(self):
        import requests.adapters

        before = (socket.getaddrinfo, socket.create_connection, requests.adapters.HTTPAdapter.send)
        self.sdk.wire("TagResources", {"RegionId": "r"})
        after = (socket.getaddrinfo, socket.create_connection, requests.adapters.HTTPAdapter.send)
        self.assertEqual(after, before)
        self.assertNotIn("connect", vars(socket.socket))


if __name__ == "__main__":
    unittest.main()
