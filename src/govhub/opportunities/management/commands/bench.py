"""``govhub bench import``: the TED import's speed next to a bare lxml parse (the floor).

A benchmark, not a test: it writes into the configured database, so point DATABASE_URL at a
throwaway file (``sqlite:////tmp/bench.sqlite3``) after ``migrate`` and ``load-reference``.
"""

from __future__ import annotations

import resource
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from lxml import etree

from govhub.opportunities.management.commands.import_ted import progress_bar, write_report
from govhub.opportunities.services import ted_files, ted_import
from govhub.opportunities.ted import xml_parser


class Command(BaseCommand):
    help = "Benchmarks. `bench import`: import all TED notices, report speed and memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["import"])
        parser.add_argument(
            "--notices",
            type=Path,
            default=None,
            help="Directory of TED XML notices (default: the shared data's ted/notices).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["notices"] or Path(settings.SHARED_DATA_DIR) / "ted" / "notices"
        if not directory.is_dir():
            raise CommandError(f"no notices directory at {directory}")
        files = ted_files([directory])
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"{len(files)} files in {directory}; database: {engine}")

        # The floor: read and parse every file, nothing else (files are then in the OS cache
        # for the import too, so neither run pays for the disk alone).
        started, cpu_started = time.perf_counter(), time.process_time()
        for path in files:
            etree.fromstring(path.read_bytes(), xml_parser())
        parse_seconds = time.perf_counter() - started
        parse_cpu = time.process_time() - cpu_started

        # Peak RSS, not tracemalloc: tracing every allocation would slow the run it measures.
        # As in production: development's DEBUG would log every query of the run in memory,
        # and background work (reindexing what a corrigendum changed) is queued for a
        # worker, not run inline by development's immediate task backend.
        queued = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        # Modules a corrigendum's side effects load (search indexing pulls in numpy and
        # scikit-learn) are imported once per process, as a server has them: not timed here.
        import_module("govhub.search.tasks")
        with override_settings(DEBUG=False, TASKS=queued):
            children = _children_cpu()
            started, cpu_started = time.perf_counter(), time.process_time()
            report = ted_import(paths=[directory], progress=progress_bar(options["quiet"]))
            import_seconds = time.perf_counter() - started
            import_cpu = time.process_time() - cpu_started
            # The worker processes have exited (and been waited for) when the import returns.
            workers_cpu = _children_cpu() - children
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss_mib = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024

        write_report(self.stdout, report, import_seconds)
        notices = report.notices_created + report.notices_updated + report.notices_unchanged
        self.stdout.write(
            f"Bare lxml parse: {parse_seconds:.2f} s\n"
            f"Import: {import_seconds:.2f} s, {notices / import_seconds:.0f} notices/s\n"
            f"  parsing the notices: {report.parse_seconds:.2f} s"
            f" (in {report.workers} process(es), summed), "
            f"writing them (in batches of files): {report.write_seconds:.2f} s\n"
            f"Ratio import/parse: {import_seconds / parse_seconds:.1f}x (target <= 5x on SQLite)\n"
            # On a shared machine the wall-clock times above depend on the other work;
            # CPU time depends much less on it.
            f"CPU time: bare parse {parse_cpu:.2f} s; import {import_cpu:.2f} s in this process"
            f" + {workers_cpu:.2f} s in the worker processes"
            f" ({(import_cpu + workers_cpu) / parse_cpu:.1f}x the bare parse)\n"
            f"Peak memory (RSS of the process): {rss_mib:.0f} MiB\n"
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
