"""Command line: build the oblast layer, import raion/ayil-aimak boundaries, print the join report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata.build import default_source, write_layers
from geodata.coverage import read_indicator_source, write_indicators
from geodata.importer import import_boundaries
from geodata.join import join_ayil_aimaks, join_oblasts, join_raions, report_lines
from geodata.layers import (
    ADMIN_LEVELS,
    GEODATA_DIR,
    LOCAL_LAYERS_DIR,
    admin_layer_file,
    read_admin_layer,
    read_ayil_aimak_points,
    read_oblasts,
)
from geodata.shipped import BOUNDARIES_DIR, build_admin_layers
from initiatives.problems import RecordsError
from initiatives.records import load_records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-oblasts", help="rebuild kg_oblasts.geojson and kg_context.geojson")
    build.add_argument("--source", type=Path, default=None, help="world_map.gpkg (default: Debian's)")
    build.add_argument("--out", type=Path, default=None, help="write here instead of geodata/")
    shipped = sub.add_parser("build-admin-layers", help="rebuild the shipped raions, indicators, ayil-aimak points")
    shipped.add_argument("--boundaries", type=Path, default=BOUNDARIES_DIR,
                         help="the folder of the official files (default: ../shared/boundaries)")
    shipped.add_argument("--out", type=Path, default=GEODATA_DIR, help="write here instead of geodata/")
    imp = sub.add_parser("import-boundaries", help="import an official raion or ayil-aimak layer")
    imp.add_argument("file", type=Path)
    imp.add_argument("--level", required=True, choices=ADMIN_LEVELS)
    imp.add_argument("--name-field")
    imp.add_argument("--code-field")
    imp.add_argument("--records", type=Path, default=None)
    imp.add_argument("--out", type=Path, default=LOCAL_LAYERS_DIR,
                     help="where the layer is written (default: local-layers/, git-ignored; the app reads it there)")
    indicators = sub.add_parser("import-indicators", help="import the raion indicators (population, poverty)")
    indicators.add_argument("file", type=Path)
    indicators.add_argument("--out", type=Path, default=LOCAL_LAYERS_DIR)
    report = sub.add_parser("join-report", help="how each location joins to its oblast or raion")
    report.add_argument("--records", type=Path, default=None)
    report.add_argument("--level", choices=("oblast", "raion", "ayil_aimak"), default="oblast")
    report.add_argument("--layers", type=Path, default=LOCAL_LAYERS_DIR, help="where the raion layer was imported")
    args = parser.parse_args(argv)
    try:
        if args.command == "build-oblasts":
            source = args.source or default_source()
            if not source.is_file():
                print(f"{source}:0: (file): not found; install Debian's qgis-common or pass --source",
                      file=sys.stderr)
                return 1
            for path in write_layers(source, args.out):
                print(f"wrote {path} ({path.stat().st_size:,} bytes)")
            return 0
        if args.command == "build-admin-layers":
            for path in build_admin_layers(args.boundaries, args.out):
                print(f"wrote {path} ({path.stat().st_size:,} bytes)")
            return 0
        if args.command == "import-indicators":
            table = read_indicator_source(args.file)
            path = write_indicators(table, args.out)
            print(f"wrote {path}: {len(table)} raions (population 2021, share below the poverty line 2020, "
                  "floods and mudflows 1999-2021)")
            return 0
        records = load_records(args.records)
        if args.command == "join-report":
            if args.level == "oblast":
                matches = join_oblasts(records.locations, read_oblasts())
            else:
                raions = read_admin_layer("raion", args.layers)
                if raions is None:
                    print(f"{admin_layer_file('raion', args.layers)}:0: (file): no raion layer imported; run "
                          "python -m geodata import-boundaries FILE --level raion", file=sys.stderr)
                    return 1
                matches = join_raions(records.locations, raions)
                if args.level == "ayil_aimak":
                    matches = join_ayil_aimaks(records.locations, read_ayil_aimak_points(), matches, raions)
            print("\n".join(report_lines(matches)))
            return 0
        result = import_boundaries(args.file, args.level, records.locations, name_field=args.name_field,
                                   code_field=args.code_field, out_dir=args.out)
    except RecordsError as err:
        print("\n".join(str(p) for p in err.problems), file=sys.stderr)
        return 1
    print(f"wrote {result.path}: {result.units} units, {result.size_bytes:,} bytes, "
          f"simplified at {result.tolerance_deg:g} degrees")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    print("\n".join(report_lines(result.matches)))
    misses = sum(m.method == "miss" for m in result.matches)
    print(f"{len(result.matches) - misses} of {len(result.matches)} locations joined; {misses} missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
