"""Generated documentation stays in step with the code."""

from tests.claims import CLAIMS_DOC, rewrite_doc


def test_claims_table_lists_every_declared_claim():
    text = CLAIMS_DOC.read_text()
    assert text == rewrite_doc(text), "docs/claims.md is stale: run python -m tests.claims --write"
