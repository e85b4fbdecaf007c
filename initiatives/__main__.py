"""Command line: `check` the records, `export` the flat table (or the IATI activity file) to stdout, write the
printed `brief`; `import` a spreadsheet as a new version of the store and list its `history`.

Without --records, every command reads the store's current version (initiatives.store), as the app does, so a
maintainer and the app never disagree; --records opens files read-only, for trying data out."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from initiatives import vocab
from initiatives.export import FORMATS
from initiatives.problems import RecordsError
from initiatives.programme import load_programme
from initiatives.query import headline
from initiatives.records import JOINED_COLUMNS, Records
from initiatives.store import SaveRefused, Store, StoreError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m initiatives", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the records and print a summary")
    check.add_argument("--records", type=Path, default=None)
    check.add_argument("--layers", type=Path, default=None, help="imported raion layers (default local-layers/)")
    export = sub.add_parser("export", help="write the flat table to stdout")
    export.add_argument("--format", choices=sorted([*FORMATS, "iati"]), default="csv",
                        help="iati: an IATI 2.03 activity file of every initiative, with planned outputs as results")
    export.add_argument("--records", type=Path, default=None)
    export.add_argument("--layers", type=Path, default=None, help="imported raion layers (default local-layers/)")
    brief = sub.add_parser("brief", help="write the printed brief (PDF) of the country, an oblast or a raion")
    brief.add_argument("--oblast", action="append", default=[], help="ISO 3166-2 code, e.g. KG-O; repeatable")
    brief.add_argument("--theme", action="append", default=[], help="theme code; repeatable")
    brief.add_argument("--grant-type", action="append", default=[], choices=("cso", "lsg"))
    brief.add_argument("--lang", choices=("ky", "ru", "en"), default="ky")
    brief.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    brief.add_argument("--records", type=Path, default=None)
    brief.add_argument("--layers", type=Path, default=None, help="imported raion layers (default local-layers/)")
    imports = sub.add_parser("import", help="save a spreadsheet (as exported) as the store's next version")
    imports.add_argument("file", type=Path, help="the codes-only CSV, the labelled CSV or the Excel download")
    imports.add_argument("--note", required=True, help="what changed and why (kept in the history)")
    imports.add_argument("--base", type=int, required=True,
                         help="the version the file was exported from (export and history print it): refused if "
                              "another save came after it")
    imports.add_argument("--author", default=None, help="who is saving (default: your user name)")
    imports.add_argument("--layers", type=Path, default=None, help="imported raion layers (default local-layers/)")
    sub.add_parser("history", help="list the store's versions, newest first")
    args = parser.parse_args(argv)
    from geodata.checks import check_records  # the command line runs the checks that need boundaries too
    from geodata.layers import LOCAL_LAYERS_DIR

    try:
        if args.command in ("import", "history"):
            return store_command(args, open_store())
        path = getattr(args, "records", None)
        if path is None:
            store = open_store()
            path = store.folder(store.current())
            print(f"note: version {store.current()} of {store.safe_url}", file=sys.stderr)
        records = check_records(path, local_layers=args.layers or LOCAL_LAYERS_DIR)
        programme = load_programme()
    except RecordsError as err:
        print("\n".join(str(p) for p in err.problems), file=sys.stderr)
        return 1
    except StoreError as err:
        print(err, file=sys.stderr)
        return 1
    for notice in records.notices:
        print(f"note: {notice}", file=sys.stderr)
    if args.command == "check":
        h = headline(records.table)
        print(f"{h.initiatives} initiatives, {h.locations} locations, {h.oblasts} oblasts, "
              f"{h.cso} CSO, {h.lsg} LSG")
    elif args.command == "brief":
        return write_brief(records, programme, args)
    elif args.format == "iati":
        from initiatives.iati import to_iati

        sys.stdout.write(to_iati(records.table, records.outputs, programme).decode("utf-8"))
    else:
        table = records.table
        if not table["raion_code"].astype(bool).any():  # no raion layer imported: no empty raion columns
            table = table.drop(columns=list(JOINED_COLUMNS))
        sys.stdout.write(FORMATS[args.format](table))
    return 0


def open_store() -> Store:
    return Store()


def store_command(args: argparse.Namespace, store: Store) -> int:
    """`history`, one version a line; `import`, with the app's checks and its conflict rule."""
    if args.command == "history":
        for v in store.history():
            restores = f" (restores version {v.restores})" if v.restores else ""
            print(f"{v.number}\t{v.created_at}\t{v.author}\t{v.note}{restores}\t{v.change_count} changes")
        return 0
    from initiatives.editing import propose_upload
    from initiatives.upload import read_upload

    try:
        upload = read_upload(args.file.name, args.file.read_bytes())
        proposal = propose_upload(args.base, store.files(args.base), upload, args.layers)
        version = store.save(args.base, proposal.files, args.author or f"{getpass.getuser()} (command line)",
                             args.note)
    except OSError as err:
        print(f"{args.file}: cannot be read ({err.strerror}); nothing was saved", file=sys.stderr)
        return 1
    except KeyError:
        print(f"there is no version {args.base} (python -m initiatives history lists them)", file=sys.stderr)
        return 2
    except SaveRefused as refused:
        print(f"refused: {refused}; nothing was saved", file=sys.stderr)
        for change in refused.missed:
            print(f"  {change.sheet} {change.record}: {change.field}: {change.old!r} -> {change.new!r}",
                  file=sys.stderr)
        return 1
    print(f"version {version.number}: {version.change_count} changes saved", file=sys.stderr)
    return 0


def write_brief(records: Records, programme: dict, args: argparse.Namespace) -> int:
    from geodata.layers import read_oblasts
    from initiatives.brief import brief_pdf, data_version
    from initiatives.query import Filters, apply_filters

    unknown = [code for code in args.oblast if code not in vocab.oblasts().codes]
    unknown += [code for code in args.theme if code not in vocab.themes().codes]
    if unknown:
        print(f"unknown code(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    filters = Filters(oblasts=tuple(args.oblast), themes=tuple(args.theme), grant_types=tuple(args.grant_type))
    rows = apply_filters(records.table, filters)
    pdf = brief_pdf(rows, records.outputs, programme, read_oblasts(), filters, args.lang,
                    data_version(records.table, records.outputs))
    scratch = args.output.with_name(f".{args.output.name}.{os.getpid()}")  # a crash leaves no half-written PDF
    try:
        scratch.write_bytes(pdf)
        os.replace(scratch, args.output)
    except OSError as err:
        print(f"{args.output}: cannot write ({err.strerror}); nothing was written", file=sys.stderr)
        return 1
    finally:
        scratch.unlink(missing_ok=True)
    print(f"{args.output}: {len(rows)} initiatives, {len(pdf):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
