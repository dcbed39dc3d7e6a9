"""Drives the emulator with Alibaba's official Python SDKs.

Usage: python official_sdks.py http://127.0.0.1:PORT

The current SDK (alibabacloud-vpc20160428) with its default V3 signing and with v1, and the
legacy SDK (aliyun-python-sdk-core + aliyun-python-sdk-vpc): each creates a VPN gateway,
describes it, tags it, lists its tags and deletes it. With both signatures the current SDK also
calls every operation that has a boolean parameter (the SDK sends them as `True`/`False`), with
each boolean both ways, and checks the effect. Each SDK also sends a parameter in the form body
(as the API metadata's `in: formData` parameters travel) and checks it was read. Exits non-zero
on the first failure.
"""
import json
import sys
import time
from urllib.parse import urlparse

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
HOST = urlparse(ENDPOINT).netloc
REGION = "cn-hangzhou"
VPC = "vpc-bp1ub1yt9cvakoelj0001"


def wait_active(describe):
    for _ in range(100):
        if describe() == "active":
            return
        time.sleep(0.1)
    raise SystemExit("gateway never became active")


# Every operation with a boolean parameter in spec/groups/*.yaml; booleans() checks this list
# against the spec so an operation added later is not silently skipped.
BOOLEAN_OPERATIONS = {
    "CreateVpnGateway": {"AutoPay", "EnableIpsec", "EnableSsl"},
    "ModifyVpnGatewayAttribute": {"AutoPropagate"},
    "CreateVpnConnection": {"EffectImmediately", "AutoConfigRoute", "EnableDpd", "EnableNatTraversal"},
    "ModifyVpnConnectionAttribute": {"EffectImmediately", "AutoConfigRoute", "EnableDpd", "EnableNatTraversal"},
    "CreateVpnRouteEntry": {"PublishVpc"},
    "CreateVpnPbrRouteEntry": {"PublishVpc"},
    "PublishVpnRouteEntry": {"PublishVpc"},
    "CreateSslVpnServer": {"Compress"},
    "ModifySslVpnServer": {"Compress"},
}


_IPS = iter(range(10, 250))


def next_ip():
    """A customer-gateway address not used before in this run."""
    return f"116.62.70.{next(_IPS)}"


def spec_booleans():
    """Action -> boolean request parameters in the spec, read without a YAML library: the group
    files put `- action: X`, the `parameters:` section and each `- name: Y` + `type: boolean` on
    lines of their own, at fixed indentation."""
    import glob
    import os
    import re

    root = os.path.join(os.path.dirname(__file__), "..", "..", "..", "spec", "groups")
    found = {}
    for path in sorted(glob.glob(os.path.join(root, "*.yaml"))):
        action = name = None
        in_parameters = False
        for line in open(path, encoding="utf-8"):
            m = re.match(r"^  - action: (\w+)", line)
            if m:
                action, in_parameters = m.group(1), False
                continue
            m = re.match(r"^    (\w+):", line)
            if m:
                in_parameters = m.group(1) == "parameters"
                continue
            if not in_parameters:
                continue
            m = re.match(r"^      - name: (\w+)", line)
            if m:
                name = m.group(1)
                continue
            if re.match(r"^        type: boolean\s*$", line) and action and name:
                found.setdefault(action, set()).add(name)
    return found


