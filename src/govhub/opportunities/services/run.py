"""``ted_import``: one import run, parsing in worker processes while this one writes."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from django.db import connection, connections, transaction

from govhub.core.audit import audit_record
from govhub.core.errors import NotAllowed

from ..ted import init_worker
from .files import ted_files
from .importer import TedImporter
from .report import ImportReport
from .rows import _read_in_worker


def _workers(files: int) -> int:
    # Starting processes costs more than parsing a few files.
    if files < 200:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def ted_import(
    *,
    actor: Any = None,
    paths: Iterable[Path | str],
    progress: Any = None,
    workers: int | None = None,
) -> ImportReport:
    """Import TED XML notices from files and directories; see the package docstring.

    ``actor`` is None for the command line (the system); a user must be a superuser.
    ``progress`` wraps the file list (e.g. ``lambda files: tqdm(files)``). ``workers``:
    processes that parse (default: one per CPU, at most 4, for 200 files or more; inside
    a transaction always this process alone).
    """
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotAllowed("Only an administrator can import TED notices.")
    files = ted_files(paths)
    importer = TedImporter()
    iterator: Iterator[Path] | Iterable[Path] = progress(files) if progress else files
    workers = _workers(len(files)) if workers is None else workers
    if workers > 1 and not connection.in_atomic_block:
        importer.report.workers = workers
        # Parsing is most of the work and needs no database: worker processes parse while
        # this one writes. Connections are closed first so that no child inherits one.
        connections.close_all()
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        # What the process holds already (Django, the reference lookups…) is out of the
        # garbage collector's reach for the run: its full collections no longer walk it,
        # here or in the forked workers (where walking it would also copy its pages).
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                workers,
                mp_context=context,
                initializer=init_worker,
                initargs=(frozenset(importer.hashes),),
            ) as pool:
                results = pool.map(_read_in_worker, files, chunksize=16)
                for _path, result in zip(iterator, results, strict=True):
                    importer.accept(result)
        finally:
            gc.unfreeze()
    else:
        for path in iterator:
            importer.import_file(path)
    importer.flush()
    report = importer.report
    if report.changed:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="opportunities.ted_import",
                object_type="opportunities.tedimportrun",
                object_id=str(uuid.uuid4()),
                object_label=f"TED import of {report.files_read} files",
                after=report.as_dict(),
            )
    return report
