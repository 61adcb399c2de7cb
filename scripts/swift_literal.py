"""What the embed scripts share: text as a Swift raw string literal."""


def literal(text: str) -> str:
    """A raw multi-line string literal, indented as `swift format` lays it out: Swift strips the
    closing delimiter's indentation from every line, so the text is kept exactly."""
    hashes = "#"
    while f'"{hashes}' in text or f'{hashes}"' in text.replace('"""', ""):
        hashes += "#"
    indent = " " * 8
    body = "\n".join(indent + line if line else line for line in text.split("\n"))
    return f'{hashes}"""\n{body}\n{indent}"""{hashes}'
