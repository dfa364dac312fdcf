"""Reading and writing map files.  No Qt, no matplotlib."""

from journeymap.fileio.errors import JourneyFileError, MapLoadError, MapSaveError, Problem
from journeymap.fileio.jsonformat import (
    FILE_SUFFIX,
    FORMAT_VERSION,
    dumps,
    load_map,
    loads,
    save_map,
)

__all__ = [
    "FILE_SUFFIX",
    "FORMAT_VERSION",
    "JourneyFileError",
    "MapLoadError",
    "MapSaveError",
    "Problem",
    "dumps",
    "load_map",
    "loads",
    "save_map",
]
