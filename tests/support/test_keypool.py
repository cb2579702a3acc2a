"""The run's RSA key pool: real, different keys within a test, the same ones again later."""

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from credentials.standards import keys
from tests.support.keypool import RsaKeyPool


def _counting():
    made = []

    def generate(bits=2048):
        made.append(bits)
        return rsa.generate_private_key(public_exponent=65537, key_size=bits)

    return made, generate


def test_keys_within_a_test_differ_and_the_next_test_gets_them_again():
    made, generate = _counting()
    pool = RsaKeyPool(generate)
    first = [pool() for _ in range(3)]
    assert len({k.private_numbers().d for k in first}) == 3
    assert all(k.key_size == 2048 for k in first)
    pool.restart()
    again = [pool() for _ in range(4)]
    assert again[:3] == first and again[3] not in first
    assert made == [2048] * 4


def test_other_sizes_go_to_the_real_function_which_refuses_small_keys():
    with pytest.raises(keys.KeyFormatError):
        RsaKeyPool()(1024)
    pool = RsaKeyPool(lambda bits=2048: object())
    assert pool(3072) is not pool(3072)  # made afresh each time, never pooled


def test_the_suite_signs_with_the_pool():
    from tests.support.keypool import POOL

    assert keys.generate_rsa_key is POOL
