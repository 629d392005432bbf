"""The sealed envelopes of the offline queue.

An entry logged without a network waits on the phone, sealed for the server: the page seals it
with its author's public key (ECDH on P-256 with a key pair made for that one entry, HKDF-SHA256,
AES-256-GCM, the author's tag as associated data), and only the server, which derives the
private key from SECRET_KEY and the user's number, can open it. Nobody who picks up the phone,
the same person included, reads what is queued; an envelope sent under another account does
not open. Rotating SECRET_KEY leaves the envelopes still on phones unreadable (docs/operations.md).
"""

import base64
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

if TYPE_CHECKING:
    from ema.accounts.models import User

INFO = b"ema-offline-queue-v1"
CURVE = ec.SECP256R1()
# The order of P-256: a private key is a number in [1, ORDER - 1].
ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class SealError(ValueError):
    """An envelope that does not open: damaged, or sealed for someone else."""


def _b64decode(value: str) -> bytes:
    padded = value + "=" * (-len(value) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _b64encode(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode("ascii")


def _secret(purpose: str, user: "User") -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{user.pk}".encode(), hashlib.sha256
    ).digest()


def owner_tag(user: "User") -> str:
    """What the phone writes on each envelope to tell whose it is, without saying who."""
    return _b64encode(_secret("ema-offline-owner", user)[:16])


def _private_key(user: "User") -> ec.EllipticCurvePrivateKey:
    scalar = int.from_bytes(_secret("ema-offline-key", user), "big") % (ORDER - 1) + 1
    return ec.derive_private_key(scalar, CURVE)


def public_key(user: "User") -> str:
    """The user's public key, as the page imports it (raw uncompressed point, base64url)."""
    point = (
        _private_key(user)
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64encode(point)


def _content_key(private: ec.EllipticCurvePrivateKey, ephemeral: bytes) -> bytes:
    try:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(CURVE, ephemeral)
    except ValueError as error:
        raise SealError("not a point of the curve") from error
    shared = private.exchange(ec.ECDH(), peer)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(shared)


def open_envelope(user: "User", envelope: dict[str, Any]) -> dict[str, Any]:
    """The entry sealed in `envelope` for `user`; SealError if it is not theirs or damaged."""
    try:
        ephemeral = _b64decode(str(envelope["key"]))
        nonce = _b64decode(str(envelope["iv"]))
        sealed = _b64decode(str(envelope["data"]))
    except (KeyError, ValueError, TypeError) as error:
        raise SealError("incomplete envelope") from error
    if len(nonce) != 12:
        raise SealError("bad nonce")
    key = _content_key(_private_key(user), ephemeral)
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, owner_tag(user).encode())
    except InvalidTag as error:
        raise SealError("sealed for someone else, or damaged") from error
    try:
        entry = json.loads(plain)
    except ValueError as error:
        raise SealError("not an entry") from error
    if not isinstance(entry, dict):
        raise SealError("not an entry")
    return entry
