"""Plain helpers any app of ours may import. Nothing here imports an app of ours (an import
test checks it), as healthchecks' ``hc/lib``."""
