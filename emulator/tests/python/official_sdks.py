"""Drives the emulator with Alibaba's official Python SDKs.

Usage: python official_sdks.py http://127.0.0.1:PORT

The current SDK (alibabacloud-vpc20160428) with its default V3 signing and with v1, and the
legacy SDK (aliyun-python-sdk-core + aliyun-python-sdk-vpc): each creates a VPN gateway,
describes it, tags it, lists its tags and deletes it. Exits non-zero on the first failure.
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
    client.delete_vpn_gateway(
        vpc_models.DeleteVpnGatewayRequest(region_id=REGION, vpn_gateway_id=gw)
    )
    try:
        status()
    except Exception as e:  # the SDK raises TeaException
        assert "InvalidVpnGatewayInstanceId.NotFound" in str(e), e
    else:
        raise SystemExit("deleted gateway still described")
    print(f"current SDK ({'v1 (signature_algorithm=v2)' if signature_algorithm else 'default V3'}): ok")


def legacy_sdk():
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkvpc.request.v20160428 import (
        CreateVpnGatewayRequest,
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
    gw = call(req)["VpnGatewayId"]

    def status():
        req = DescribeVpnGatewayRequest.DescribeVpnGatewayRequest()
        req.set_VpnGatewayId(gw)
        return call(req)["Status"]

    wait_active(status)
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
    print("legacy SDK (v1): ok")


if __name__ == "__main__":
    current_sdk(None)
    current_sdk("v2")  # the SDK's switch to the classic RPC signature (v1, HMAC-SHA1)
    legacy_sdk()
