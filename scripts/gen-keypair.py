#!/usr/bin/env python3
"""Writes a Solana CLI keypair file (JSON array of 64 bytes: secret || public) and prints its
base58 address. Used for the committed localnet-only program keypair; needs only `cryptography`."""
import json
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, PrivateFormat, NoEncryption

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


key = Ed25519PrivateKey.generate()
secret = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
with open(sys.argv[1], "w") as f:
    json.dump(list(secret + public), f)
print(b58(public))
