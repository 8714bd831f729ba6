"""`python -m portal.domain.check [DIR]`: validate a procedure catalogue and report every error."""
import sys
from pathlib import Path

from portal.domain.procedures.catalogue import DEFAULT_DIR, CatalogueError, load_catalogue


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DEFAULT_DIR
    try:
        entries = load_catalogue(directory)
    except CatalogueError as exc:
        print("\n".join(exc.errors), file=sys.stderr)
        return 1
    print(f"{len(entries)} procedures valid in {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
