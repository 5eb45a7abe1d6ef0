"""Extractors: land bytes exactly as received, then parse landed files into raw rows.

Each connector kind is one module, ``extract/connectors/<kind>.py``, exposing:

- ``land(ctx: RunContext, writer: LandingWriter) -> None``: fetch or copy what the source
  offers for the interval into the landing partition (bytes untouched);
- ``parse(spec: SourceSpec, partition: Path) -> Iterator[RawRecord | QuarantinedRow]``: read
  landed files back into text rows; rows that cannot be read become ``QuarantinedRow``.

Adding a connector means adding one module; nothing else is edited.
"""
