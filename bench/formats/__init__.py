"""One writer per source format: each renders the world's records as that source really writes them.

A writer is rendered only when its connector and staging macro exist in this checkout
(``Source.available``), so the benchmark runs on a checkout that lacks a connector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.formats.base import Source
    from bench.world import World


def all_formats(world: World) -> list[Source]:
    from bench.formats.cpj_csv import CpjCsv
    from bench.formats.cpj_people_list import CpjPeopleList
    from bench.formats.kobo_api import KoboApi
    from bench.formats.odk_csv_zip import OdkCsvZip
    from bench.formats.partner_csv import PartnerCsv
    from bench.formats.partner_xlsx import PartnerXlsx
    from bench.formats.uwazi_csv import UwaziCsv

    return [
        CpjCsv(world),
        CpjPeopleList(world),
        PartnerCsv(world),
        PartnerXlsx(world),
        UwaziCsv(world),
        KoboApi(world),
        OdkCsvZip(world),
    ]
