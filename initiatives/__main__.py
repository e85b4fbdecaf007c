"""Command line: `check` the records, or `export` the flat table (or the IATI activity file) to stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from initiatives.export import FORMATS
from initiatives.problems import RecordsError
from initiatives.programme import load_programme
from initiatives.query import headline
from initiatives.records import JOINED_COLUMNS


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
    args = parser.parse_args(argv)
    from geodata.checks import check_records  # the command line runs the checks that need boundaries too
    from geodata.layers import LOCAL_LAYERS_DIR

    try:
        records = check_records(args.records, local_layers=args.layers or LOCAL_LAYERS_DIR)
        programme = load_programme()
    except RecordsError as err:
        print("\n".join(str(p) for p in err.problems), file=sys.stderr)
        return 1
    for notice in records.notices:
        print(f"note: {notice}", file=sys.stderr)
    if args.command == "check":
        h = headline(records.table)
        print(f"{h.initiatives} initiatives, {h.locations} locations, {h.oblasts} oblasts, "
              f"{h.cso} CSO, {h.lsg} LSG")
    elif args.format == "iati":
        from initiatives.iati import to_iati

        sys.stdout.write(to_iati(records.table, records.outputs, programme).decode("utf-8"))
    else:
        table = records.table
        if not table["raion_code"].astype(bool).any():  # no raion layer imported: no empty raion columns
            table = table.drop(columns=list(JOINED_COLUMNS))
        sys.stdout.write(FORMATS[args.format](table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
