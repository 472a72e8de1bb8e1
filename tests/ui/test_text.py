"""Text quoted from users reaches markdown as written."""

from ui.text import plain


def test_markdown_characters_in_user_text_are_escaped():
    assert plain("y_pred*y_true*2") == "y\\_pred\\*y\\_true\\*2"
    assert plain("__init__") == "\\_\\_init\\_\\_"
    assert plain("[x](http://e.com) :smile: <b>") == (
        "\\[x\\]\\(http\\:\\/\\/e\\.com\\) \\:smile\\: \\<b\\>"
    )
    assert plain("größe η 2") == "größe η 2"  # letters, digits and spaces stay


def test_long_text_is_shortened():
    assert plain("a" * 50, 10) == "a" * 9 + "…"