def booleans(client, vpc_models, label):
    """Calls every operation with a boolean parameter, each boolean True and False."""
    assert spec_booleans() == BOOLEAN_OPERATIONS, spec_booleans()

    def gateway_status(gw):
        return client.describe_vpn_gateway(
            vpc_models.DescribeVpnGatewayRequest(region_id=REGION, vpn_gateway_id=gw)
        ).body

    def settle(gw):
        wait_active(lambda: gateway_status(gw).status)

    for flag in (True, False):
        # Routes published into the VPC may not overlap another gateway's: a block per round.
        n = next(_IPS)
        dest, pbr_dest = f"10.{n}.0.0/16", f"192.168.{n}.0/24"
        gw = client.create_vpn_gateway(
            vpc_models.CreateVpnGatewayRequest(
                region_id=REGION, vpc_id=VPC, bandwidth=5,
                auto_pay=flag, enable_ipsec=True, enable_ssl=flag,
            )
        ).body.vpn_gateway_id
        settle(gw)
        described = gateway_status(gw)
        assert described.ssl_vpn == ("enable" if flag else "disable"), described.to_map()
        modified = client.modify_vpn_gateway_attribute(
            vpc_models.ModifyVpnGatewayAttributeRequest(
                region_id=REGION, vpn_gateway_id=gw, auto_propagate=flag
            )
        ).body
        assert modified.auto_propagate == flag, modified.to_map()
        settle(gw)
        cgw = client.create_customer_gateway(
            vpc_models.CreateCustomerGatewayRequest(
                region_id=REGION, ip_address=next_ip()
            )
        ).body.customer_gateway_id
        vco = client.create_vpn_connection(
            vpc_models.CreateVpnConnectionRequest(
                region_id=REGION, vpn_gateway_id=gw, customer_gateway_id=cgw,
                local_subnet="10.0.0.0/24", remote_subnet="192.168.0.0/24",
                effect_immediately=flag, auto_config_route=not flag,
                enable_dpd=flag, enable_nat_traversal=not flag,
            )
        ).body.vpn_connection_id
        settle(gw)

        def connection():
            return client.describe_vpn_connection(
                vpc_models.DescribeVpnConnectionRequest(
                    region_id=REGION, vpn_connection_id=vco
                )
            ).body

        got = connection()
        assert (got.effect_immediately, got.enable_dpd, got.enable_nat_traversal) == (
            flag, flag, not flag,
        ), got.to_map()
        client.modify_vpn_connection_attribute(
            vpc_models.ModifyVpnConnectionAttributeRequest(
                region_id=REGION, vpn_connection_id=vco,
                effect_immediately=not flag, auto_config_route=flag,
                enable_dpd=not flag, enable_nat_traversal=flag,
            )
        )
        settle(gw)
        got = connection()
        assert (got.effect_immediately, got.enable_dpd, got.enable_nat_traversal) == (
            not flag, not flag, flag,
        ), got.to_map()
        client.create_vpn_route_entry(
            vpc_models.CreateVpnRouteEntryRequest(
                region_id=REGION, vpn_gateway_id=gw, route_dest=dest,
                next_hop=vco, weight=100, publish_vpc=flag,
            )
        )
        settle(gw)
        client.publish_vpn_route_entry(
            vpc_models.PublishVpnRouteEntryRequest(
                region_id=REGION, vpn_gateway_id=gw, route_dest=dest,
                next_hop=vco, route_type="dbr", publish_vpc=not flag,
            )
        )
        settle(gw)
        routes = client.describe_vpn_route_entries(
            vpc_models.DescribeVpnRouteEntriesRequest(region_id=REGION, vpn_gateway_id=gw)
        ).body.to_map()
        assert json.dumps(routes).count(dest) == 1, routes
        client.create_vpn_pbr_route_entry(
            vpc_models.CreateVpnPbrRouteEntryRequest(
                region_id=REGION, vpn_gateway_id=gw, route_source="10.0.0.0/24",
                route_dest=pbr_dest, next_hop=vco, weight=100, publish_vpc=flag,
            )
        )
        settle(gw)
        if flag:
            server = client.create_ssl_vpn_server(
                vpc_models.CreateSslVpnServerRequest(
                    region_id=REGION, vpn_gateway_id=gw, client_ip_pool="192.168.100.0/24",
                    local_subnet="10.1.0.0/16", compress=flag,
                )
            ).body.ssl_vpn_server_id
            settle(gw)
            client.modify_ssl_vpn_server(
                vpc_models.ModifySslVpnServerRequest(
                    region_id=REGION, ssl_vpn_server_id=server, compress=not flag
                )
            )
            servers = client.describe_ssl_vpn_servers(
                vpc_models.DescribeSslVpnServersRequest(region_id=REGION, vpn_gateway_id=gw)
            ).body.to_map()
            assert '"Compress": false' in json.dumps(servers), servers
    print(f"current SDK ({label}): every boolean parameter, True and False: ok")


# A name needing percent-encoding, sent in the form body.
BODY_NAME = "body-parameter.名_1"


