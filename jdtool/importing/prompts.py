"""Template prompts: words a template addresses to whoever fills it in, never content.

Whole lines ("Provide a summary of the postholder's responsibility for…") and parts of lines
("Follow [insert school name]'s policy", "Grade 4/5 (delete as appropriate)").
"""

from __future__ import annotations

import re

from .blocks import flat

#: Words a template addresses to its author: "[insert school name]", "delete as appropriate",
#: "Provide a summary of the postholder's responsibility for…".
TEMPLATE_PROMPT = re.compile(
    r"^(?:please )?(?:provide|give|insert|include|add) (?:a |an |the )?(?:brief )?"
    r"(?:summary|description|details|outline|list) of\b",
    re.IGNORECASE,
)
#: A prompt inside a line the school did write: "Follow [insert school name]'s policy",
#: "Grade 4/5 (delete as appropriate)".
TEMPLATE_PROMPT_PART = re.compile(
    r"\s*\[(?:insert|add|enter|type|name of|school name)[^\]]*\]"
    r"|\s*\(?\bdelete as (?:appropriate|applicable)\b\)?[:.]?",
    re.IGNORECASE,
)


def without_prompt_parts(plain: str) -> tuple[str, bool]:
    """The line with the prompts inside it taken out, and whether the whole line was a prompt:
    nothing left, a bare label, or a line that starts as an instruction to the author ("Delete
    as appropriate: full time / part time")."""
    kept = flat(TEMPLATE_PROMPT_PART.sub("", plain)).strip(" ,;")
    whole = len(kept.split()) < 2 or kept.endswith(":") or bool(TEMPLATE_PROMPT_PART.match(plain))
    return kept, whole
