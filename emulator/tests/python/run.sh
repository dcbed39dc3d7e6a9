#!/usr/bin/env bash
# Runs official_sdks.py and every_operation.py (Alibaba's official Python SDKs) against the
# emulator binary, then the wire parity check of tests/wire_parity (our wire against the
# official SDK's, no network).
# Creates a virtualenv under target/ on first use (needs PyPI access), reuses it afterwards.
set -euo pipefail
cd "$(dirname "$0")/../../.."
venv=target/python-sdk-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import alibabacloud_vpc20160428, aliyunsdkvpc" 2>/dev/null; then
  python3 -m venv "$venv"
  # A registry hiccup should not fail the run: try the install a few times.
  for attempt in 1 2 3; do
    if "$venv/bin/pip" install --quiet --disable-pip-version-check \
      alibabacloud-vpc20160428 aliyun-python-sdk-core aliyun-python-sdk-vpc; then
      break
    fi
    [ "$attempt" = 3 ] && exit 1
    sleep 5
  done
fi
cargo build --quiet -p vpn-gateway-emulator --bin vpn-gateway-emulator
out=$(mktemp)
target/debug/vpn-gateway-emulator --listen 127.0.0.1:0 >"$out" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
url=$(head -n1 "$out" | sed 's/^listening on //')
"$venv/bin/python" emulator/tests/python/official_sdks.py "$url"
# Every one of the API's operations, and the dual-tunnel lifecycle, with both signatures.
"$venv/bin/python" emulator/tests/python/every_operation.py "$url"
kill -TERM $pid
wait $pid
trap - EXIT
rm -f "$out"
"$venv/bin/python" -m unittest discover -s tests/wire_parity
"$venv/bin/python" tests/wire_parity/official_wire.py tests/wire_parity/sample_cases.json
# Every operation of our SDK, every parameter set, against the official SDK's wire encoding.
VPN_GATEWAY_WIRE_CASES="$PWD/target/wire_cases.json" \
  cargo test --quiet -p vpn-gateway-sdk --lib wire_cases
"$venv/bin/python" tests/wire_parity/official_wire.py target/wire_cases.json
