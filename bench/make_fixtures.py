"""Regenerate the DOCX and PDF benchmark fixtures from the text seed.

    .venv/bin/python bench/make_fixtures.py

The DOCX is the seed parsed and written back by copil's DOCX exporter; the PDF is
that DOCX printed by LibreOffice (`soffice --headless --convert-to pdf`), so the
PDF reader is measured on a real word-processor layout (page breaks inside
tables, running text wrapped by the printer). Needs LibreOffice on the PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copil.exporters.docx import export_docx  # noqa: E402
from copil.importers.convention import parse_convention  # noqa: E402
from copil.importers.source import read_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "documents"
NAME = "convention-cd67-caf67-2019-2022"


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) est introuvable : impossible de produire le PDF.")
        return 1
    seed = (FIXTURES / f"{NAME}.txt").read_text(encoding="utf-8")
    doc = parse_convention(read_text(seed), source_format="text")
    docx = FIXTURES / f"{NAME}.docx"
    docx.write_bytes(export_docx(doc))
    with tempfile.TemporaryDirectory() as tmp:
        # A private profile: a LibreOffice already open for the user would swallow the job.
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.copyfile(Path(tmp, f"{NAME}.pdf"), FIXTURES / f"{NAME}.pdf")
    print(f"{docx.relative_to(ROOT)} : {len(doc.themes)} thématiques, {len(doc.actions())} actions")
    print(f"{(FIXTURES / f'{NAME}.pdf').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
