"""Publishing: versioned, checksummed snapshots of the marts."""
