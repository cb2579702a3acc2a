"""RSA signing keys for the test run: each made once, then handed out again in later tests.

Every issuer gets an RSA key when it first signs (credentials.issuing.keystore), and making one
costs 50–200 ms of CPU: hundreds of tests paid it again and again. Within one test every key
handed out is a different, real 2048-bit key, as from ``keys.generate_rsa_key``; the next test
starts again from the first. Other sizes go to the real function (which refuses small ones).
"""

import threading

from credentials.standards import keys


class RsaKeyPool:
    def __init__(self, generate=keys.generate_rsa_key):
        self._generate = generate
        self._keys: list = []
        self._next = 0
        self._lock = threading.Lock()  # a live server's threads sign too

    def restart(self) -> None:
        """Start a test: the first key handed out is the pool's first again."""
        with self._lock:
            self._next = 0

    def __call__(self, bits: int = keys._RSA_BITS):
        if bits != keys._RSA_BITS:
            return self._generate(bits)
        with self._lock:
            if self._next == len(self._keys):
                self._keys.append(self._generate(bits))
            key = self._keys[self._next]
            self._next += 1
            return key


POOL = RsaKeyPool()
