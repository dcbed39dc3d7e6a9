"""Wire parity with Alibaba's official Python SDK (alibabacloud-vpc20160428).

Checks that our SDK sends exactly the operation parameters the official SDK sends for the same
values: the same names, the same values and the same placement (URL query or form body). Nothing
goes to the network: the official SDK builds and signs its request, and the transport's `send`
(`requests.adapters.HTTPAdapter.send`, the last step before a connection is opened, used by both
the `darabonba` and the older `Tea` cores) is replaced for the duration of the call by a function
that keeps the prepared request and raises a sentinel. Name resolution and socket connections
are made to fail loudly meanwhile, so a change in the SDK's transport shows up as an error, never
as a request to Alibaba.

Usage:

    python official_wire.py CASES.json              # compare; exit 1 on any difference
    python official_wire.py --emit CASES.json       # print the official SDK's wire per case
    python official_wire.py --signature v1 CASES.json

Run it with the Python of a virtualenv that has `alibabacloud-vpc20160428`;
`emulator/tests/python/run.sh` creates one at `target/python-sdk-venv` and runs the sample
cases and the self-test (`python -m unittest test_official_wire`, from this directory).

Cases file (UTF-8 JSON):

    {"cases": [
      {"action": "TagResources",
       "values": {"RegionId": "cn-hangzhou", "ResourceType": "VPNGATEWAY",
                  "ResourceId": ["vpn-1"], "Tag": [{"Key": "env", "Value": "test"}]},
       "wire": {"query": {"RegionId": "cn-hangzhou", "ResourceType": "VPNGATEWAY",
                          "ResourceId.1": "vpn-1", "Tag.1.Key": "env", "Tag.1.Value": "test"},
                "body": {}}}
    ]}

`values` uses wire names and the JSON types the official request models take
(`<Action>Request().from_map(values)`): booleans as JSON booleans, integers as numbers,
parameters the API takes as JSON text as strings, lists as arrays, structs as objects; `null` is
refused (leave the key out). `wire` is what our SDK sends for the same values: operation
parameters only (no common or signature parameters), decoded, split into `query` and `body`,
every value a string. `--emit` ignores `wire` and prints the cases with the official SDK's wire
in its place, in the same shape.

What counts as a difference, per case:
- a `values` key (at any depth) that the official request model drops when it reads the values
  (`from_map(values).to_map()` does not give it back): the name is not one the SDK knows, so
  our wire name is wrong;
- a value set in `values` that the official SDK does not send;
- a parameter only one side sends, or both send in different places (query / body);
- a value that differs. Values are compared byte for byte after decoding, with one exception:
  the official SDK renders booleans with Python's `str` (`True`/`False`) and the service reads
  booleans case-insensitively, so where the case's input for that parameter is a JSON boolean,
  `true` and `True` are equal. Nowhere else is case ignored;
- a request for another action or version than the case's, or a parameter sent twice.

The common parameters removed from the official request before comparing are listed in
`COMMON_PARAMETERS`. With the default V3 signature (ACS3-HMAC-SHA256) the official SDK sends
none of them: action and version travel in the `x-acs-action` and `x-acs-version` headers, which
are checked against the case instead. With `--signature v1` (HMAC-SHA1, the SDK's
`signature_algorithm="v2"`) they are in the query and `Action`/`Version` are checked there.

Output: one line per difference (case, action, parameter, kind, ours and official with their
placement), then `wire parity: N operations, M parameters compared`; exit 0 when there is no
difference, 1 when there is, 2 when the cases file or the SDK cannot be used.
"""
import argparse
import contextlib
import copy
import importlib
import json
import socket
import sys
from urllib.parse import parse_qsl, urlsplit

API_VERSION = "2016-04-28"
ENDPOINT = "vpc.aliyuncs.com"
PLACEMENTS = ("query", "body")

# Parameters the official SDK adds to every request (v1 signature in the query; bearer and
# anonymous variants included), never operation parameters.
COMMON_PARAMETERS = frozenset(
    {
        "Action",
        "Version",
        "Format",
        "AccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "SignatureType",
        "Timestamp",
        "SecurityToken",
        "BearerToken",
    }
)


class UsageError(Exception):
    """The cases file or the environment cannot be used (exit 2)."""


class _Captured(BaseException):
    """Raised in place of sending: carries the prepared request. A BaseException, so the SDK's
    retry loop (which catches Exception) lets it through on the first attempt."""

    def __init__(self, prepared):
        super().__init__("request captured")
        self.prepared = prepared


