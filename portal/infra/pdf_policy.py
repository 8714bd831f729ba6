"""What xhtml2pdf may read: our PDF templates and the font with every Kazakh letter, no more."""
from importlib.resources import files
from pathlib import Path

from xhtml2pdf.config.resources import ResourceAccessPolicy

FONT_DIR = Path(str(files("fontpkg_pt_sans") / "files"))
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "pdf"
POLICY = ResourceAccessPolicy.server(base_dir=str(TEMPLATE_DIR), extra_roots=(str(FONT_DIR),))
