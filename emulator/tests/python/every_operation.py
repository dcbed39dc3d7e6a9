"""Calls every operation of the VPN Gateway API on the emulator with Alibaba's current Python SDK.

Usage: python every_operation.py http://127.0.0.1:PORT

Runs once with the SDK's default V3 signature and once with v1 (`signature_algorithm="v2"`,
HMAC-SHA1). Each run walks a dual-tunnel lifecycle (a gateway with two vSwitches in different
zones, two customer gateways, a dual-tunnel connection with BGP, a tunnel modified, the
configuration downloaded, routes, teardown) and then every other operation, checking each
answer. At the end every action of the spec must have been called. Exits non-zero on the first
failure.
"""
import glob
import os
import re
import sys
import time
from urllib.parse import urlparse

from Tea.exceptions import TeaException

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
HOST = urlparse(ENDPOINT).netloc
REGION = "cn-hangzhou"
VPC = "vpc-bp1ub1yt9cvakoelj0002"
PSK = "walk-psk-7Hq2"

_IPS = iter(range(10, 250))


def next_ip():
    """A customer-gateway address not used before in this run."""
    return f"116.62.71.{next(_IPS)}"


def spec_actions():
    """Every action of spec/groups/*.yaml."""
    root = os.path.join(os.path.dirname(__file__), "..", "..", "..", "spec", "groups")
    actions = set()
    for path in glob.glob(os.path.join(root, "*.yaml")):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"^  - action: (\w+)", line)
            if m:
                actions.add(m.group(1))
    return actions


def snake(action):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


class Walk:
    """One client, and the actions it has called."""

    def __init__(self, signature_algorithm):
        from alibabacloud_tea_openapi import models as open_api_models
        from alibabacloud_vpc20160428 import models
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
        self.client = Client(config)
        self.models = models
        self.called = set()

    def model(self, model_name, /, **fields):
        return getattr(self.models, model_name)(**fields)

    def call(self, action, /, **fields):
        """Sends `action` with `fields` (snake_case, as the SDK names them); returns the body."""
        self.called.add(action)
        fields.setdefault("region_id", REGION)
        request = self.model(action + "Request", **fields)
        return getattr(self.client, snake(action))(request).body

    def fails(self, code, action, /, **fields):
        """Sends `action` and checks it fails with `code`."""
        try:
            body = self.call(action, **fields)
        except TeaException as e:
            assert e.code == code, f"{action}: expected {code}, got {e}"
            return
        raise AssertionError(f"{action}: expected {code}, got {body.to_map()}")

    def settle(self, gateway):
        """Waits until `gateway` is active again after a change."""
        self.until(
            f"{gateway} active",
            lambda: self.call("DescribeVpnGateway", vpn_gateway_id=gateway).status == "active",
        )

    def until(self, what, predicate):
        for _ in range(200):
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"{what} never happened")


def gateways(w):
    """A single-tunnel gateway with SSL-VPN and a dual-tunnel gateway (two vSwitches in
    different zones); both active."""
    assert w.call("CheckVpnBgpEnabled").bgp_enabled is True
    zones = w.call("DescribeVpnGatewayAvailableZones", spec="10M").to_map()
    assert zones.get("AvailableZoneIdList"), zones
    single = w.call(
        "CreateVpnGateway", vpc_id=VPC, bandwidth=10, enable_ssl=True, name="walk-single"
    ).vpn_gateway_id
    # The emulator places each vSwitch in a zone by a fixed rule: try second vSwitches until
    # one is in another zone than the first.
    first = "vsw-walk0000"
    w.fails(
        "InvalidVSwitchId.VswitchIdShouldDifferent",
        "CreateVpnGateway",
        vpc_id=VPC, bandwidth=10, v_switch_id=first, disaster_recovery_vswitch_id=first,
    )
    dual = None
    for i in range(1, 32):
        try:
            dual = w.call(
                "CreateVpnGateway",
                vpc_id=VPC, bandwidth=10, v_switch_id=first,
                disaster_recovery_vswitch_id=f"vsw-walk{i:04}", name="walk-dual",
            ).vpn_gateway_id
            break
        except TeaException as e:
            assert e.code == "InvalidVSwitchId.ZoneIdShouldDifferent", e
    assert dual, "no second vSwitch in another zone"
    for gw in (single, dual):
        w.until(
            f"{gw} active",
            lambda gw=gw: w.call("DescribeVpnGateway", vpn_gateway_id=gw).status == "active",
        )
    described = w.call("DescribeVpnGateway", vpn_gateway_id=dual)
    assert described.disaster_recovery_vswitch_id and described.disaster_recovery_internet_ip, (
        described.to_map()
    )
    assert described.internet_ip != described.disaster_recovery_internet_ip
    listed = w.call("DescribeVpnGateways", vpc_id=VPC)
    assert {g.vpn_gateway_id for g in listed.vpn_gateways.vpn_gateway} >= {single, dual}
    w.call("ModifyVpnGatewayAttribute", vpn_gateway_id=single, description="walk")
    assert w.call("DescribeVpnGateway", vpn_gateway_id=single).description == "walk"
    return single, dual