class _NetworkAttempt(BaseException):
    """Raised if anything tries to resolve a name or connect while a request is intercepted."""


class Difference:
    """One difference of one case. `ours` and `official` are (placement, value) or None."""

    def __init__(self, case, action, parameter, kind, ours=None, official=None, detail=None):
        self.case, self.action, self.parameter, self.kind = case, action, parameter, kind
        self.ours, self.official, self.detail = ours, official, detail

    def __repr__(self):
        return f"Difference({self.case}, {self.action}, {self.parameter}, {self.kind})"

    def render(self):
        def side(label, pv):
            if pv is None:
                return f"{label}: -"
            placement, value = pv
            return f"{label}: {placement} {json.dumps(value, ensure_ascii=False)}"

        text = f"case {self.case} {self.action}: {self.parameter}: {self.kind}"
        if self.ours is not None or self.official is not None:
            text += f"; {side('ours', self.ours)}; {side('official', self.official)}"
        if self.detail:
            text += f" ({self.detail})"
        return text


# ---------------------------------------------------------------------------------------------
# Cases file


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise UsageError(f"duplicate key {key!r} in the cases file")
        seen[key] = value
    return seen


def _check_no_null(value, path):
    if value is None:
        raise UsageError(f"{path}: null is not a value; leave the key out")
    if isinstance(value, dict):
        for k, v in value.items():
            _check_no_null(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value, 1):
            _check_no_null(v, f"{path}.{i}")


def parse_cases(text, need_wire):
    """The cases of a cases file's text, checked for shape."""
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates)
    except ValueError as e:
        raise UsageError(f"not JSON: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
        raise UsageError('expected an object {"cases": [...]}')
    cases = doc["cases"]
    for n, case in enumerate(cases, 1):
        where = f"case {n}"
        if not isinstance(case, dict):
            raise UsageError(f"{where}: not an object")
        unknown = set(case) - {"action", "values", "wire"}
        if unknown:
            raise UsageError(f"{where}: unknown keys {sorted(unknown)}")
        if not isinstance(case.get("action"), str) or not case["action"]:
            raise UsageError(f"{where}: `action` must be a non-empty string")
        if not isinstance(case.get("values"), dict):
            raise UsageError(f"{where} {case['action']}: `values` must be an object")
        _check_no_null(case["values"], f"{where} {case['action']}: values")
        if not need_wire:
            continue
        wire = case.get("wire")
        if not isinstance(wire, dict) or set(wire) - set(PLACEMENTS):
            raise UsageError(f"{where} {case['action']}: `wire` must be {{\"query\": {{}}, \"body\": {{}}}}")
        for placement in PLACEMENTS:
            params = wire.get(placement, {})
            if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
                raise UsageError(f"{where} {case['action']}: wire.{placement} must map names to strings")
    return cases


def load_cases(path, need_wire):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e}") from e
    try:
        return parse_cases(text, need_wire)
    except UsageError as e:
        raise UsageError(f"{path}: {e}") from e


# ---------------------------------------------------------------------------------------------
# Values


def flatten(value, prefix=""):
    """Wire name -> leaf value, by Alibaba's flat encoding: `Name.N` for list items (from 1),
    `Name.Field` for struct fields, nested as deep as the value goes."""
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else k))
    elif isinstance(value, list):
        for i, v in enumerate(value, 1):
            out.update(flatten(v, f"{prefix}.{i}"))
    else:
        out[prefix] = value
    return out


def dropped_keys(sent, back, path=""):
    """Paths of `sent` that the round trip through the official model lost or changed."""
    if isinstance(sent, dict):
        if not isinstance(back, dict):
            return [path]
        out = []
        for k, v in sent.items():
            p = f"{path}.{k}" if path else k
            out += [p] if k not in back else dropped_keys(v, back[k], p)
        return out
    if isinstance(sent, list):
        if not isinstance(back, list) or len(back) != len(sent):
            return [path]
        out = []
        for i, (a, b) in enumerate(zip(sent, back), 1):
            out += dropped_keys(a, b, f"{path}.{i}")
        return out
    return [] if type(sent) is type(back) and sent == back else [path]


# ---------------------------------------------------------------------------------------------
# The official SDK


_INHERITED = object()


