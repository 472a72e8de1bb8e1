"""Generated files (documentation, the HAProxy configuration) stay in step with the code."""

from tests.claims import CLAIMS_DOC, rewrite_doc


def test_claims_table_lists_every_declared_claim():
    text = CLAIMS_DOC.read_text()
    assert text == rewrite_doc(text), "docs/claims.md is stale: run python -m tests.claims --write"


def test_the_committed_haproxy_file_is_the_rendered_one():
    from deploy.haproxy_config import COMPOSE_BIND, COMPOSE_FILE, COMPOSE_SERVERS, render

    assert COMPOSE_FILE.read_text() == render(COMPOSE_SERVERS, COMPOSE_BIND)
