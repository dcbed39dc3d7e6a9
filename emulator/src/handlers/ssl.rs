//! SSL-VPN servers, their client certificates and their logs.

use crate::error::ApiError;
use crate::state::{page, ClientCert, Cx, SslServer};
use vpn_gateway::operation::{
    create_ssl_vpn_client_cert::CreateSslVpnClientCertOutput,
    create_ssl_vpn_server::CreateSslVpnServerOutput,
    delete_ssl_vpn_client_cert::DeleteSslVpnClientCertOutput,
    delete_ssl_vpn_server::DeleteSslVpnServerOutput,
    describe_ssl_vpn_client_cert::DescribeSslVpnClientCertOutput,
    describe_ssl_vpn_client_certs::DescribeSslVpnClientCertsOutput,
    describe_ssl_vpn_clients::DescribeSslVpnClientsOutput,
    describe_ssl_vpn_servers::DescribeSslVpnServersOutput,
    describe_vpn_ssl_server_logs::DescribeVpnSslServerLogsOutput,
    modify_ssl_vpn_client_cert::ModifySslVpnClientCertOutput,
    modify_ssl_vpn_server::ModifySslVpnServerOutput,
};
use vpn_gateway::server::{
    CreateSslVpnClientCertRequest, CreateSslVpnServerRequest, DeleteSslVpnClientCertRequest,
    DeleteSslVpnServerRequest, DescribeSslVpnClientCertRequest, DescribeSslVpnClientCertsRequest,
    DescribeSslVpnClientsRequest, DescribeSslVpnServersRequest, DescribeVpnSslServerLogsRequest,
    ModifySslVpnClientCertRequest, ModifySslVpnServerRequest,
};
use vpn_gateway::types::{
    SslVpnClientCertKey, SslVpnClientCertStatus, SslVpnServer, SslVpnServerCipher,
    SslVpnServerProto,
};
use vpn_gateway::ErrorCode;

const YEAR_MS: i64 = 3 * 365 * 24 * 3600 * 1000;

fn server<'a>(cx: &'a mut Cx<'_>, id: &str) -> Result<&'a mut SslServer, ApiError> {
    cx.region
        .ssl_servers
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found("SSL-VPN server", "SslVpnServerId", id))
}

fn cert<'a>(cx: &'a mut Cx<'_>, id: &str) -> Result<&'a mut ClientCert, ApiError> {
    cx.region
        .client_certs
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found("SSL-VPN client certificate", "SslVpnClientCertId", id))
}

/// The server's gateway must exist, be paid for and not be configuring.
fn check_gateway_of_server(cx: &mut Cx<'_>, server_id: &str) -> Result<String, ApiError> {
    let gateway_id = server(cx, server_id)?.gateway_id.clone();
    cx.gateway_for_change(&gateway_id)?;
    Ok(gateway_id)
}

fn check_pool(pool: &str, local: &str) -> Result<(), ApiError> {
    if super::lists_overlap(pool, local) {
        return Err(ApiError::invalid_parameter(
            "ClientIpPool",
            "must not overlap LocalSubnet",
        ));
    }
    Ok(())
}

fn view(cx: &Cx<'_>, s: &SslServer) -> SslVpnServer {
    let mut v = SslVpnServer::default();
    v.ssl_vpn_server_id = Some(s.id.clone());
    v.vpn_gateway_id = Some(s.gateway_id.clone());
    v.region_id = Some(cx.region_id.to_owned());
    v.name = s.name.clone();
    v.client_ip_pool = Some(s.client_ip_pool.clone());
    v.local_subnet = Some(s.local_subnet.clone());
    v.proto = Some(s.proto.clone());
    v.cipher = Some(s.cipher.clone());
    v.port = Some(s.port);
    v.compress = Some(s.compress);
    v.create_time = Some(s.create_time);
    v.connections = Some(0);
    let gateway = cx.region.gateways.get(&s.gateway_id);
    v.max_connections = gateway.map(|g| i32::try_from(g.ssl_max_connections).unwrap_or(i32::MAX));
    v.internet_ip = gateway.map(|g| g.internet_ip.clone());
    v.resource_group_id = gateway.and_then(|g| g.resource_group_id.clone());
    v
}