@contextlib.contextmanager
def _intercepted():
    """Within: the HTTP transport keeps the request and raises `_Captured`; DNS and connect
    raise `_NetworkAttempt`."""
    import requests.adapters

    def send(self, request, *args, **kwargs):
        raise _Captured(request)

    def refuse(*args, **kwargs):
        raise _NetworkAttempt("the official SDK tried to reach the network")

    replaced = [
        (requests.adapters.HTTPAdapter, "send", send),
        (socket, "getaddrinfo", refuse),
        (socket, "create_connection", refuse),
        (socket.socket, "connect", refuse),  # inherited from _socket.socket: shadowed, then unshadowed
    ]
    saved = [(owner, name, vars(owner).get(name, _INHERITED)) for owner, name, _ in replaced]
    for owner, name, replacement in replaced:
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        for owner, name, original in saved:
            if original is _INHERITED:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


class OfficialSdk:
    """The official client with dummy credentials, and its request models."""

    def __init__(self, signature="v3"):
        try:
            from alibabacloud_tea_openapi import models as open_api_models
            from alibabacloud_vpc20160428 import models
            from alibabacloud_vpc20160428 import client as client_module
        except ImportError as e:
            raise UsageError(
                f"the official SDK is not installed ({e}); "
                "pip install alibabacloud-vpc20160428"
            ) from e
        runtime_options = getattr(client_module, "RuntimeOptions", None)
        if runtime_options is None:  # SDKs built on the older Tea core
            runtime_options = importlib.import_module("alibabacloud_tea_util.models").RuntimeOptions
        config = open_api_models.Config(
            access_key_id="wire-parity-id",
            access_key_secret="wire-parity-secret",
            endpoint=ENDPOINT,
        )
        if signature == "v1":
            config.signature_algorithm = "v2"  # the SDK's name for the v1 RPC signature
        elif signature != "v3":
            raise UsageError(f"unknown signature {signature!r}")
        self.signature = signature
        self.models = models
        self.runtime_options = runtime_options
        self.client = client_module.Client(config)
        # CreateVpnConnection -> create_vpn_connection_with_options, found by the client's own
        # method names rather than by re-deriving its snake case.
        self.methods = {
            name[: -len("_with_options")].replace("_", "").lower(): name
            for name in dir(self.client)
            if name.endswith("_with_options")
        }

    def request_model(self, action):
        model = getattr(self.models, f"{action}Request", None)
        method = self.methods.get(action.lower())
        if model is None or method is None:
            raise LookupError(f"the official SDK has no operation {action}")
        return model, getattr(self.client, method)

    def wire(self, action, values):
        """(wire, problems): the operation parameters the official SDK sends for `values`, as
        {"query": {...}, "body": {...}}, and a list of (parameter, kind, detail) problems found
        on the way (unknown keys, wrong action, parameters sent twice)."""
        problems = []
        model, call = self.request_model(action)
        request = model().from_map(copy.deepcopy(values))
        for path in dropped_keys(values, request.to_map()):
            problems.append((path, "unknown to the official model", "from_map(values).to_map() loses it"))
        prepared = None
        with _intercepted():
            try:
                call(request, self.runtime_options())
            except _Captured as captured:
                prepared = captured.prepared
            except _NetworkAttempt as e:
                raise RuntimeError(str(e)) from None
        if prepared is None:
            raise RuntimeError("the official SDK returned without sending a request")
        return self._decode(action, prepared, problems), problems

    def _decode(self, action, prepared, problems):
        wire = {}
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        content_type = (prepared.headers.get("content-type") or "").split(";")[0].strip()
        if body and content_type != "application/x-www-form-urlencoded":
            problems.append(("(body)", "not a form body", f"content-type {content_type!r}"))
        raw = {
            "query": urlsplit(prepared.url).query,
            "body": body.decode("utf-8"),
        }
        for placement in PLACEMENTS:
            params = {}
            for name, value in parse_qsl(raw[placement], keep_blank_values=True, errors="strict"):
                if name in params:
                    problems.append((name, f"sent twice in the {placement}", None))
                params[name] = value
            wire[placement] = params
        query = wire["query"]
        if self.signature == "v3":
            sent = (prepared.headers.get("x-acs-action"), prepared.headers.get("x-acs-version"))
        else:
            sent = (query.get("Action"), query.get("Version"))
        if sent != (action, API_VERSION):
            problems.append(("(request)", "wrong operation", f"sent action/version {sent}"))
        for placement in PLACEMENTS:
            for name in COMMON_PARAMETERS:
                wire[placement].pop(name, None)
        return wire


# ---------------------------------------------------------------------------------------------
# Comparison


def _booleans_equal(ours, official):
    return ours.lower() == official.lower() and ours.lower() in ("true", "false")


