"""Matching benchmark: a synthetic ground truth rendered into real source formats, and a scorer."""
