"""Text quoted from users reaches markdown as written."""

from ui.text import plain


def test_markdown_characters_in_user_text_are_escaped():
    assert plain("y_pred*y_true*2") == "y\\_pred\\*y\\_true\\*2"
    assert plain("__init__") == "\\_\\_init\\_\\_"
    assert plain("[x](http://e.com) :smile: <b>") == "\\[x\\](http\\://e.com) \\:smile: \\<b\\>"
    assert plain("$x$ `c` a|b ~~s~~") == "\\$x\\$ \\`c\\` a\\|b \\~\\~s\\~\\~"


def test_ordinary_text_is_left_alone():
    text = "Lower 'Epochs' or 'Examples n (train + test)': got -1.5, 20 % (B = 1)."
    assert plain(text) == text
    assert plain("two\nlines") == "two lines"


def test_long_text_is_shortened():
    assert plain("a" * 50, 10) == "a" * 9 + "…"
