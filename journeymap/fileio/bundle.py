"""Bundles: one zip holding a map and the photos it refers to, for sharing.

A bundle holds the map file (``NAME.journey.json``) at its top level and each
photo under the path the map gives it, relative to the map's folder.  A zip
comes from outside, so before anything is read every entry is checked and the
whole zip is refused when one is unsafe: an absolute path, a ``..`` or drive
letter, a backslash or colon, a link or device, a folder that holds data,
two entries one disk would see as the same file; more than
:data:`MAX_ENTRIES` entries, more than :data:`MAX_UNPACKED` bytes unpacked
(as stated, and counted again while reading) or an entry or a whole that
unpacks to more than :data:`MAX_RATIO` times its packed size.  No Qt.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from journeymap.fileio.atomic import atomic_output
from journeymap.fileio.errors import JourneyFileError, Problem, quoted
from journeymap.fileio.jsonformat import FILE_SUFFIX, dumps, loads
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import photo_path_problem

BUNDLE_SUFFIX = ".zip"
MAX_ENTRIES = 10_000
MAX_UNPACKED = 1_000_000_000  # bytes: 1 GB
MAX_RATIO = 100
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Already compressed: stored as they are.
_PACKED_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".avif"}
_DOS_DIRECTORY = 0x10
_DOS_REPARSE_POINT = 0x400  # a Windows link


class BundleError(JourneyFileError):
    """A zip is unsafe, damaged, or does not hold exactly one map at its top level."""


def is_bundle(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith(BUNDLE_SUFFIX)


def map_file_name(source: str | os.PathLike[str] | None) -> str:
    """The map's name inside a bundle: the map file's stem + ``.journey.json``."""
    if source is None:
        return "journey" + FILE_SUFFIX
    name = Path(source).name
    suffix = FILE_SUFFIX if name.lower().endswith(FILE_SUFFIX) else Path(name).suffix
    stem = name[: len(name) - len(suffix)]
    return (stem or "journey") + FILE_SUFFIX


# ------------------------------------------------------------------ writing


def write_bundle(
    journey: JourneyMap,
    target: str | os.PathLike[str],
    source: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Write ``journey`` and its photos (found beside ``source``, the map file) as one zip.

    Returns warnings, one for each photo left out (missing, unreadable, or a
    path that is not safe); a missing photo never fails the bundle.  Atomic:
    raises ``OSError`` with ``target`` as it was.
    """
    folder = Path(source).parent if source is not None else None
    map_name = map_file_name(source)
    warnings: list[str] = []
    written = {map_name.casefold()}
    total = 0
    with atomic_output(target) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(map_name, dumps(journey).encode("utf-8"), zipfile.ZIP_DEFLATED)
        for obs in journey.observations:
            for photo in obs.photos:
                name = posixpath.normpath(photo.replace("\\", "/"))
                if name.casefold() in written:
                    continue  # each photo once, warned about once
                written.add(name.casefold())
                problem = photo_path_problem(photo) or entry_problem(name)
                if problem is None and folder is None:
                    problem = "the map has no folder to find it in (save the map first)"
                if problem is not None:
                    warnings.append(f"{obs.id}: photo {quoted(photo)} left out: {problem}")
                    continue
                assert folder is not None
                try:
                    data = (folder / name).read_bytes()
                except OSError as exc:
                    reason = "not found" if isinstance(exc, FileNotFoundError) else exc.strerror
                    warnings.append(f"{obs.id}: photo {quoted(photo)} left out: {reason or exc}")
                    continue
                packed = Path(name).suffix.lower() in _PACKED_SUFFIXES
                archive.writestr(name, data, zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED)
                total += len(data)
    if total > MAX_UNPACKED:
        warnings.append(
            f"{os.fspath(target)}: the photos add up to more than 1 GB, "
            "more than journeymap opens from a bundle"
        )
    return warnings


# ------------------------------------------------------------------ checking


def entry_problem(name: str) -> str | None:
    """Why a zip entry's name is not a safe relative path, or None."""
    if not name or name == "/":
        return "has no name"
    if _CONTROL.search(name):
        return "has a control character in its name"
    if "\\" in name:
        return "has a backslash in its name"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if ":" in name:
        return "has a colon in its name"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "leaves the bundle's folder (..)"
    if any(part in ("", ".") for part in parts):
        return "is not a plain path (empty or '.' part)"
    return None


def _info_problem(info: zipfile.ZipInfo) -> str | None:
    problem = entry_problem(info.filename)
    if problem is not None:
        return problem
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode) or info.external_attr & _DOS_REPARSE_POINT:
        return "is a link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is not a file or a folder"
    says_folder = kind == stat.S_IFDIR or bool(info.external_attr & _DOS_DIRECTORY)
    if info.filename.endswith("/"):
        if info.file_size or info.compress_size > 2 or kind == stat.S_IFREG:
            return "is named as a folder but holds data"
    elif says_folder:
        return "is marked as a folder but named as a file"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if _ratio(info.file_size, info.compress_size) > MAX_RATIO:
        return (
            f"unpacks to more than {MAX_RATIO} times its packed size "
            f"({info.file_size:,} from {info.compress_size:,} bytes)"
        )
    return None


def _ratio(unpacked: int, packed: int) -> float:
    if unpacked == 0:
        return 0.0
    return unpacked / packed if packed else float("inf")