def body_parameter_current(client, vpc_models, label):
    """CreateCustomerGateway with `Name` in the form body, as the SDK sends `formData`
    parameters (`req_body_type='formData'`): query in the URL, body form-encoded and signed."""
    from alibabacloud_tea_openapi import utils_models as open_api_util_models
    from darabonba.runtime import RuntimeOptions

    request = open_api_util_models.OpenApiRequest(
        query={"RegionId": REGION, "IpAddress": next_ip()},
        body={"Name": BODY_NAME},
    )
    params = open_api_util_models.Params(
        action="CreateCustomerGateway",
        version="2016-04-28",
        protocol="HTTP",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    cgw = client.call_api(params, request, RuntimeOptions())["body"]["CustomerGatewayId"]
    described = client.describe_customer_gateway(
        vpc_models.DescribeCustomerGatewayRequest(region_id=REGION, customer_gateway_id=cgw)
    ).body
    assert described.name == BODY_NAME, described.to_map()
    print(f"current SDK ({label}): a form-body parameter: ok")


def current_sdk(signature_algorithm):
    from alibabacloud_tea_openapi import models as open_api_models
    from alibabacloud_vpc20160428 import models as vpc_models
    from alibabacloud_vpc20160428.client import Client

    config = open_api_models.Config(
        access_key_id="testid",
        access_key_secret="testsecret",
        endpoint=HOST,
        protocol="http",
        region_id=REGION,
    )
    if signature_algorithm:
        config.signature_algorithm = signature_algorithm
    client = Client(config)
    label = "v1 (signature_algorithm=v2)" if signature_algorithm else "default V3"
    booleans(client, vpc_models, label)
    created = client.create_vpn_gateway(
        vpc_models.CreateVpnGatewayRequest(region_id=REGION, vpc_id=VPC, bandwidth=5)
    ).body
    gw = created.vpn_gateway_id
    assert gw.startswith("vpn-"), created

    def status():
        return client.describe_vpn_gateway(
            vpc_models.DescribeVpnGatewayRequest(region_id=REGION, vpn_gateway_id=gw)
        ).body.status

    wait_active(status)
    listed = client.describe_vpn_gateways(
        vpc_models.DescribeVpnGatewaysRequest(region_id=REGION, vpn_gateway_id=gw)
    ).body
    assert listed.total_count == 1, listed.to_map()
    client.tag_resources(
        vpc_models.TagResourcesRequest(
            region_id=REGION,
            resource_type="VpnGateway",
            resource_id=[gw],
            tag=[vpc_models.TagResourcesRequestTag(key="env", value="emulator")],
        )
    )
    tags = client.list_tag_resources(
        vpc_models.ListTagResourcesRequest(
            region_id=REGION, resource_type="VpnGateway", resource_id=[gw]
        )
    ).body.to_map()
    assert "emulator" in json.dumps(tags), tags
    body_parameter_current(client, vpc_models, label)
    client.delete_vpn_gateway(
        vpc_models.DeleteVpnGatewayRequest(region_id=REGION, vpn_gateway_id=gw)
    )
    try:
        status()
    except Exception as e:  # the SDK raises TeaException
        assert "InvalidVpnGatewayInstanceId.NotFound" in str(e), e
    else:
        raise SystemExit("deleted gateway still described")
    print(f"current SDK ({label}): ok")


def legacy_sdk():
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkvpc.request.v20160428 import (
        CreateCustomerGatewayRequest,
        CreateVpnGatewayRequest,
        DescribeCustomerGatewayRequest,
        DeleteVpnGatewayRequest,
        DescribeVpnGatewayRequest,
        ListTagResourcesRequest,
        TagResourcesRequest,
    )

    client = AcsClient("testid", "testsecret", REGION)

    def call(request):
        request.set_endpoint(HOST)
        request.set_protocol_type("http")
        return json.loads(client.do_action_with_exception(request))

    req = CreateVpnGatewayRequest.CreateVpnGatewayRequest()
    req.set_VpcId(VPC)
    req.set_Bandwidth(5)
    req.set_EnableSsl(True)  # sent as "True", like every boolean of this SDK
    req.set_AutoPay(False)
    gw = call(req)["VpnGatewayId"]

    def describe():
        req = DescribeVpnGatewayRequest.DescribeVpnGatewayRequest()
        req.set_VpnGatewayId(gw)
        return call(req)

    def status():
        return describe()["Status"]

    wait_active(status)
    assert describe()["SslVpn"] == "enable"
    req = TagResourcesRequest.TagResourcesRequest()
    req.set_ResourceType("VpnGateway")
    req.set_ResourceIds([gw])
    req.set_Tags([{"Key": "env", "Value": "legacy"}])
    call(req)
    req = ListTagResourcesRequest.ListTagResourcesRequest()
    req.set_ResourceType("VpnGateway")
    req.set_ResourceIds([gw])
    tags = call(req)
    assert "legacy" in json.dumps(tags), tags
    req = DeleteVpnGatewayRequest.DeleteVpnGatewayRequest()
    req.set_VpnGatewayId(gw)
    call(req)

    # A form-body parameter, as the generated requests add `in: formData` parameters: signed
    # with the URL's, sent in the body.
    req = CreateCustomerGatewayRequest.CreateCustomerGatewayRequest()
    req.set_IpAddress(next_ip())
    req.add_body_params("Name", BODY_NAME)
    cgw = call(req)["CustomerGatewayId"]
    req = DescribeCustomerGatewayRequest.DescribeCustomerGatewayRequest()
    req.set_CustomerGatewayId(cgw)
    assert call(req)["Name"] == BODY_NAME
    print("legacy SDK (v1): ok")


if __name__ == "__main__":
    current_sdk(None)
    current_sdk("v2")  # the SDK's switch to the classic RPC signature (v1, HMAC-SHA1)
    legacy_sdk()
