"""A run's staging folder and how it is published: runs never mix.

A run writes into ``OUT.partial/`` beside its output (marked by ``.mediaeval-run``:
state, pid, host) and publishes it by two renames: OUT -> OUT.old-STAMP (when
OUT exists), then OUT.partial -> OUT; then OUT.old-STAMP is removed.
``recover`` runs first in every run and finishes or undoes a publish that was
cut off: a "ready" staging folder is published, otherwise the old output is put
back. An existing, non-empty OUT is replaced only with ``overwrite`` and only
when it is a mediaeval output folder (with run.json).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Sequence

from .errors import MediaevalError
from .ingest.readers import STAGING_MARKER, is_output_folder

STAGING_SUFFIX = ".partial"
OLD_INFIX = ".old-"


def staging_dir(out_dir: Path) -> Path:
    """Where a run into ``out_dir`` writes before it publishes."""
    out_dir = Path(out_dir)
    return out_dir.with_name(out_dir.name + STAGING_SUFFIX)


def check_paths(out_dir: Path, staging: Path, inputs: Sequence[str]) -> None:
    real_out = os.path.realpath(out_dir)
    for given in inputs:
        real = os.path.realpath(given)
        if real == real_out or real.startswith(real_out + os.sep) or real.startswith(os.path.realpath(staging)):
            raise MediaevalError(f"the input {given} is inside the output folder {out_dir}; "
                                 "choose another -o folder (outputs are never read as input)")
    if out_dir.exists() and not out_dir.is_dir():
        raise MediaevalError(f"{out_dir} exists and is not a folder; choose another -o")


def prepare_output(out_dir: Path, inputs: Sequence[str] = (), overwrite: bool = False) -> Path:
    """Check that a fresh run may write to ``out_dir`` and make its empty staging folder (returned)."""
    out_dir = Path(out_dir)
    recover(out_dir)
    staging = staging_dir(out_dir)
    check_paths(out_dir, staging, inputs)
    if out_dir.exists() and any(out_dir.iterdir()):
        if not overwrite:
            raise MediaevalError(f"{out_dir} is not empty (an earlier run?); pass --overwrite to replace "
                                 "everything in it, --append to add inputs to the run in it, or choose another "
                                 "-o folder")
        if not is_output_folder(out_dir):
            raise MediaevalError(f"{out_dir} is not empty and holds no mediaeval run (no run.json); "
                                 "--overwrite only replaces mediaeval output folders; choose another -o folder")
    if staging.exists():
        owner = read_marker(staging)
        if owner_alive(owner):
            raise MediaevalError(f"another run (process {owner.get('pid')}) is writing {out_dir} now; "
                                 "wait for it to finish or choose another -o folder")
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    write_marker(staging, "running", out_dir, inputs)
    return staging


def publish(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with ``staging`` by two renames (see the module docstring)."""
    write_marker(staging, "ready", out_dir, read_marker(staging).get("inputs", []))
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f"{out_dir.name}{OLD_INFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    (out_dir / STAGING_MARKER).unlink()
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover(out_dir: Path) -> list[str]:
    """Finish or undo a publish that was cut off (a kill between its two renames); returns what was done."""
    out_dir = Path(out_dir)
    done = []
    if out_dir.is_dir() and (out_dir / STAGING_MARKER).exists():
        (out_dir / STAGING_MARKER).unlink()  # cut off after the second rename
        done.append(f"finished publishing {out_dir}")
    if not out_dir.parent.is_dir():
        return done
    prefix = out_dir.name + OLD_INFIX
    for old in sorted(p for p in out_dir.parent.iterdir() if p.name.startswith(prefix)):
        if not out_dir.exists():
            staging = staging_dir(out_dir)
            if staging.is_dir() and read_marker(staging).get("state") == "ready":
                os.rename(staging, out_dir)
                (out_dir / STAGING_MARKER).unlink()
                done.append(f"published the finished run in {staging}")
            else:
                os.rename(old, out_dir)
                done.append(f"restored {out_dir} from {old.name}")
                continue
        shutil.rmtree(old, ignore_errors=True)
    return done


def write_marker(staging: Path, state: str, out_dir: Path, inputs) -> None:
    from .report.tables import write_text

    info = {"state": state, "pid": os.getpid(), "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "out": str(out_dir),
            "inputs": [str(i) for i in inputs]}
    write_text(json.dumps(info, indent=1) + "\n", staging / STAGING_MARKER)


def read_marker(staging: Path) -> dict:
    try:
        return json.loads((staging / STAGING_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def owner_alive(owner: dict) -> bool:
    """True when the process that wrote the marker still runs (on this host)."""
    pid = owner.get("pid")
    if owner.get("state") != "running" or not isinstance(pid, int) or owner.get("host") != socket.gethostname():
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