def customer_gateways(w):
    ids = []
    for _ in range(3):
        ids.append(
            w.call("CreateCustomerGateway", ip_address=next_ip(), asn="65530").customer_gateway_id
        )
    w.call("ModifyCustomerGatewayAttribute", customer_gateway_id=ids[0], name="walk-cgw")
    assert w.call("DescribeCustomerGateway", customer_gateway_id=ids[0]).name == "walk-cgw"
    listed = w.call("DescribeCustomerGateways", page_size=50)
    assert {c.customer_gateway_id for c in listed.customer_gateways.customer_gateway} >= set(ids)
    return ids


def tunnel(w, role, cgw, psk, peer_ip):
    spec = "CreateVpnConnectionRequestTunnelOptionsSpecification"
    return w.model(
        spec,
        role=role,
        customer_gateway_id=cgw,
        enable_dpd=True,
        enable_nat_traversal=True,
        tunnel_ike_config=w.model(
            spec + "TunnelIkeConfig", psk=psk, ike_version="ikev2", ike_enc_alg="aes"
        ),
        tunnel_ipsec_config=w.model(spec + "TunnelIpsecConfig", ipsec_enc_alg="aes"),
        tunnel_bgp_config=w.model(
            spec + "TunnelBgpConfig", local_asn=65531, tunnel_cidr=f"169.254.{peer_ip}.0/30",
            local_bgp_ip=f"169.254.{peer_ip}.1",
        ),
    )


def dual_tunnel_connection(w, dual, cgws):
    """The dual-tunnel lifecycle's connection part; returns the connection ID."""
    vco = w.call(
        "CreateVpnConnection",
        vpn_gateway_id=dual,
        local_subnet="10.10.0.0/16",
        remote_subnet="192.168.10.0/24",
        name="walk-dual",
        enable_tunnels_bgp=True,
        tunnel_options_specification=[
            tunnel(w, "master", cgws[0], PSK, 10),
            tunnel(w, "slave", cgws[1], PSK, 20),
        ],
    ).vpn_connection_id
    w.settle(dual)
    described = w.call("DescribeVpnConnection", vpn_connection_id=vco).to_map()
    tunnels = described["TunnelOptionsSpecification"]["TunnelOptions"]
    assert sorted(t["Role"] for t in tunnels) == ["master", "slave"], described
    assert {t["CustomerGatewayId"] for t in tunnels} == set(cgws[:2]), described
    tunnel_id = next(t["TunnelId"] for t in tunnels if t["Role"] == "slave")
    w.call(
        "ModifyTunnelAttribute",
        vpn_connection_id=vco,
        tunnel_id=tunnel_id,
        tunnel_options_specification=w.model(
            "ModifyTunnelAttributeRequestTunnelOptionsSpecification",
            customer_gateway_id=cgws[2],
            enable_dpd=False,
        ),
    )
    w.settle(dual)
    described = w.call("DescribeVpnConnection", vpn_connection_id=vco).to_map()
    slave = next(
        t for t in described["TunnelOptionsSpecification"]["TunnelOptions"]
        if t["TunnelId"] == tunnel_id
    )
    assert slave["CustomerGatewayId"] == cgws[2], slave
    config = w.call("DownloadVpnConnectionConfig", vpn_connection_id=vco).vpn_connection_config
    per_tunnel = config.tunnels_config.tunnel_config
    assert sorted(t.tunnel_id for t in per_tunnel) == sorted(t["TunnelId"] for t in tunnels), (
        config.to_map()
    )
    assert all(t.local and t.remote for t in per_tunnel), config.to_map()
    listed = w.call("DescribeVpnConnections", vpn_gateway_id=dual)
    assert listed.total_count == 1, listed.to_map()
    w.call("ModifyVpnConnectionAttribute", vpn_connection_id=vco, name="walk-dual-2")
    w.settle(dual)
    assert w.call("DescribeVpnConnection", vpn_connection_id=vco).name == "walk-dual-2"
    now = int(time.time())
    logs = w.call(
        "DescribeVpnConnectionLogs", vpn_connection_id=vco, from_=now - 600, to=now + 60
    ).to_map()
    assert logs.get("Count", 0) > 0, logs
    # The diagnosis lists connections with a problem; this one has none once settled.
    diagnosis = w.call("DiagnoseVpnConnections", vpn_connection_ids=[vco])
    assert diagnosis.total_count == 0, diagnosis.to_map()
    return vco


