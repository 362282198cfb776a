"""Files written whole or not at all: a temporary sibling, flushed, then renamed into place.

A full disk, a crash or a Ctrl-C while writing leaves the previous file (or folder) as it was
and no temporary sibling behind.  Every output of the project (exports, views, site pages,
the store's own files) goes through ``atomic_write`` or ``atomic_dir``.
Standard library only (bottom layer): must not import anything else of ``policykg`` but
``policykg.errors``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal, overload

from policykg.errors import Errors, StoreError

__all__ = ["atomic_dir", "atomic_write", "fsync_dir", "write_bytes", "write_text"]


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename inside it) to disk; a no-op where unsupported."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@overload
def atomic_write(
    path: Path, mode: Literal["w"] = ..., *, encoding: str = ..., newline: str | None = ...
) -> contextlib.AbstractContextManager[IO[str]]: ...


@overload
def atomic_write(
    path: Path, mode: Literal["wb"], *, encoding: str = ..., newline: str | None = ...
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_write(
    path: Path, mode: str = "w", *, encoding: str = "utf-8", newline: str | None = None
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """Open a temporary sibling of ``path`` for writing; rename it onto ``path`` on success.

    Args:
        path: the file to (re)place; its folder is created.
        mode: ``"w"`` (text) or ``"wb"`` (bytes).
        encoding: text encoding (text mode only).
        newline: as ``open``'s (text mode only).

    Raises:
        StoreError: the file cannot be written (the previous ``path`` is left untouched).
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write: mode must be 'w' or 'wb', not {mode!r}")
    return _atomic(Path(path), mode, encoding, newline)


@contextlib.contextmanager
def _atomic(path: Path, mode: str, encoding: str, newline: str | None) -> Iterator[IO[Any]]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise StoreError(Errors.S001.format(path=path, reason=e.strerror or e)) from e
    tmp = Path(tmp_name)
    try:
        f: IO[Any] = (os.fdopen(fd, "wb") if mode == "wb"
                      else os.fdopen(fd, "w", encoding=encoding, newline=newline))
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _keep_mode(path, tmp)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise StoreError(Errors.S001.format(path=path, reason=e.strerror or e)) from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _keep_mode(path: Path, tmp: Path) -> None:
    """Give the new file the permissions a plain ``open(path, 'w')`` would have."""
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (``\\n`` line ends kept as they are)."""
    with atomic_write(path, "w", encoding=encoding, newline="\n") as f:
        f.write(text)
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    with atomic_write(path, "wb") as f:
        f.write(data)
    return path


@contextlib.contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """Yield a temporary sibling folder; on success it replaces the folder ``path`` whole.

    The previous folder is moved aside, the new one renamed in, the previous one removed;
    on any error the new folder is removed and ``path`` is left as it was.  For outputs
    (a CSV export, a site), not for the store, whose swap ``graph.store`` makes recoverable.

    Raises:
        StoreError: the folder cannot be written or replaced.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(Errors.S002.format(path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent))
    except OSError as e:
        raise StoreError(Errors.S001.format(path=path, reason=e.strerror or e)) from e
    old = tmp.with_suffix(".old")
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        if path.exists():
            os.replace(path, old)
        try:
            os.replace(tmp, path)
        except BaseException:
            if old.exists() and not path.exists():
                os.replace(old, path)
            raise
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(Errors.S001.format(path=path, reason=e.strerror or e)) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    fsync_dir(path.parent)
