"""Issue 15's targets: each page's cost as a multiple of the floor's (`/healthz`) in one run."""
TARGETS = {
    "stage_partial": 4,
    "chain_step": 2,
    "full_stage": 6,
    "save": 8,
    "under_review": 6,
    "under_review_staff": 6,
    "pdf_cached": 2,
}
PDF_FIRST_SECONDS = 1.5
CHAIN_STEP_BYTES = 2 * 1024
STAGE_PARTIAL_BYTES = 8 * 1024
STATIC_GZIP_BYTES = 16 * 1024
WORKER_RSS_MB = 150
SCALING = 1.2  # a list's cost at 100 000 applications against its cost at 1 000
