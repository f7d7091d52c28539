"""Sneakernet bundles: push bodies on a USB stick, signed by the device."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sync.protocol.wire import ProtocolError, compress, decompress

# --- sneakernet bundles ------------------------------------------------------------------------
# A bundle carries push bodies on a USB stick. Signed with HMAC-SHA256 keyed by the SHA-256
# of the device's token, which HQ stores (it never stores the token itself): HQ can check
# that the device wrote it and that nothing on the stick changed it. The device id stands
# outside the compressed part and under the signature, so HQ checks the signature *before*
# it decompresses anything: a stick from nobody cannot make HQ inflate a gigabyte.
#
#   GATEUI-BUNDLE-2 LF <device> SP <hex HMAC over device LF compressed> LF <zstd bodies>

BUNDLE_MAGIC = b"GATEUI-BUNDLE-2\n"


def token_key(token: str) -> str:
    """What HQ stores for a device's token, and the key of the device's bundle signatures."""
    return hashlib.sha256(token.encode()).hexdigest()


BUNDLE_SEPARATOR = b"\n\x00\n"  # canonical JSON never holds a raw NUL byte
MAX_BUNDLE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class BundleFile:
    """A bundle as read from the stick, not yet trusted: nothing decompressed."""

    device: str
    signature: str
    compressed: bytes


def _bundle_mac(key: str, device: str, compressed: bytes) -> str:
    return hmac.new(key.encode(), device.encode() + b"\n" + compressed, hashlib.sha256).hexdigest()


def sign_bundle(device: str, token: str, push_bodies: list[bytes]) -> bytes:
    """The bytes of a bundle file: magic, device and signature line, compressed bodies."""
    if not device or any(c in device for c in " \n"):
        raise ValueError(f"bad device id {device!r}")
    compressed = compress(BUNDLE_SEPARATOR.join(push_bodies))
    mac = _bundle_mac(token_key(token), device, compressed)
    return BUNDLE_MAGIC + f"{device} {mac}\n".encode() + compressed


def read_bundle(data: bytes) -> BundleFile:
    """The parts of a bundle file; the caller checks the signature, then `bundle_bodies`."""
    if not data.startswith(BUNDLE_MAGIC):
        raise ProtocolError("bad_request", "not a GateUI bundle (or one of an older version)")
    line, sep, compressed = data[len(BUNDLE_MAGIC) :].partition(b"\n")
    device, space, mac = line.partition(b" ")
    if not sep or not space or not device or len(mac) != 64:
        raise ProtocolError("bad_request", "bundle signature missing")
    return BundleFile(
        device=device.decode("utf-8", "replace"),
        signature=mac.decode("ascii", "replace"),
        compressed=compressed,
    )


def bundle_signature_ok(stored_token_key: str, bundle: BundleFile) -> bool:
    expected = _bundle_mac(stored_token_key, bundle.device, bundle.compressed)
    return hmac.compare_digest(expected, bundle.signature)


def bundle_bodies(bundle: BundleFile) -> list[bytes]:
    """The push bodies of a bundle whose signature was checked."""
    return decompress(bundle.compressed, MAX_BUNDLE_BYTES).split(BUNDLE_SEPARATOR)
