"""What the phone's store.js does to an entry, in Python: seal it with the user's public key
as the bundle gives it (ECDH P-256, HKDF-SHA256, AES-256-GCM, the owner's tag as associated
data)."""

import base64
import json
import secrets

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from offline.crypto import INFO, owner_tag, public_key


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def seal(user, entry: dict, *, tag: str | None = None) -> dict:
    server = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(public_key(user)))
    mine = ec.generate_private_key(ec.SECP256R1())
    shared = mine.exchange(ec.ECDH(), server)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"", info=INFO).derive(shared)
    nonce = secrets.token_bytes(12)
    data = AESGCM(key).encrypt(nonce, json.dumps(entry).encode(), (tag or owner_tag(user)).encode())
    point = mine.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"key": _b64(point), "iv": _b64(nonce), "data": _b64(data)}
