"""What a snapshot's ``report.html`` shows once a real browser has rendered it (tests/conftest.py's
``browser``): read from the page's DOM, with the sizes the browser laid out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

READ_PAGE = """
const bars = id => [...document.querySelectorAll('#' + id + ' g.bar')].map(g => ({
    label: g.dataset.label, value: Number(g.dataset.value),
    width: g.querySelector('rect').getBoundingClientRect().width}));
const map = document.getElementById('map');
const frame = map ? map.getBoundingClientRect() : null;
const inside = r => frame && r.left >= frame.left - 1 && r.right <= frame.right + 1
    && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1 && r.width > 0;
return {
    title: document.title,
    headings: [...document.querySelectorAll('h2')].map(h => h.textContent),
    text: document.body.innerText,
    charts: Object.fromEntries(['chart-years', 'chart-countries', 'chart-violations', 'chart-changes']
        .map(id => [id, bars(id)])),
    dots: [...document.querySelectorAll('#map circle.event')].map(c => ({
        event_id: c.dataset.eventId, x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')),
        visible: inside(c.getBoundingClientRect())})),
    countries: Object.fromEntries([...document.querySelectorAll('#map path.country')]
        .filter(p => Number(p.dataset.value) > 0).map(p => [p.dataset.country, Number(p.dataset.value)])),
    map_height: frame ? frame.height : 0,
    sdg_rows: [...document.querySelectorAll('#sdg tr')].slice(1).map(tr =>
        [...tr.querySelectorAll('td')].map(td => td.textContent)),
    sdg_withheld: document.getElementById('sdg-withheld') !== null,
    changes: [...document.querySelectorAll('#changes li')].map(li => li.textContent),
    fetched: performance.getEntriesByType('resource').map(r => r.name),
};
"""


def read_report(browser: Any, path: Path) -> dict[str, Any]:
    """Open ``path`` in the browser and read the page; ``errors``: what the console logged as severe."""
    browser.get(path.resolve().as_uri())
    page = browser.execute_script(READ_PAGE)
    page["errors"] = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    return page