pub fn create_ssl_vpn_server(
    cx: &mut Cx<'_>,
    input: CreateSslVpnServerRequest,
) -> Result<CreateSslVpnServerOutput, ApiError> {
    let gateway_id = input.vpn_gateway_id;
    let client_ip_pool = input.client_ip_pool;
    let local_subnet = input.local_subnet;
    cx.gateway_for_change(&gateway_id)?;
    check_pool(&client_ip_pool, &local_subnet)?;
    let existing = cx
        .region
        .ssl_servers
        .values()
        .filter(|s| s.gateway_id == gateway_id)
        .count();
    if existing >= cx.quotas.ssl_vpn_servers_per_gateway {
        return Err(ApiError::quota_full());
    }
    let id = cx.new_id("vss");
    let record = SslServer {
        id: id.clone(),
        seq: cx.region.next_seq(),
        gateway_id: gateway_id.clone(),
        name: input.name.clone(),
        client_ip_pool,
        local_subnet,
        proto: input.proto.unwrap_or(SslVpnServerProto::Udp),
        cipher: input.cipher.unwrap_or(SslVpnServerCipher::Aes128Cbc),
        port: input.port.unwrap_or(1194),
        compress: input.compress.unwrap_or(true),
        create_time: cx.now_ms,
    };
    cx.region.ssl_servers.insert(id.clone(), record);
    cx.mark_updating(&gateway_id);
    let mut out = CreateSslVpnServerOutput::default();
    out.ssl_vpn_server_id = id;
    out.name = input.name;
    Ok(out)
}

pub fn modify_ssl_vpn_server(
    cx: &mut Cx<'_>,
    input: ModifySslVpnServerRequest,
) -> Result<ModifySslVpnServerOutput, ApiError> {
    let id = input.ssl_vpn_server_id;
    let gateway_id = check_gateway_of_server(cx, &id)?;
    let s = server(cx, &id)?;
    let pool = input
        .client_ip_pool
        .unwrap_or_else(|| s.client_ip_pool.clone());
    let local = input.local_subnet.unwrap_or_else(|| s.local_subnet.clone());
    check_pool(&pool, &local)?;
    s.client_ip_pool = pool;
    s.local_subnet = local;
    if input.name.is_some() {
        s.name = input.name;
    }
    if let Some(proto) = input.proto {
        s.proto = proto;
    }
    if let Some(cipher) = input.cipher {
        s.cipher = cipher;
    }
    if let Some(port) = input.port {
        s.port = port;
    }
    if let Some(compress) = input.compress {
        s.compress = compress;
    }
    let s = s.clone();
    cx.mark_updating(&gateway_id);
    let v = view(cx, &s);
    let mut out = ModifySslVpnServerOutput::default();
    out.region_id = v.region_id;
    out.ssl_vpn_server_id = v.ssl_vpn_server_id;
    out.vpn_gateway_id = v.vpn_gateway_id;
    out.name = v.name;
    out.local_subnet = v.local_subnet;
    out.client_ip_pool = v.client_ip_pool;
    out.create_time = v.create_time;
    out.cipher = v.cipher;
    out.proto = v.proto;
    out.port = v.port;
    out.compress = v.compress;
    out.connections = v.connections;
    out.max_connections = v.max_connections;
    out.internet_ip = v.internet_ip;
    Ok(out)
}

pub fn delete_ssl_vpn_server(
    cx: &mut Cx<'_>,
    input: DeleteSslVpnServerRequest,
) -> Result<DeleteSslVpnServerOutput, ApiError> {
    let id = input.ssl_vpn_server_id;
    let gateway_id = check_gateway_of_server(cx, &id)?;
    cx.region.ssl_servers.remove(&id);
    cx.region.client_certs.retain(|_, c| c.server_id != id);
    cx.mark_updating(&gateway_id);
    Ok(DeleteSslVpnServerOutput::default())
}

pub fn describe_ssl_vpn_servers(
    cx: &mut Cx<'_>,
    input: DescribeSslVpnServersRequest,
) -> Result<DescribeSslVpnServersOutput, ApiError> {
    let mut all: Vec<&SslServer> = cx
        .region
        .ssl_servers
        .values()
        .filter(|s| input.ssl_vpn_server_id.as_ref().is_none_or(|v| *v == s.id))
        .filter(|s| {
            input
                .vpn_gateway_id
                .as_ref()
                .is_none_or(|v| *v == s.gateway_id)
        })
        .filter(|s| input.name.is_none() || input.name == s.name)
        .collect();
    all.sort_by_key(|s| std::cmp::Reverse(s.seq));
    let page = page(all, input.page_number, input.page_size);
    let mut out = DescribeSslVpnServersOutput::default();
    out.ssl_vpn_servers = page.items.into_iter().map(|s| view(cx, s)).collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}

