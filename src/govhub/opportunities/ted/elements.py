"""Finding elements, attributes and text in a notice's tree, by local name."""

from __future__ import annotations

from lxml import etree


def xml_parser() -> etree.XMLParser:
    # Never fetch DTDs or expand entities from untrusted files (XXE, billion laughs).
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def clean(text: str) -> str:
    return " ".join(text.split())


def _find(node: etree._Element | None, path: str) -> etree._Element | None:
    """``node.find(path)`` for child steps ("{*}A/{*}B"), walked with lxml's C iterators:
    ElementPath's wildcard matching runs in Python and was most of the import's parse time."""
    for step in path.split("/"):
        if node is None:
            return None
        node = next(node.iterchildren(step), None)
    return node


def _children(node: etree._Element | None, path: str) -> list[etree._Element]:
    """The children matching the path's last step, under the first match of the others."""
    *parents, last = path.split("/")
    parent = _find(node, "/".join(parents)) if parents else node
    return list(parent.iterchildren(last)) if parent is not None else []


def _text(node: etree._Element | None, path: str = "") -> str:
    """The node's (or a descendant's) text, paragraphs joined, whitespace collapsed."""
    if node is None:
        return ""
    if path:
        node = _find(node, path)
        if node is None:
            return ""
    children = len(node)
    if not children:  # a leaf, as most are: no paragraphs or inline markup to walk
        return " ".join((node.text or "").split())
    if children == 1:  # one plain paragraph (every title): what the general case gives
        child = node[0]
        tag = child.tag
        if not len(child) and isinstance(tag, str) and (tag == "P" or tag.endswith("}P")):
            return " ".join((child.text or "").split())
    paragraphs = list(node.iterchildren("{*}P"))
    if paragraphs:
        texts = (clean(x.text or "") if not len(x) else clean(_all_text(x)) for x in paragraphs)
        return "\n\n".join(text for text in texts if text)
    return clean(_all_text(node))


def _all_text(node: etree._Element) -> str:
    # What ``"".join(node.itertext())`` gives (no comments, no processing instructions, not
    # the node's own tail), serialised in C instead of one Python string per text part.
    return etree.tostring(node, method="text", encoding="unicode", with_tail=False)


def _attr(node: etree._Element | None, path: str, attr: str) -> str:
    found = _find(node, path)
    return (found.get(attr) or "").strip() if found is not None else ""
