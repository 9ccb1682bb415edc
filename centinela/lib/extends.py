"""{% extends %} as Django's, except that the blocks of the root template (the base.html every page extends) are
found once per compiled template rather than on every render: Django's ExtendsNode walks the parent's whole node
tree for its {% block %} nodes each time a page is rendered (some 300 Python calls a page, issue 10's web load).
A compiled template does not change (a changed file is compiled anew, into a new Template object), so its blocks
are kept on it. Registered in settings.TEMPLATES as a builtin library after Django's, whose tag it replaces."""

from __future__ import annotations

from django import template
from django.template import loader_tags
from django.template.base import TextNode

register = template.Library()
_NOT_ROOT = object()


def _root_blocks(parent):
    """What Django's ExtendsNode.render adds for a parent that is the root (no {% extends %} of its own): its blocks
    by name; None for a parent that extends another."""
    blocks = parent.__dict__.get("_centinela_root_blocks", _NOT_ROOT)
    if blocks is _NOT_ROOT:
        blocks = None
        for node in parent.nodelist:
            if not isinstance(node, TextNode):
                if not isinstance(node, loader_tags.ExtendsNode):
                    blocks = {n.name: n for n in parent.nodelist.get_nodes_by_type(loader_tags.BlockNode)}
                break
        parent.__dict__["_centinela_root_blocks"] = blocks
    return blocks


class ExtendsNode(loader_tags.ExtendsNode):
    def render(self, context):
        """Django's ExtendsNode.render, with the root's blocks from _root_blocks."""
        compiled_parent = self.get_parent(context)
        if loader_tags.BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[loader_tags.BLOCK_CONTEXT_KEY] = loader_tags.BlockContext()
        block_context = context.render_context[loader_tags.BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = _root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def do_extends(parser, token):
    """{% extends %} exactly as Django parses it (loader_tags.do_extends)."""
    node = loader_tags.do_extends(parser, token)
    return ExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