pub fn create_ssl_vpn_client_cert(
    cx: &mut Cx<'_>,
    input: CreateSslVpnClientCertRequest,
) -> Result<CreateSslVpnClientCertOutput, ApiError> {
    let server_id = input.ssl_vpn_server_id;
    let gateway_id = check_gateway_of_server(cx, &server_id)?;
    let existing = cx
        .region
        .client_certs
        .values()
        .filter(|c| c.server_id == server_id)
        .count();
    if existing >= cx.quotas.client_certs_per_server {
        return Err(ApiError::quota_full());
    }
    let id = cx.new_id("vsc");
    let record = ClientCert {
        id: id.clone(),
        seq: cx.region.next_seq(),
        server_id,
        name: input.name.clone(),
        create_time: cx.now_ms,
        end_time: cx.now_ms + YEAR_MS,
        key_seed: cx.ids.next_u64(),
    };
    cx.region.client_certs.insert(id.clone(), record);
    cx.mark_updating(&gateway_id);
    let mut out = CreateSslVpnClientCertOutput::default();
    out.ssl_vpn_client_cert_id = id;
    out.name = input.name;
    Ok(out)
}

pub fn modify_ssl_vpn_client_cert(
    cx: &mut Cx<'_>,
    input: ModifySslVpnClientCertRequest,
) -> Result<ModifySslVpnClientCertOutput, ApiError> {
    let id = input.ssl_vpn_client_cert_id;
    let c = cert(cx, &id)?;
    if input.name.is_some() {
        c.name = input.name;
    }
    let mut out = ModifySslVpnClientCertOutput::default();
    out.ssl_vpn_client_cert_id = Some(c.id.clone());
    out.name = c.name.clone();
    Ok(out)
}

pub fn delete_ssl_vpn_client_cert(
    cx: &mut Cx<'_>,
    input: DeleteSslVpnClientCertRequest,
) -> Result<DeleteSslVpnClientCertOutput, ApiError> {
    let id = input.ssl_vpn_client_cert_id;
    let server_id = cert(cx, &id)?.server_id.clone();
    let gateway_id = check_gateway_of_server(cx, &server_id)?;
    cx.region.client_certs.remove(&id);
    cx.mark_updating(&gateway_id);
    Ok(DeleteSslVpnClientCertOutput::default())
}

pub fn describe_ssl_vpn_client_certs(
    cx: &mut Cx<'_>,
    input: DescribeSslVpnClientCertsRequest,
) -> Result<DescribeSslVpnClientCertsOutput, ApiError> {
    let now_ms = cx.now_ms;
    let mut all: Vec<&ClientCert> = cx
        .region
        .client_certs
        .values()
        .filter(|c| {
            input
                .ssl_vpn_client_cert_id
                .as_ref()
                .is_none_or(|v| *v == c.id)
        })
        .filter(|c| {
            input
                .ssl_vpn_server_id
                .as_ref()
                .is_none_or(|v| *v == c.server_id)
        })
        .filter(|c| input.name.is_none() || input.name == c.name)
        .collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.seq));
    let page = page(all, input.page_number, input.page_size);
    let mut out = DescribeSslVpnClientCertsOutput::default();
    out.ssl_vpn_client_cert_keys = page
        .items
        .into_iter()
        .map(|c| {
            let mut v = SslVpnClientCertKey::default();
            v.ssl_vpn_client_cert_id = Some(c.id.clone());
            v.ssl_vpn_server_id = Some(c.server_id.clone());
            v.region_id = Some(cx.region_id.to_owned());
            v.name = c.name.clone();
            v.create_time = Some(c.create_time);
            v.end_time = Some(c.end_time);
            v.status = Some(if c.end_time <= now_ms {
                SslVpnClientCertStatus::Expired
            } else {
                SslVpnClientCertStatus::Normal
            });
            v
        })
        .collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}

pub fn describe_vpn_ssl_server_logs(
    cx: &mut Cx<'_>,
    input: DescribeVpnSslServerLogsRequest,
) -> Result<DescribeVpnSslServerLogsOutput, ApiError> {
    let id = input.vpn_ssl_server_id;
    let lines: Vec<String> = match cx.region.ssl_servers.get(&id) {
        Some(s) => vec![
            format!(
                "{} openvpn[1]: OpenVPN server {} started, listening on {}:{}",
                s.create_time / 1000,
                s.id,
                match s.proto {
                    SslVpnServerProto::Tcp => "tcp",
                    _ => "udp",
                },
                s.port
            ),
            format!(
                "{} openvpn[1]: Initialization Sequence Completed",
                s.create_time / 1000
            ),
        ],
        None => Vec::new(),
    };
    let page = page(lines, input.page_number, input.page_size);
    let mut out = DescribeVpnSslServerLogsOutput::default();
    out.count = Some(page.total);
    out.is_completed = Some(true);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    out.data = page.items;
    Ok(out)
}