def single_tunnel_connection(w, single, cgw):
    vco = w.call(
        "CreateVpnConnection",
        vpn_gateway_id=single,
        customer_gateway_id=cgw,
        local_subnet="10.20.0.0/16",
        remote_subnet="192.168.20.0/24",
        ike_config='{"Psk":"%s","IkeVersion":"ikev1"}' % PSK,
    ).vpn_connection_id
    w.settle(single)
    assert w.call("DescribeVpnConnection", vpn_connection_id=vco).vpn_gateway_id == single
    return vco


def routes(w, gw):
    def settle():
        w.until(
            "gateway active",
            lambda: w.call("DescribeVpnGateway", vpn_gateway_id=gw).status == "active",
        )

    dest, hop = "10.30.0.0/16", None
    vco = w.call("DescribeVpnConnections", vpn_gateway_id=gw).vpn_connections.vpn_connection[0]
    hop = vco.vpn_connection_id
    w.call(
        "CreateVpnRouteEntry", vpn_gateway_id=gw, route_dest=dest, next_hop=hop,
        weight=100, publish_vpc=False,
    )
    settle()
    entries = w.call("DescribeVpnRouteEntries", vpn_gateway_id=gw).to_map()
    assert dest in str(entries), entries
    w.call(
        "PublishVpnRouteEntry", vpn_gateway_id=gw, route_dest=dest, next_hop=hop,
        route_type="dbr", publish_vpc=True,
    )
    settle()
    w.call(
        "ModifyVpnRouteEntryWeight", vpn_gateway_id=gw, route_dest=dest, next_hop=hop,
        weight=100, new_weight=0,
    )
    settle()
    w.call("DeleteVpnRouteEntry", vpn_gateway_id=gw, route_dest=dest, next_hop=hop, weight=0)
    settle()
    src, pdest = "10.31.0.0/16", "192.168.31.0/24"
    w.call(
        "CreateVpnPbrRouteEntry", vpn_gateway_id=gw, route_source=src, route_dest=pdest,
        next_hop=hop, weight=100, publish_vpc=False,
    )
    settle()
    assert pdest in str(w.call("DescribeVpnPbrRouteEntries", vpn_gateway_id=gw).to_map())
    w.call(
        "ModifyVpnPbrRouteEntryWeight", vpn_gateway_id=gw, route_source=src, route_dest=pdest,
        next_hop=hop, weight=100, new_weight=0,
    )
    settle()
    w.call(
        "ModifyVpnPbrRouteEntryPriority", vpn_gateway_id=gw, route_source=src, route_dest=pdest,
        next_hop=hop, weight=0, priority=10, new_priority=5,
    )
    settle()
    w.call(
        "ModifyVpnPbrRouteEntryAttribute", vpn_gateway_id=gw, route_source=src,
        route_dest=pdest, next_hop=hop, weight=0, priority=5, new_weight=100,
    )
    settle()
    w.call(
        "DeleteVpnPbrRouteEntry", vpn_gateway_id=gw, route_source=src, route_dest=pdest,
        next_hop=hop, weight=100,
    )
    settle()


