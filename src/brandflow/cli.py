"""The `brandflow` command line: serve, worker, migrate, seed-demo, export contracts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from brandflow.settings import get_settings

app = typer.Typer(
    help="Brandflow: marketing work of an agency and its client brands.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)


def _database_url() -> str:
    from brandflow.bootstrap import resolve_database_url

    return resolve_database_url(get_settings())


@app.command()
def migrate() -> None:
    """Apply database migrations (starts the embedded PostgreSQL when no URL is set)."""
    from brandflow.migrate import upgrade

    upgrade(_database_url())
    console.print("[green]migrations applied[/green]")


@app.command("seed-demo")
def seed_demo() -> None:
    """Create the demo agency, workspaces, accounts and campaigns (idempotent)."""
    from brandflow.seed import run_seed

    created = asyncio.run(run_seed(get_settings(), _database_url()))
    console.print("[green]demo data created[/green]" if created else "demo data already present")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    workers: Annotated[int, typer.Option(help="HTTP worker processes")] = 1,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
) -> None:
    """Serve the API (and, without a broker, deliver events in-process)."""
    import os

    import uvicorn

    settings = get_settings()
    url = _database_url()
    os.environ["BRANDFLOW_DATABASE_URL"] = url  # worker processes reuse the same server
    if migrate_first:
        from brandflow.migrate import upgrade

        upgrade(url)
    uvicorn.run(
        "brandflow.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )


@app.command()
def worker() -> None:
    """Run the outbox relay and the event consumers (use with BRANDFLOW_BROKER_URL)."""
    from brandflow.bootstrap import warm_up_guardrails
    from brandflow.kernel.telemetry import configure_logging
    from brandflow.kernel.tracing import configure_tracing
    from brandflow.worker import run_worker

    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    configure_tracing("brandflow-worker")

    async def run() -> None:
        # With a broker the consumers run here only: warm the guardrails up while starting
        # (without one, the container does it for its in-process consumers).
        warming = asyncio.create_task(warm_up_guardrails()) if settings.broker_url else None
        try:
            await run_worker(settings, _database_url())
        finally:
            if warming is not None:
                warming.cancel()

    asyncio.run(run())


@app.command("export-openapi")
def export_openapi(path: Path = Path("openapi/v1.json")) -> None:
    """Write the OpenAPI document that the code describes."""
    from brandflow.contracts import openapi_document

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(openapi_document(), indent=2, sort_keys=False) + "\n")
    console.print(f"wrote {path}")


@app.command("export-asyncapi")
def export_asyncapi(path: Path = Path("asyncapi/events.json")) -> None:
    """Write the AsyncAPI document of the domain events."""
    from brandflow.contracts import asyncapi_document

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asyncapi_document(), indent=2) + "\n")
    console.print(f"wrote {path}")


events_app = typer.Typer(help="Inspect event delivery.", no_args_is_help=True)
app.add_typer(events_app, name="events")


@events_app.command("dead-letters")
def events_dead_letters(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many")] = 50,
) -> None:
    """List events a consumer gave up on after its last retry (any transport)."""
    from rich.table import Table

    from brandflow.kernel.db import create_engine, create_sessionmaker
    from brandflow.kernel.messaging.retries import DeliveryFailure, FailureStore

    async def load() -> list[DeliveryFailure]:
        settings = get_settings()
        engine = create_engine(_database_url(), pool_size=1)
        try:
            store = FailureStore(
                create_sessionmaker(engine),
                max_attempts=settings.event_max_attempts,
                base_seconds=settings.event_retry_base_seconds,
            )
            return await store.dead_letters(limit)
        finally:
            await engine.dispose()

    rows = asyncio.run(load())
    table = Table(title=f"Dead letters ({len(rows)})")
    for column in ("consumer", "event type", "event id", "attempts", "dead at", "last error"):
        table.add_column(column, overflow="fold")
    for r in rows:
        dead_at = r.dead_at.isoformat(timespec="seconds") if r.dead_at else ""
        table.add_row(
            r.consumer, r.event_type, str(r.event_id), str(r.attempts), dead_at, r.last_error
        )
    Console().print(table)


knowledge_app = typer.Typer(help="Brand knowledge: documents and search.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")


@knowledge_app.command("ingest")
def knowledge_ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files, or directories to take every file from")
    ],
    workspace: Annotated[str, typer.Option(help="Workspace slug, e.g. acme-running")],
    organization: Annotated[
        str | None, typer.Option(help="Organization slug, when several have the workspace")
    ] = None,
    tag: Annotated[list[str], typer.Option(help="Tag every document (repeatable)")] = [],  # noqa: B006
    wait: Annotated[float, typer.Option(help="Seconds to wait for each file's indexing")] = 600,
) -> None:
    """Upload documents into a workspace's knowledge base and index them, with progress."""
    from brandflow.contexts.knowledge.command import expand_paths

    files = expand_paths(paths)
    if not files:
        console.print("[red]No files to ingest.[/red]")
        raise typer.Exit(2)
    results = asyncio.run(_ingest(files, workspace, organization, tag, wait))
    failed = [r for r in results if r.outcome in ("failed", "refused", "pending")]
    raise typer.Exit(1 if failed else 0)


async def _ingest(
    files: list[Path], workspace: str, organization: str | None, tags: list[str], wait: float
) -> list[Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from brandflow.bootstrap import build_container
    from brandflow.contexts.identity.public import WorkspaceNotFound
    from brandflow.contexts.knowledge.command import FileResult, ingest_files

    settings = get_settings()
    container = await build_container(settings, database_url=_database_url(), serves_http=False)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    task = progress.add_task("starting", total=len(files))

    def on_stage(path: Path, stage: str) -> None:
        progress.update(task, description=f"{path.name}: {stage}")

    def on_done(result: FileResult) -> None:
        progress.advance(task)

    try:
        with progress:
            results = await ingest_files(
                container,
                files,
                workspace=workspace,
                organization=organization,
                tags=tags,
                wait_seconds=wait,
                on_stage=on_stage,
                on_done=on_done,
            )
            progress.update(task, description="done")
    except WorkspaceNotFound as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    finally:
        await container.close()
    _print_ingest_summary(results)
    return results


def _print_ingest_summary(results: list[Any]) -> None:
    from rich.table import Table

    styles = {
        "indexed": "green",
        "duplicate": "yellow",
        "failed": "red",
        "refused": "red",
        "pending": "yellow",
    }
    table = Table(title="Knowledge ingest")
    for column in ("file", "result", "chunks", "seconds", "document / reason"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            str(r.path),
            f"[{styles[r.outcome]}]{r.outcome}[/]",
            str(r.chunks) if r.outcome == "indexed" else "",
            f"{r.seconds:.1f}",
            (str(r.document_id) if r.outcome == "indexed" else r.detail) or "",
        )
    console.print(table)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    chunks = sum(r.chunks for r in results)
    total = sum(r.seconds for r in results)
    summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
    console.print(f"{summary}; {chunks} chunks in {total:.1f} s")


@app.command("db-stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL server of BRANDFLOW_DATA_DIR."""
    from brandflow.kernel.db import embedded_server

    data_dir = get_settings().data_dir
    if (data_dir / "pgdata" / "postmaster.pid").exists():
        embedded_server(data_dir).stop()
        console.print(f"embedded PostgreSQL in {data_dir} stopped")


if __name__ == "__main__":
    app()