/// A certificate's state: `expired` from its end, `expiring-soon` within its last week.
fn cert_status(end_time: i64, now_ms: i64) -> SslVpnClientCertStatus {
    const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;
    if end_time <= now_ms {
        SslVpnClientCertStatus::Expired
    } else if end_time - now_ms <= WEEK_MS {
        SslVpnClientCertStatus::ExpiringSoon
    } else {
        SslVpnClientCertStatus::Normal
    }
}

/// PEM-shaped text of `label`, its body derived from `seed` (stable for a certificate; the
/// emulator issues no real certificates).
fn pem(label: &str, seed: u64, lines: usize) -> String {
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = format!("-----BEGIN {label}-----\n");
    let mut state = seed;
    for _ in 0..lines {
        for _ in 0..64 {
            state = crate::ids::mix(state);
            out.push(char::from(BASE64[(state % 64) as usize]));
        }
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// One client certificate with what a client needs to connect: the CA certificate, its own
/// certificate and key, and an OpenVPN configuration naming the gateway's address and the
/// server's protocol, port, cipher and compression.
pub fn describe_ssl_vpn_client_cert(
    cx: &mut Cx<'_>,
    input: DescribeSslVpnClientCertRequest,
) -> Result<DescribeSslVpnClientCertOutput, ApiError> {
    let c = cx
        .region
        .client_certs
        .get(&input.ssl_vpn_client_cert_id)
        .cloned()
        .ok_or_else(|| ApiError::catalogue(ErrorCode::InvalidInstanceIdNotFound))?;
    let s = cx.region.ssl_servers.get(&c.server_id).cloned();
    let gateway = s
        .as_ref()
        .and_then(|s| cx.region.gateways.get(&s.gateway_id));
    let config = s.as_ref().map(|s| {
        let proto = match s.proto {
            SslVpnServerProto::Tcp => "tcp",
            _ => "udp",
        };
        let mut config = format!(
            "client\ndev tun\nproto {proto}\nremote {} {}\nresolv-retry infinite\nnobind\npersist-key\npersist-tun\nca ca.crt\ncert client.crt\nkey client.key\nremote-cert-tls server\ncipher {}\nverb 3\n",
            gateway.map(|g| g.internet_ip.as_str()).unwrap_or_default(),
            s.port,
            s.cipher.as_str(),
        );
        if s.compress {
            config.push_str("comp-lzo\n");
        }
        config
    });
    let mut out = DescribeSslVpnClientCertOutput::default();
    out.ssl_vpn_client_cert_id = Some(c.id.clone());
    out.ssl_vpn_server_id = Some(c.server_id.clone());
    out.region_id = Some(cx.region_id.to_owned());
    out.name = c.name.clone();
    out.create_time = Some(c.create_time);
    out.end_time = Some(c.end_time);
    out.status = Some(cert_status(c.end_time, cx.now_ms).as_str().to_owned());
    out.resource_group_id = gateway.and_then(|g| g.resource_group_id.clone());
    out.ca_cert = Some(pem(
        "CERTIFICATE",
        crate::ids::mix(
            c.server_id
                .bytes()
                .fold(0, |h, b| h.rotate_left(5) ^ u64::from(b)),
        ),
        12,
    ));
    out.client_cert = Some(pem("CERTIFICATE", c.key_seed ^ 0x6365_7274, 12));
    out.client_key = Some(pem("PRIVATE KEY", c.key_seed, 16));
    out.client_config = config;
    Ok(out)
}

/// The SSL-VPN clients connected to a gateway. No client ever connects to the emulator, so
/// the list is empty; paging is echoed.
pub fn describe_ssl_vpn_clients(
    cx: &mut Cx<'_>,
    input: DescribeSslVpnClientsRequest,
) -> Result<DescribeSslVpnClientsOutput, ApiError> {
    if !cx.region.gateways.contains_key(&input.vpn_gateway_id) {
        return Err(ApiError::catalogue_as(
            ErrorCode::InvalidVpnGatewayInstanceIdNotFound,
            400,
        ));
    }
    if input.page_size.is_some_and(|s| !(1..=50).contains(&s)) {
        return Err(ApiError::invalid_parameter(
            "PageSize",
            "must be between 1 and 50",
        ));
    }
    let clients: Vec<vpn_gateway::types::DescribeSslVpnClientsResponseClientInfoList> = Vec::new();
    let page = page(clients, input.page_number, input.page_size);
    let mut out = DescribeSslVpnClientsOutput::default();
    out.vpn_gateway_id = Some(input.vpn_gateway_id);
    out.region_id = Some(cx.region_id.to_owned());
    out.client_info_list = page.items;
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}