def attachments(w, cgws):
    spec = "CreateVpnAttachmentRequestTunnelOptionsSpecification"

    def attachment_tunnel(index, cgw):
        return w.model(
            spec, tunnel_index=index, customer_gateway_id=cgw,
            tunnel_ike_config=w.model(spec + "TunnelIkeConfig", psk=PSK),
        )

    vco = w.call(
        "CreateVpnAttachment",
        local_subnet="10.40.0.0/16",
        remote_subnet="192.168.40.0/24",
        name="walk-attachment",
        tunnel_options_specification=[
            attachment_tunnel(1, cgws[0]),
            attachment_tunnel(2, cgws[1]),
        ],
    ).vpn_connection_id
    w.until(
        "attachment ready",
        lambda: w.call("DescribeVpnConnection", vpn_connection_id=vco).state
        in ("active", "attached"),
    )
    w.call(
        "CreateVcoRouteEntry", vpn_connection_id=vco, route_dest="10.41.0.0/16",
        next_hop=vco, weight=100,
    )
    w.until(
        "route added",
        lambda: "10.41.0.0/16"
        in str(w.call("DescribeVcoRouteEntries", vpn_connection_id=vco).to_map()),
    )
    w.until(
        "connection ready",
        lambda: w.call("DescribeVpnConnection", vpn_connection_id=vco).state
        in ("active", "attached"),
    )
    w.call(
        "ModifyVcoRouteEntryWeight", vpn_connection_id=vco, route_dest="10.41.0.0/16",
        next_hop=vco, weight=100, new_weight=0,
    )
    w.until(
        "connection ready",
        lambda: w.call("DescribeVpnConnection", vpn_connection_id=vco).state
        in ("active", "attached"),
    )
    w.call(
        "DeleteVcoRouteEntry", vpn_connection_id=vco, route_dest="10.41.0.0/16",
        next_hop=vco, weight=0,
    )
    w.until(
        "connection ready",
        lambda: w.call("DescribeVpnConnection", vpn_connection_id=vco).state
        in ("active", "attached"),
    )
    w.call("ModifyVpnAttachmentAttribute", vpn_connection_id=vco, name="walk-attachment-2")
    w.until(
        "attachment ready",
        lambda: w.call("DescribeVpnConnection", vpn_connection_id=vco).state
        in ("active", "attached"),
    )
    listed = w.call("DescribeVpnAttachments").to_map()
    assert "walk-attachment-2" in str(listed), listed
    w.call("DescribeVpnCrossAccountAuthorizations", vpn_connection_id=vco)
    w.call("DeleteVpnAttachment", vpn_connection_id=vco)
    w.fails(
        "InvalidVpnConnectionInstanceId.NotFound", "DescribeVpnConnection", vpn_connection_id=vco
    )


def ssl_vpn(w, gw):
    server = w.call(
        "CreateSslVpnServer", vpn_gateway_id=gw, client_ip_pool="192.168.50.0/24",
        local_subnet="10.50.0.0/16",
    ).ssl_vpn_server_id
    w.settle(gw)
    w.call("ModifySslVpnServer", ssl_vpn_server_id=server, name="walk-ssl")
    w.settle(gw)
    servers = w.call("DescribeSslVpnServers", vpn_gateway_id=gw).to_map()
    assert "walk-ssl" in str(servers), servers
    cert = w.call("CreateSslVpnClientCert", ssl_vpn_server_id=server).ssl_vpn_client_cert_id
    w.settle(gw)
    w.call("ModifySslVpnClientCert", ssl_vpn_client_cert_id=cert, name="walk-cert")
    w.settle(gw)
    assert w.call("DescribeSslVpnClientCert", ssl_vpn_client_cert_id=cert).name == "walk-cert"
    assert cert in str(w.call("DescribeSslVpnClientCerts", ssl_vpn_server_id=server).to_map())
    w.call("DescribeSslVpnClients", vpn_gateway_id=gw)
    w.call("DescribeVpnSslServerLogs", vpn_ssl_server_id=server, minute_period=10)
    w.call("DeleteSslVpnClientCert", ssl_vpn_client_cert_id=cert)
    w.settle(gw)
    w.call("DeleteSslVpnServer", ssl_vpn_server_id=server)
    w.settle(gw)


def ipsec_servers(w):
    """On a gateway of their own: an IPsec server and IPsec connections cannot share one."""
    gw = w.call(
        "CreateVpnGateway", vpc_id=VPC, bandwidth=10, enable_ssl=True, name="walk-ipsec-server"
    ).vpn_gateway_id
    w.settle(gw)
    server = w.call(
        "CreateIpsecServer", vpn_gateway_id=gw, local_subnet="10.60.0.0/16",
        client_ip_pool="192.168.60.0/24", psk_enabled=True, psk=PSK, ip_sec_server_name="walk",
    ).ipsec_server_id
    w.until(
        "gateway active",
        lambda: w.call("DescribeVpnGateway", vpn_gateway_id=gw).status == "active",
    )
    w.call("UpdateIpsecServer", ipsec_server_id=server, ipsec_server_name="walk-2")
    w.settle(gw)
    listed = w.call("ListIpsecServers", vpn_gateway_id=gw).to_map()
    assert "walk-2" in str(listed), listed
    assert PSK in str(listed), "ListIpsecServers returns the pre-shared key it was given"
    now = int(time.time())
    w.call("ListIpsecServerLogs", ipsec_server_id=server, from_=now - 600, to=now)
    w.until(
        "gateway active",
        lambda: w.call("DescribeVpnGateway", vpn_gateway_id=gw).status == "active",
    )
    w.call("DeleteIpsecServer", ipsec_server_id=server)
    return gw


