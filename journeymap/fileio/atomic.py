"""Writing files so that a failure never leaves a half-written one behind.

Every output goes to a temporary file beside its target, is checked (not
empty; for the formats we can parse, it parses), flushed to disk, and only
then renamed over the target.  A failure removes the temporary file and
leaves the target as it was; temporary files left by a process that was
killed are removed at the next write beside the same target.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

#: Temporary files this process is writing right now (never cleaned as stale).
_ACTIVE: set[Path] = set()


class OutputCheckError(OSError):
    """A file was written but is not what it should be (empty, or does not parse)."""


def _temporary_name(target: Path) -> Path:
    # The pid tells a later write whether the file's writer is still alive.
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: leave its file alone
    return True


def clean_stale_temporaries(target: Path) -> list[Path]:
    """Remove temporary files of ours beside ``target`` whose writer is gone."""
    removed = []
    folder = target.parent if str(target.parent) else Path(".")
    with contextlib.suppress(OSError):
        for candidate in folder.glob(f".{glob_escape(target.name)}.*.tmp"):
            parts = candidate.name[len(target.name) + 2 : -len(".tmp")].split(".")
            if len(parts) != 2 or not parts[0].isdigit() or candidate in _ACTIVE:
                continue
            if int(parts[0]) == os.getpid() or not _pid_alive(int(parts[0])):
                with contextlib.suppress(OSError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    *,
    backup: bool = False,
    check: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    After the body the temporary file must exist and not be empty, and it
    must pass ``check`` (by default, the check for the target's suffix:
    JSON, XML, SVG, GraphML, PNG, PDF, HTML, CSV, XLSX parse); it is fsynced
    and renamed, so the rename is atomic on the same file system.  If
    anything fails, the temporary file is removed, ``path`` is untouched and
    the error is raised (:class:`OutputCheckError` for a bad file).  With
    ``backup``, the previous version is kept as ``path`` + ``.bak``.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    clean_stale_temporaries(target)
    tmp = _temporary_name(target)
    _ACTIVE.add(tmp)
    try:
        yield tmp
        verify_output(tmp, target, check)
        _fsync_file(tmp)
        _match_mode(target, tmp)
        if backup and target.exists():
            _copy_atomically(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        _ACTIVE.discard(tmp)
    _fsync_folder(folder)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, backup: bool = False) -> None:
    """Write ``data`` to ``path`` atomically, checked and flushed to disk before the rename."""
    with atomic_output(path, backup=backup) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()


# --------------------------------------------------------------- output checks


def verify_output(tmp: Path, target: Path, check: Callable[[Path], None] | None = None) -> None:
    """Raise :class:`OutputCheckError` unless ``tmp`` is a sound file for ``target``."""
    try:
        size = tmp.stat().st_size
    except FileNotFoundError:
        raise OutputCheckError(f"{target}: nothing was written") from None
    if size == 0:
        raise OutputCheckError(f"{target}: the written file is empty (is the disk full?)")
    checker = check if check is not None else CHECKS.get(target.suffix.lower())
    if checker is None:
        return
    try:
        checker(tmp)
    except OutputCheckError:
        raise
    except Exception as exc:  # any parser's complaint means a broken file
        raise OutputCheckError(
            f"{target}: the written file does not read back as {target.suffix or 'expected'} "
            f"({type(exc).__name__}: {str(exc)[:80]})"
        ) from exc


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _xml(path: Path) -> None:
    ElementTree.parse(path)


def _json(path: Path) -> None:
    json.loads(_text(path))


def _csv(path: Path) -> None:
    for _ in csv.reader(io.StringIO(_text(path), newline="")):
        pass


def _png(path: Path) -> None:
    data = path.read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or b"IEND" not in data[-16:]:
        raise ValueError("not a complete PNG image")


def _pdf(path: Path) -> None:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise ValueError("not a complete PDF document")


def _html(path: Path) -> None:
    if "</html>" not in _text(path)[-4096:].lower():
        raise ValueError("the page is cut off")


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise ValueError(f"damaged member {bad}")


CHECKS: dict[str, Callable[[Path], None]] = {
    ".json": _json,
    ".svg": _xml,
    ".graphml": _xml,
    ".xml": _xml,
    ".png": _png,
    ".pdf": _pdf,
    ".html": _html,
    ".htm": _html,
    ".csv": _csv,
    ".mmd": _text,
    ".md": _text,
    ".xlsx": _zip,
    ".zip": _zip,
}


# ------------------------------------------------------------------ plumbing


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_atomically(source: Path, dest: Path) -> None:
    tmp = _temporary_name(dest)
    try:
        shutil.copy2(source, tmp)
        _fsync_file(tmp)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _match_mode(target: Path, tmp: Path) -> None:
    # New files get the usual permissions; a file written before keeps its own.
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not possible on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
