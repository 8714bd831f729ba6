"""Renders one PDF from HTML on stdin to stdout, inside memory and CPU limits.

The portal runs it as a child process (portal.pdf), so a crafted document can neither hang
nor exhaust the web worker (SECURITY.md: xhtml2pdf's history of loops and bombs).
"""
import io
import resource
import sys

MEMORY_BYTES = 1024 * 1024 * 1024
CPU_SECONDS = 20


def main() -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    from xhtml2pdf import pisa

    from portal.infra.pdf_policy import POLICY

    html = sys.stdin.buffer.read().decode("utf-8")
    out = io.BytesIO()
    status = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=POLICY)
    if status.err:
        return 2
    sys.stdout.buffer.write(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