def gateway_extras(w, gw, vco):
    """Certificates (on a national-standard gateway), resource groups, diagnoses and tags;
    returns the national-standard gateway."""
    w.fails(
        "OperationFailed.NotNationalStandard", "AssociateVpnGatewayWithCertificate",
        vpn_gateway_id=gw, certificate_type="Signature", certificate_id="walk-cert-1",
    )
    sm = w.call(
        "CreateVpnGateway", vpc_id=VPC, bandwidth=10, vpn_type="NationalStandard", name="walk-sm"
    ).vpn_gateway_id
    w.settle(sm)
    w.call(
        "AssociateVpnGatewayWithCertificate", vpn_gateway_id=sm, certificate_type="Signature",
        certificate_id="walk-cert-1",
    )
    w.settle(sm)
    listed = w.call("ListVpnCertificateAssociations", vpn_gateway_id=[sm]).to_map()
    assert "walk-cert-1" in str(listed), listed
    w.call(
        "DissociateVpnGatewayWithCertificate", vpn_gateway_id=sm,
        certificate_type="Signature", certificate_id="walk-cert-1",
    )
    w.settle(sm)
    w.call(
        "MoveVpnResourceGroup", instance_id=gw, resource_type="VpnGateway",
        new_resource_group_id="rg-walk",
    )
    diagnose = w.call(
        "DiagnoseVpnGateway", vpn_gateway_id=gw, resource_type="IPsec", resource_id=vco
    ).diagnose_id
    w.until(
        "diagnosis finished",
        lambda: w.call(
            "GetVpnGatewayDiagnoseResult", vpn_gateway_id=gw, diagnose_id=diagnose
        ).finished_count
        == w.call("GetVpnGatewayDiagnoseResult", vpn_gateway_id=gw, diagnose_id=diagnose)
        .total_count,
    )
    tag = w.model("TagResourcesRequestTag", key="walk", value="yes")
    w.call("TagResources", resource_type="VpnGateway", resource_id=[gw], tag=[tag])
    w.settle(gw)
    assert "walk" in str(
        w.call("ListTagResources", resource_type="VpnGateway", resource_id=[gw]).to_map()
    )
    w.call("UnTagResources", resource_type="VpnGateway", resource_id=[gw], tag_key=["walk"])
    w.settle(gw)
    return sm


def teardown(w, gateways_, connections, cgws):
    for vco in connections:
        w.call("DeleteVpnConnection", vpn_connection_id=vco)
    for gw in gateways_:
        w.until(
            "gateway active",
            lambda gw=gw: w.call("DescribeVpnGateway", vpn_gateway_id=gw).status == "active",
        )
        w.call("DeleteVpnGateway", vpn_gateway_id=gw)
    for cgw in cgws:
        w.call("DeleteCustomerGateway", customer_gateway_id=cgw)
    w.fails(
        "InvalidVpnGatewayInstanceId.NotFound", "DescribeVpnGateway", vpn_gateway_id=gateways_[0]
    )


def walk(signature_algorithm):
    w = Walk(signature_algorithm)
    single, dual = gateways(w)
    cgws = customer_gateways(w)
    dual_vco = dual_tunnel_connection(w, dual, cgws)
    single_vco = single_tunnel_connection(w, single, cgws[2])
    routes(w, dual)
    attachments(w, cgws)
    ssl_vpn(w, single)
    ipsec_gw = ipsec_servers(w)
    sm_gw = gateway_extras(w, single, single_vco)
    teardown(w, [single, dual, ipsec_gw, sm_gw], [dual_vco, single_vco], cgws)
    missing = spec_actions() - w.called
    assert not missing, f"never called: {sorted(missing)}"
    label = "v1 (signature_algorithm=v2)" if signature_algorithm else "default V3"
    print(f"every operation ({label}): {len(w.called)} actions called, ok")


if __name__ == "__main__":
    walk(None)
    walk("v2")
