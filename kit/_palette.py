"""The kit's colours, defined once: charts draw with them, the widgets' HTML bars use them.

Kept apart from :mod:`kit.charts` (which loads matplotlib) so that an exercise page can
colour its live feedback without importing matplotlib before a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["OKABE_ITO", "PALETTE"]

#: Okabe & Ito's colour-blind-safe palette (Okabe and Ito, "Color Universal Design", 2008).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: What each meaning is drawn in, defined once for every chart of the kit.
PALETTE: Mapping[str, str] = {
    "healthy": OKABE_ITO["bluish_green"],
    "watch": OKABE_ITO["vermillion"],
    "not_me": OKABE_ITO["grey"],
    "rarely": OKABE_ITO["sky_blue"],
    "sometimes": OKABE_ITO["blue"],
    "often": OKABE_ITO["orange"],
    "current": OKABE_ITO["blue"],
    "ideal": OKABE_ITO["orange"],
    "profile": OKABE_ITO["grey"],
    "gain": OKABE_ITO["bluish_green"],
    "loss": OKABE_ITO["vermillion"],
    "series": (
        OKABE_ITO["blue"],
        OKABE_ITO["orange"],
        OKABE_ITO["bluish_green"],
        OKABE_ITO["reddish_purple"],
        OKABE_ITO["sky_blue"],
        OKABE_ITO["vermillion"],
    ),
    "ink": "#222222",
    "muted": "#666666",
}
