"""Logs and files never show a token, key or typed password."""

import json
import logging

from wizard.redact import SECRETS, ScrubFilter, scrub


def test_bearer_tokens_and_token_fields_are_masked():
    text = 'Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.abc.def {"access_token": "abc123", "client_secret": "s3"}'
    cleaned = scrub(text)
    assert "eyJ0eXAi" not in cleaned and "abc123" not in cleaned and 's3"' not in cleaned
    assert "Authorization: Bearer ***" in cleaned


def test_typed_secrets_are_masked_in_log_records(caplog):
    SECRETS.put("vm-password", "Correct-Horse-42!")
    logger = logging.getLogger("test.redact")
    logger.addFilter(ScrubFilter())
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("creating VM with %s", "Correct-Horse-42!")
    assert "Correct-Horse-42!" not in caplog.text
    assert "***" in caplog.text


def test_tracebacks_and_escaped_secrets_are_masked_in_the_log(tmp_path):
    secret = 'Back\\slash"Quote-42!'
    SECRETS.put("vm-password", secret)
    logger = logging.getLogger("test.redact.traceback")
    handler = logging.FileHandler(tmp_path / "run.log")
    handler.addFilter(ScrubFilter())
    logger.addHandler(handler)
    try:
        raise RuntimeError(f"Azure said: {secret!r} / {json.dumps({'p': secret})}")
    except RuntimeError as error:
        logger.exception("step failed: %r", error)
    handler.close()
    text = (tmp_path / "run.log").read_text()
    assert "Traceback" in text and "RuntimeError" in text
    assert "Back" not in text and "Quote-42" not in text