def compare(case_no, action, values, ours, official, problems):
    """(differences, number of parameters compared) for one case."""
    diffs = [
        Difference(case_no, action, name, kind, detail=detail) for name, kind, detail in problems
    ]
    unknown = [name for name, kind, _ in problems if kind == "unknown to the official model"]
    inputs = flatten(values)

    def where(wire, name):
        for placement in PLACEMENTS:
            if name in wire.get(placement, {}):
                return placement, wire[placement][name]
        return None

    names = set()
    for wire in (ours, official):
        for placement in PLACEMENTS:
            names.update(wire.get(placement, {}))
    for name in sorted(names):
        o, f = where(ours, name), where(official, name)
        if o is None:
            diffs.append(Difference(case_no, action, name, "only the official SDK sends it", o, f))
        elif f is None:
            diffs.append(Difference(case_no, action, name, "the official SDK does not send it", o, f))
        elif o[0] != f[0]:
            diffs.append(Difference(case_no, action, name, "different placement", o, f))
        elif o[1] != f[1] and not (
            isinstance(inputs.get(name), bool) and _booleans_equal(o[1], f[1])
        ):
            diffs.append(Difference(case_no, action, name, "different value", o, f))

    # A value the case sets must reach the official wire, under its own name or, for a
    # parameter the SDK sends whole (as JSON text), under an enclosing one.
    official_names = set(official["query"]) | set(official["body"])
    for name in sorted(inputs):
        if any(name == u or name.startswith(u + ".") for u in unknown):
            continue
        parts = name.split(".")
        if not any(".".join(parts[:i]) in official_names for i in range(len(parts), 0, -1)):
            if where(ours, name) is None:  # else already reported above
                diffs.append(
                    Difference(
                        case_no, action, name, "set in values, sent by neither side",
                        detail=f"value {json.dumps(inputs[name], ensure_ascii=False)}",
                    )
                )
    return diffs, len(names)


def run(cases, sdk):
    """(differences, operations, parameters compared) over all cases."""
    diffs, compared = [], 0
    for n, case in enumerate(cases, 1):
        action = case["action"]
        try:
            official, problems = sdk.wire(action, case["values"])
        except Exception as e:  # the official SDK refused the case: report it, go on
            diffs.append(Difference(n, action, "(request)", "the official SDK failed", detail=f"{type(e).__name__}: {e}"))
            continue
        ours = {p: case["wire"].get(p, {}) for p in PLACEMENTS}
        case_diffs, count = compare(n, action, case["values"], ours, official, problems)
        diffs += case_diffs
        compared += count
    return diffs, len({c["action"] for c in cases}), compared


def emit(cases, sdk, out):
    """Prints the cases with the official SDK's wire; returns the number of problems."""
    failures = 0
    result = []
    for n, case in enumerate(cases, 1):
        entry = {"action": case["action"], "values": case["values"]}
        try:
            wire, problems = sdk.wire(case["action"], case["values"])
        except Exception as e:
            print(f"case {n} {case['action']}: the official SDK failed: {type(e).__name__}: {e}", file=sys.stderr)
            failures += 1
        else:
            entry["wire"] = {p: dict(sorted(wire[p].items())) for p in PLACEMENTS}
            for name, kind, detail in problems:
                print(Difference(n, case["action"], name, kind, detail=detail).render(), file=sys.stderr)
                failures += 1
        result.append(entry)
    json.dump({"cases": result}, out, indent=2, ensure_ascii=False)
    out.write("\n")
    return failures


def main(argv=None, out=None):
    out = out or sys.stdout
    parser = argparse.ArgumentParser(description="Wire parity with Alibaba's official Python SDK.")
    parser.add_argument("cases", help="cases file (JSON)")
    parser.add_argument("--emit", action="store_true", help="print the official SDK's wire for each case")
    parser.add_argument("--signature", choices=("v3", "v1"), default="v3", help="official SDK signature (default v3)")
    args = parser.parse_args(argv)
    try:
        cases = load_cases(args.cases, need_wire=not args.emit)
        sdk = OfficialSdk(args.signature)
    except UsageError as e:
        print(f"wire parity: {e}", file=sys.stderr)
        return 2
    if args.emit:
        return 1 if emit(cases, sdk, out) else 0
    diffs, operations, compared = run(cases, sdk)
    for d in diffs:
        print(d.render(), file=out)
    print(f"wire parity: {operations} operations, {compared} parameters compared", file=out)
    if diffs:
        print(f"wire parity: {len(diffs)} difference{'s' if len(diffs) != 1 else ''}", file=out)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
