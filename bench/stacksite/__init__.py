"""Production settings plus one bench-only URL, for the stack bench/stack.py starts."""