def _check(archive: zipfile.ZipFile, source: str) -> tuple[str, list[zipfile.ZipInfo]]:
    """The map's entry name and the file entries, or :class:`BundleError` for the whole zip."""
    infos = archive.infolist()
    refuse = " (the whole zip is refused)"
    if len(infos) > MAX_ENTRIES:
        raise BundleError(
            source,
            [Problem("", f"holds {len(infos):,} entries, more than {MAX_ENTRIES:,}{refuse}")],
        )
    problems: list[Problem] = []
    stated = sum(info.file_size for info in infos)
    if stated > MAX_UNPACKED:
        problems.append(Problem("", f"unpacks to {stated:,} bytes, more than 1 GB{refuse}"))
    packed = sum(info.compress_size for info in infos)
    if _ratio(stated, packed) > MAX_RATIO:
        problems.append(
            Problem("", f"unpacks to more than {MAX_RATIO} times its packed size{refuse}")
        )
    seen: dict[str, str] = {}
    files: list[zipfile.ZipInfo] = []
    for info in infos:
        where = f"entry {quoted(info.filename)}"
        problem = _info_problem(info)
        if problem is not None:
            problems.append(Problem(where, problem + refuse))
            continue
        key = info.filename.rstrip("/").casefold()
        if key in seen:
            problems.append(Problem(where, f"has the same name as {quoted(seen[key])}{refuse}"))
            continue
        seen[key] = info.filename
        if not info.filename.endswith("/"):
            files.append(info)
    for info in files:
        parts = info.filename.casefold().split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in seen and not seen[parent].endswith("/"):
                problems.append(
                    Problem(
                        f"entry {quoted(info.filename)}",
                        f"is inside {quoted(seen[parent])}, which is a file{refuse}",
                    )
                )
                break
    if problems:
        raise BundleError(source, problems)
    maps = [
        i.filename
        for i in files
        if "/" not in i.filename and i.filename.lower().endswith(FILE_SUFFIX)
    ]
    if not maps:
        raise BundleError(
            source, [Problem("", f"holds no map file (NAME{FILE_SUFFIX}) at its top level")]
        )
    if len(maps) > 1:
        names = ", ".join(quoted(name) for name in maps[:5])
        raise BundleError(
            source,
            [
                Problem(
                    "",
                    f"holds {len(maps)} map files at its top level ({names}); a bundle holds one",
                )
            ],
        )
    return maps[0], files


@contextlib.contextmanager
def _opened(path: str | os.PathLike[str]) -> Iterator[tuple[zipfile.ZipFile, str]]:
    source = os.fspath(path)
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError as exc:
        raise BundleError(source, [Problem("", "no such file")]) from exc
    except OSError as exc:
        raise BundleError(
            source, [Problem("", f"cannot read the file: {exc.strerror or exc}")]
        ) from exc
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise BundleError(source, [Problem("", f"not a zip file ({quoted(str(exc))})")]) from exc
    with archive:
        yield archive, source


class _Budget:
    """Bytes still allowed to unpack, counted as they are read."""

    def __init__(self) -> None:
        self.left = MAX_UNPACKED

    def chunks(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str
    ) -> Iterator[bytes]:
        where = f"entry {quoted(info.filename)}"
        got = 0
        try:
            with archive.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    got += len(chunk)
                    self.left -= len(chunk)
                    if got > info.file_size:
                        raise BundleError(source, [Problem(where, "holds more than it states")])
                    if self.left < 0:
                        raise BundleError(
                            source, [Problem(where, "the zip unpacks to more than 1 GB")]
                        )
                    yield chunk
        except BundleError:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ) as exc:
            raise BundleError(source, [Problem(where, f"is damaged ({quoted(str(exc))})")]) from exc


def load_bundle(path: str | os.PathLike[str]) -> JourneyMap:
    """The map in a bundle, read in memory (its photos stay in the zip).

    Raises :class:`BundleError` for an unsafe or damaged zip and
    ``MapLoadError`` (named ``ZIP:ENTRY``) for a map that does not load.
    """
    with _opened(path) as (archive, source):
        name, files = _check(archive, source)
        info = next(i for i in files if i.filename == name)
        data = b"".join(_Budget().chunks(archive, info, source))
    return loads(data, f"{source}:{name}")


def unpack_bundle(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Path:
    """Unpack a checked bundle into ``folder``; returns the map file's path there.

    Nothing is unpacked from an unsafe zip, and no file already in ``folder``
    is overwritten (the zip is refused instead).  On a failure part-way the
    files written so far are removed.
    """
    base = Path(folder)
    with _opened(path) as (archive, source):
        name, files = _check(archive, source)
        existing = [i.filename for i in files if (base / i.filename).exists()]
        if existing:
            more = f" and {len(existing) - 1:,} more" if len(existing) > 1 else ""
            raise BundleError(
                source,
                [
                    Problem(
                        f"entry {quoted(existing[0])}",
                        f"is already in {base}{more}; choose an empty folder",
                    )
                ],
            )
        budget = _Budget()
        written: list[Path] = []
        try:
            for info in files:
                target = base / info.filename
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    out = open(target, "xb")  # noqa: SIM115 (closed below)
                except OSError as exc:
                    where = f"entry {quoted(info.filename)}"
                    reason = f"cannot unpack into {base}: {exc.strerror or exc}"
                    raise BundleError(source, [Problem(where, reason)]) from exc
                written.append(target)
                with out:
                    for chunk in budget.chunks(archive, info, source):
                        out.write(chunk)
        except BaseException:
            for done in written:
                with contextlib.suppress(OSError):
                    done.unlink()
            raise
    return base / name


@contextlib.contextmanager
def unpacked(path: str | os.PathLike[str]) -> Iterator[tuple[JourneyMap, Path]]:
    """A bundle's map and its file, unpacked with its photos into a temporary
    folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="journeymap-bundle-") as folder:
        map_path = unpack_bundle(path, folder)
        yield loads(map_path.read_bytes(), f"{os.fspath(path)}:{map_path.name}"), map_path
